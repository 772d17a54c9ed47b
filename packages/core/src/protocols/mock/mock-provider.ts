/**
 * A minimal built-in definition of the `mock` provider, so tests (and `@switchboard/testing`) can use
 * the mock protocol before or without the generated `@switchboard/provider-mock` package.
 */

import { defineProvider } from '../../catalog/define-provider.js';
import type { ModelInfo, ProviderDescriptor } from '../../types/catalog.js';
import type { ProviderDefinition, ProviderSettings } from '../../types/provider.js';

const descriptor: ProviderDescriptor & { id: 'mock' } = {
  id: 'mock',
  name: 'Mock',
  protocol: 'mock',
  baseURL: 'mock://local',
  local: true,
  auth: { type: 'none', env: [] },
  endpoints: {},
  capabilities: ['streaming', 'tools', 'vision', 'structured-output', 'embeddings', 'models-list'],
  limitations: { maxEmbeddingInputs: 16 },
  defaultModel: 'mock-chat',
  defaultEmbeddingModel: 'mock-embed',
};

function model(spec: Omit<ModelInfo, 'provider' | 'ref' | 'status'>): ModelInfo {
  return { ...spec, status: 'active', provider: 'mock', ref: `mock/${spec.id}` };
}

const models: ModelInfo[] = [
  model({
    id: 'mock-chat',
    name: 'Mock Chat',
    type: 'chat',
    limits: { context: 128_000, output: 4_096 },
    modalities: { input: ['text', 'image'], output: ['text'] },
    capabilities: ['streaming', 'tools', 'vision', 'structured-output', 'temperature', 'seed'],
    pricing: { input: 1, output: 2 },
  }),
  model({
    id: 'mock-text',
    name: 'Mock Text (no tools, no vision)',
    type: 'chat',
    limits: { context: 8_000 },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: ['streaming'],
    unsupportedParams: ['temperature'],
    pricing: { input: 0.5, output: 1 },
  }),
  model({
    id: 'mock-embed',
    name: 'Mock Embedding',
    type: 'embedding',
    limits: { context: 8_000 },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: ['embeddings'],
    embedding: { dimensions: 8 },
    pricing: { input: 0.1, output: 0 },
  }),
];

/** Model ids of the built-in mock provider. */
export type MockModelId = 'mock-chat' | 'mock-text' | 'mock-embed';

/** The catalog data of the built-in mock provider. */
export const mockProviderData = {
  descriptor,
  models,
  aliases: { echo: 'mock-chat' } as Record<string, MockModelId>,
};

/** A mock provider instance; pass `{ mock: behaviour }` to script its answers. */
export function createMockProvider(settings: ProviderSettings = {}): ProviderDefinition<'mock', MockModelId> {
  return defineProvider(mockProviderData, settings);
}
