/**
 * Hand-made providers for the catalog's unit tests: small, with every feature the queries care about
 * (aliases, dated snapshots, tiers, cache prices, local and open-weights models, statuses), so tests do
 * not depend on generated packages. Not exported from the package index.
 */

import type { ModelSpec, ProviderDescriptor } from '../../types/catalog.js';
import type { CatalogProviderInput } from '../catalog-index.js';

function descriptor(
  partial: Partial<ProviderDescriptor> & Pick<ProviderDescriptor, 'id' | 'auth' | 'defaultModel'>,
): ProviderDescriptor {
  return {
    name: partial.id,
    protocol: 'openai-chat',
    baseURL: `https://${partial.id}.example`,
    endpoints: { chat: '/chat' },
    capabilities: [],
    ...partial,
  };
}

function model(partial: Partial<ModelSpec> & Pick<ModelSpec, 'id'>): ModelSpec {
  return {
    name: partial.id,
    type: 'chat',
    status: 'active',
    limits: { context: 128_000 },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: [],
    ...partial,
  };
}

export const openaiFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'openai',
    name: 'OpenAI',
    auth: { type: 'bearer', env: ['OPENAI_API_KEY'] },
    capabilities: ['streaming', 'tools', 'vision', 'json_mode', 'models-list', 'batch'],
    defaultModel: 'gpt-4o',
    defaultEmbeddingModel: 'text-embedding-3-small',
  }),
  aliases: { 'chatgpt-4o-latest': 'gpt-4o' },
  models: [
    model({
      id: 'gpt-4o',
      aliases: ['gpt-4o-2024-08-06'],
      released: '2024-05-13',
      limits: { context: 128_000, output: 16_384 },
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: ['tools', 'structured-output', 'json-mode'],
      pricing: { input: 2.5, output: 10, cacheRead: 1.25 },
    }),
    model({
      id: 'gpt-4o-mini',
      released: '2024-07-18',
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: ['tools', 'structured-output'],
      pricing: { input: 0.15, output: 0.6, cacheRead: 0.075 },
    }),
    model({
      id: 'o3',
      released: '2025-04-16',
      limits: { context: 200_000, output: 100_000 },
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: ['tools'],
      reasoning: { supported: true, control: 'effort' },
      pricing: { input: 2, output: 8, cacheRead: 0.5 },
    }),
    model({
      id: 'gpt-4-0613',
      status: 'deprecated',
      limits: { context: 8192 },
      capabilities: ['tools'],
      pricing: { input: 30, output: 60 },
    }),
    model({
      id: 'text-embedding-3-small',
      type: 'embedding',
      limits: { context: 8191 },
      capabilities: [],
      pricing: { input: 0.02, output: 0 },
      embedding: { dimensions: 1536 },
    }),
  ],
};

export const anthropicFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'anthropic',
    name: 'Anthropic',
    protocol: 'anthropic-messages',
    auth: { type: 'header', header: 'x-api-key', env: ['ANTHROPIC_API_KEY'] },
    capabilities: ['streaming', 'tool_use', 'prompt_caching'],
    defaultModel: 'claude-sonnet-4-5',
  }),
  aliases: { 'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929' },
  models: [
    model({
      id: 'claude-sonnet-4-5-20250929',
      released: '2025-09-29',
      limits: { context: 200_000, output: 64_000 },
      modalities: { input: ['text', 'image', 'pdf'], output: ['text'] },
      capabilities: ['tools', 'prompt-caching'],
      reasoning: { supported: true, control: 'budget-tokens' },
      pricing: {
        input: 3,
        output: 15,
        cacheRead: 0.3,
        cacheWrite: 3.75,
        tiers: [{ above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }],
      },
      quality: { score: 80, source: 'fixture leaderboard' },
    }),
    model({
      id: 'claude-3-5-haiku-20241022',
      released: '2024-10-22',
      limits: { context: 200_000, output: 8192 },
      capabilities: ['tools'],
      pricing: { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
    }),
    model({
      id: 'claude-3-opus-20240229',
      status: 'retired',
      limits: { context: 200_000 },
      capabilities: ['tools'],
      pricing: { input: 15, output: 75 },
    }),
  ],
};

export const azureFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'azure',
    auth: { type: 'header', header: 'api-key', env: ['AZURE_OPENAI_API_KEY'] },
    params: [
      { name: 'resource', env: 'AZURE_RESOURCE_NAME', required: true },
      { name: 'apiVersion', default: '2024-10-21', required: true },
    ],
    capabilities: ['streaming'],
    defaultModel: 'gpt-4o',
  }),
  models: [
    model({
      id: 'gpt-4o',
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: ['tools'],
      pricing: { input: 2.5, output: 10 },
    }),
  ],
};

export const ollamaFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'ollama',
    protocol: 'ollama',
    local: true,
    auth: { type: 'none', env: [] },
    capabilities: ['streaming', 'models-list'],
    defaultModel: 'llama3.1:8b',
  }),
  models: [
    model({
      id: 'llama3.1:8b',
      released: '2024-07-23',
      limits: { context: 131_072 },
      capabilities: ['tools'],
      openWeights: true,
    }),
    model({
      id: 'qwen2.5-coder:32b',
      released: '2024-11-12',
      limits: { context: 32_768 },
      capabilities: [],
      openWeights: true,
    }),
  ],
};

export const groqFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'groq',
    auth: { type: 'bearer', env: ['GROQ_API_KEY'] },
    capabilities: ['streaming', 'tools'],
    defaultModel: 'llama-3.1-8b-instant',
  }),
  models: [
    model({
      id: 'llama-3.1-8b-instant',
      released: '2024-07-23',
      limits: { context: 131_072 },
      capabilities: ['tools'],
      openWeights: true,
      pricing: { input: 0.05, output: 0.08 },
    }),
  ],
};

export const googleFixture: CatalogProviderInput = {
  descriptor: descriptor({
    id: 'google',
    protocol: 'gemini',
    auth: { type: 'query', queryParam: 'key', env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
    capabilities: ['streaming'],
    defaultModel: 'gemini-2.5-pro',
  }),
  models: [
    model({
      id: 'gemini-2.5-pro',
      released: '2025-06-17',
      limits: { context: 1_048_576, output: 65_536 },
      modalities: { input: ['text', 'image', 'audio', 'video', 'pdf'], output: ['text'] },
      capabilities: ['tools', 'structured_output'],
      reasoning: { supported: true },
      pricing: { input: 1.25, output: 10, cacheRead: 0.31, tiers: [{ above: 200_000, input: 2.5, output: 15 }] },
      speed: { tier: 'slow', tokensPerSecond: 80, source: 'fixture measurements' },
    }),
    model({
      id: 'gemini-2.0-flash-001',
      status: 'preview',
      released: '2025-02-05',
      limits: { context: 1_048_576, output: 8192 },
      modalities: { input: ['text', 'image'], output: ['text'] },
      capabilities: ['tools'],
      pricing: { input: 0.1, output: 0.4 },
    }),
  ],
};

/** Every fixture provider, in a fixed order. */
export const fixtureProviders: readonly CatalogProviderInput[] = [
  openaiFixture,
  anthropicFixture,
  azureFixture,
  ollamaFixture,
  groqFixture,
  googleFixture,
];
