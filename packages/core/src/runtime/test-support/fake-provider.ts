/** A provider definition for runtime tests, speaking the fake adapter over HTTP. */

import { defineProvider } from '../../catalog/define-provider.js';
import type { ModelInfo, ProviderDescriptor } from '../../types/catalog.js';
import type { ProviderSettings } from '../../types/provider.js';

export const fakeDescriptor: ProviderDescriptor & { id: 'fake' } = {
  id: 'fake',
  name: 'Fake',
  protocol: 'openai-chat',
  baseURL: 'http://127.0.0.1:{port}/v1',
  auth: { type: 'bearer', header: 'Authorization', prefix: 'Bearer ', env: ['FAKE_API_KEY', 'FAKE_KEY_ALT'] },
  params: [
    { name: 'port', env: 'FAKE_PORT', required: true },
    { name: 'apiVersion', env: 'FAKE_API_VERSION', default: '2024-01-01' },
  ],
  headers: { 'x-fake-version': '{apiVersion}' },
  endpoints: { chat: '/chat' },
  dialect: { queryParams: { 'api-version': '{apiVersion}' }, unsupportedParams: ['frequency_penalty'] },
  capabilities: ['streaming', 'tools', 'vision', 'embeddings'],
  limitations: { maxEmbeddingInputs: 2 },
  defaultModel: 'big',
};

const base = { status: 'active' as const, provider: 'fake', limits: { context: 100_000 } };
export const fakeModels: ModelInfo[] = [
  {
    ...base,
    id: 'big',
    ref: 'fake/big',
    name: 'Big',
    type: 'chat',
    modalities: { input: ['text', 'image'], output: ['text'] },
    capabilities: ['tools', 'vision'],
    pricing: { input: 2, output: 8 },
  },
  {
    ...base,
    id: 'small',
    ref: 'fake/small',
    name: 'Small',
    type: 'chat',
    modalities: { input: ['text'], output: ['text'] },
    capabilities: [],
    unsupportedParams: ['temperature'],
    pricing: { input: 1, output: 1 },
  },
  {
    ...base,
    id: 'embed',
    ref: 'fake/embed',
    name: 'Embed',
    type: 'embedding',
    modalities: { input: ['text'], output: ['text'] },
    capabilities: ['embeddings'],
    pricing: { input: 0.1, output: 0 },
  },
];

export function createFakeProvider(settings: ProviderSettings = {}) {
  return defineProvider<'fake', 'big' | 'small' | 'embed' | 'large'>(
    { descriptor: fakeDescriptor, models: fakeModels, aliases: { large: 'big' } },
    settings,
  );
}
