import { describe, expect, it } from 'vitest';
import { defineProvider } from '../catalog/define-provider.js';
import type { ModelInfo } from '../types/catalog.js';
import { createCatalog } from './catalog.js';
import { ModelNotFoundError, ProviderNotFoundError, UnknownCapabilityError } from './errors.js';
import { anthropicFixture, fixtureProviders, openaiFixture } from './test-support/fixtures.js';

const catalog = createCatalog(fixtureProviders);
const refs = (models: readonly { ref: string }[]) => models.map((model) => model.ref);

describe('getModel', () => {
  it('accepts provider/model strings and objects', () => {
    expect(catalog.getModel('openai/gpt-4o')?.ref).toBe('openai/gpt-4o');
    expect(catalog.getModel({ provider: 'openai', model: 'gpt-4o-mini' })?.ref).toBe('openai/gpt-4o-mini');
    expect(catalog.getModel('OpenAI/GPT-4o')).toBeUndefined(); // provider ids are exact
    expect(catalog.getModel('openai/GPT-4o')?.ref).toBe('openai/gpt-4o');
  });

  it('resolves aliases, -latest and dated snapshots', () => {
    expect(catalog.getModel('openai/chatgpt-4o-latest')?.id).toBe('gpt-4o'); // package alias map
    expect(catalog.getModel('openai/gpt-4o-2024-08-06')?.id).toBe('gpt-4o'); // model aliases
    expect(catalog.getModel('openai/gpt-4o-2024-11-20')?.id).toBe('gpt-4o'); // unknown snapshot -> undated model
    expect(catalog.getModel('openai/gpt-4o-latest')?.id).toBe('gpt-4o');
    expect(catalog.getModel('anthropic/claude-sonnet-4-5')?.id).toBe('claude-sonnet-4-5-20250929');
    expect(catalog.getModel('anthropic/claude-3-5-haiku')?.id).toBe('claude-3-5-haiku-20241022'); // newest snapshot
    expect(catalog.getModel('anthropic/claude-3-5-haiku-latest')?.id).toBe('claude-3-5-haiku-20241022');
    expect(catalog.getModel('google/gemini-2.0-flash')?.id).toBe('gemini-2.0-flash-001');
  });

  it('accepts a bare id only when one provider serves it', () => {
    expect(catalog.getModel('o3')?.ref).toBe('openai/o3');
    expect(catalog.getModel('claude-sonnet-4-5')?.ref).toBe('anthropic/claude-sonnet-4-5-20250929');
    expect(catalog.getModel('llama3.1:8b')?.ref).toBe('ollama/llama3.1:8b');
    expect(catalog.getModel('gpt-4o')).toBeUndefined(); // openai and azure
    expect(catalog.getModel('nope/nothing')).toBeUndefined();
  });

  it('requireModel explains what went wrong', () => {
    expect(() => catalog.requireModel('gpt-4o')).toThrow(/ambiguous; use one of: azure\/gpt-4o, openai\/gpt-4o/);
    try {
      catalog.requireModel('openai/gpt-4o-mnii');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect((error as ModelNotFoundError).suggestion).toBe('openai/gpt-4o-mini');
      expect((error as ModelNotFoundError).kind).toBe('not-found');
    }
    expect(() => catalog.requireModel('claude-sonet-4-5')).toThrow(
      /Did you mean "anthropic\/claude-sonnet-4-5-20250929"/,
    );
  });
});

describe('catalog construction', () => {
  it('takes generated provider definitions and rejects duplicate ids', () => {
    const definition = defineProvider({
      descriptor: openaiFixture.descriptor,
      models: openaiFixture.models.map(
        (model) => ({ ...model, provider: 'openai', ref: `openai/${model.id}` }) as ModelInfo,
      ),
      aliases: { 'chatgpt-4o-latest': 'gpt-4o' },
    });
    const fromDefinition = createCatalog([definition]);
    expect(fromDefinition.getModel('openai/chatgpt-4o-latest')?.ref).toBe('openai/gpt-4o');
    expect(fromDefinition.models[0]).toBe(definition.models[0]);
    expect(() => createCatalog([openaiFixture, openaiFixture])).toThrow(/given twice/);
  });

  it('lists models and providers', () => {
    expect(catalog.models).toHaveLength(14);
    expect(catalog.providers.map((provider) => provider.id)).toEqual([
      'openai',
      'anthropic',
      'azure',
      'ollama',
      'groq',
      'google',
    ]);
    expect(catalog.getProvider('anthropic')?.name).toBe('Anthropic');
    expect(catalog.getProvider('nobody')).toBeUndefined();
    expect(() => catalog.requireProvider('opnai')).toThrow(ProviderNotFoundError);
    expect(() => catalog.requireProvider('opnai')).toThrow(/Did you mean "openai"/);
    expect(refs(catalog.listModels({ provider: 'ollama' }))).toEqual([
      'ollama/llama3.1:8b',
      'ollama/qwen2.5-coder:32b',
    ]);
  });
});

describe('capability queries accept every alias', () => {
  it('modelSupports', () => {
    for (const name of ['tools', 'tool_use', 'function_calling', 'Function Calling', 'functions']) {
      expect(catalog.modelSupports('openai/gpt-4o', name)).toBe(true);
      expect(catalog.modelSupports('openai/text-embedding-3-small', name)).toBe(false);
    }
    expect(catalog.modelSupports('openai/gpt-4o', 'image_input')).toBe(true); // from modalities
    expect(catalog.modelSupports('anthropic/claude-sonnet-4-5', 'thinking')).toBe(true); // reasoning spec
    expect(catalog.modelSupports('anthropic/claude-sonnet-4-5', 'pdf')).toBe(true);
    expect(catalog.modelSupports('openai/gpt-4o', 'stream')).toBe(true); // inherited from the provider
    expect(catalog.modelSupports('openai/text-embedding-3-small', 'embedding')).toBe(true);
    expect(catalog.modelSupports('openai/gpt-4o', 'caching')).toBe(true); // cheaper cache reads
    expect(() => catalog.modelSupports('openai/gpt-4o', 'tool-usage')).toThrow(UnknownCapabilityError);
    expect(() => catalog.modelSupports('openai/gpt-5o', 'tools')).toThrow(ModelNotFoundError);
  });

  it('providerSupports', () => {
    expect(catalog.providerSupports('anthropic', 'function_calling')).toBe(true);
    expect(catalog.providerSupports('anthropic', 'supports_prompt_caching')).toBe(true);
    expect(catalog.providerSupports('google', 'video')).toBe(true); // via a model
    expect(catalog.providerSupports('ollama', 'vision')).toBe(false);
  });

  it('findModels', () => {
    const byAlias = refs(catalog.findModels({ features: ['tool_use', 'image_input'] }));
    expect(byAlias).toEqual(refs(catalog.findModels({ features: ['tools', 'vision'] })));
    expect(byAlias).toEqual([
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/o3',
      'anthropic/claude-sonnet-4-5-20250929',
      'azure/gpt-4o',
      'google/gemini-2.5-pro',
      'google/gemini-2.0-flash-001',
    ]);
    expect(refs(catalog.findModels({ type: 'embedding' }))).toEqual(['openai/text-embedding-3-small']);
    expect(refs(catalog.findModels({ local: true, openWeights: true }))).toEqual([
      'ollama/llama3.1:8b',
      'ollama/qwen2.5-coder:32b',
    ]);
    expect(refs(catalog.findModels({ minContext: 1_000_000 }))).toEqual([
      'google/gemini-2.5-pro',
      'google/gemini-2.0-flash-001',
    ]);
    // blended (3 * input + output) / 4: gpt-4o-mini 0.2625, groq 0.0575, flash 0.175; local models count as free
    expect(refs(catalog.findModels({ maxCostPer1M: 0.3, type: 'chat' }))).toEqual([
      'openai/gpt-4o-mini',
      'ollama/llama3.1:8b',
      'ollama/qwen2.5-coder:32b',
      'groq/llama-3.1-8b-instant',
      'google/gemini-2.0-flash-001',
    ]);
    expect(refs(catalog.findModels({ status: ['deprecated', 'retired'] }))).toEqual([
      'openai/gpt-4-0613',
      'anthropic/claude-3-opus-20240229',
    ]);
    expect(refs(catalog.findModels({ providers: ['groq', 'azure'] }))).toEqual([
      'azure/gpt-4o',
      'groq/llama-3.1-8b-instant',
    ]);
    expect(() => catalog.findModels({ provider: 'gorq' })).toThrow(/Did you mean "groq"/);
  });

  it('modelsByCapability groups by canonical name', () => {
    const groups = catalog.modelsByCapability();
    expect(refs(groups.reasoning)).toEqual([
      'openai/o3',
      'anthropic/claude-sonnet-4-5-20250929',
      'google/gemini-2.5-pro',
    ]);
    expect(groups['computer-use']).toEqual([]);
    expect(Object.keys(groups)).toContain('structured-output');
    expect(refs(groups['structured-output'])).toContain('google/gemini-2.5-pro'); // declared as structured_output
  });
});

describe('comparisons', () => {
  it('compareModels lines models up', () => {
    const comparison = catalog.compareModels([
      'openai/gpt-4o',
      'claude-sonnet-4-5',
      { provider: 'google', model: 'gemini-2.5-pro' },
    ]);
    expect(comparison.models.map((entry) => entry.ref)).toEqual([
      'openai/gpt-4o',
      'anthropic/claude-sonnet-4-5-20250929',
      'google/gemini-2.5-pro',
    ]);
    expect(comparison.models[0]).toMatchObject({
      context: 128_000,
      maxOutput: 16_384,
      inputPrice: 2.5,
      outputPrice: 10,
      blendedPricePer1M: 4.375,
    });
    expect(comparison.cheapest).toBe('google/gemini-2.5-pro'); // (3 * 1.25 + 10) / 4 = 3.4375
    expect(comparison.largestContext).toBe('google/gemini-2.5-pro');
    expect(comparison.capabilities.reasoning).toEqual({
      'openai/gpt-4o': false,
      'anthropic/claude-sonnet-4-5-20250929': true,
      'google/gemini-2.5-pro': true,
    });
    expect(comparison.common).toEqual(expect.arrayContaining(['tools', 'vision', 'streaming']));
    expect(comparison.common).not.toContain('reasoning');
    expect(() => catalog.compareModels(['openai/gpt-4o', 'nope'])).toThrow(ModelNotFoundError);
  });

  it('compareProviders summarises providers', () => {
    const comparison = catalog.compareProviders(['openai', 'ollama']);
    const [openai, ollama] = comparison.providers;
    expect(openai).toMatchObject({
      id: 'openai',
      modelCount: 5,
      local: false,
      requiresAuth: true,
      authEnv: ['OPENAI_API_KEY'],
    });
    expect(openai?.priceRange).toEqual({ input: { min: 0.02, max: 30 }, output: { min: 0, max: 60 } });
    expect(ollama).toMatchObject({ modelCount: 2, local: true, requiresAuth: false });
    expect(ollama?.priceRange).toBeUndefined();
    expect(comparison.capabilities.vision).toEqual({ openai: true, ollama: false });
    expect(comparison.common).toEqual(expect.arrayContaining(['tools', 'streaming', 'models-list']));
    expect(catalog.compareProviders().providers).toHaveLength(6);
  });
});

describe('cost, tokens and limits by reference', () => {
  it('prices a call with the model pricing', () => {
    // 1,000 * 3 / 1e6 = 0.003; 1,000 * 15 / 1e6 = 0.015
    expect(catalog.calculateCost('anthropic/claude-sonnet-4-5', { inputTokens: 1000, outputTokens: 1000 })?.total).toBe(
      0.018,
    );
    expect(catalog.calculateCost('ollama/llama3.1:8b', { inputTokens: 1000, outputTokens: 1000 })).toBeUndefined();
    expect(catalog.formatCost(0.018)).toBe('$0.018');
  });

  it('counts tokens with the model tokenizer', () => {
    expect(catalog.countTokens('hello world', 'openai/gpt-4o')).toMatchObject({ tokens: 2, exact: true });
    expect(catalog.estimateTokens('hello world', 'gpt-4.1-nano')).toBe(2); // not in the catalog: id still picks o200k
    expect(catalog.countTokens('hello world', 'anthropic/claude-sonnet-4-5').exact).toBe(false);
    expect(catalog.estimateTokens('hello world')).toBe(3);
  });

  it('contextWindow and defaultModel', () => {
    expect(catalog.contextWindow('google/gemini-2.5-pro')).toBe(1_048_576);
    expect(catalog.defaultModel('openai')?.ref).toBe('openai/gpt-4o');
    expect(catalog.defaultModel('openai', 'embedding')?.ref).toBe('openai/text-embedding-3-small');
    expect(catalog.defaultModel('anthropic')?.ref).toBe('anthropic/claude-sonnet-4-5-20250929'); // via alias
    expect(catalog.defaultModel('ollama', 'embedding')).toBeUndefined();
  });
});

describe('provider facts', () => {
  it('isLocal and requiresAuth', () => {
    expect(catalog.isLocal('ollama')).toBe(true);
    expect(catalog.isLocal('openai')).toBe(false);
    expect(catalog.requiresAuth('ollama')).toBe(false);
    expect(catalog.requiresAuth('anthropic')).toBe(true);
  });

  it('isConfigured reads the given environment', () => {
    expect(catalog.isConfigured('openai', {})).toBe(false);
    expect(catalog.isConfigured('openai', { OPENAI_API_KEY: '' })).toBe(false);
    expect(catalog.isConfigured('openai', { OPENAI_API_KEY: 'sk-test' })).toBe(true);
    expect(catalog.isConfigured('google', { GOOGLE_API_KEY: 'x' })).toBe(true); // any of the env names
    expect(catalog.isConfigured('ollama', {})).toBe(true); // auth none
    // Azure also needs its resource name; apiVersion has a default.
    expect(catalog.isConfigured('azure', { AZURE_OPENAI_API_KEY: 'k' })).toBe(false);
    expect(catalog.isConfigured('azure', { AZURE_OPENAI_API_KEY: 'k', AZURE_RESOURCE_NAME: 'r' })).toBe(true);
  });

  it('isConfigured accepts an API key from settings', () => {
    const configured = createCatalog([{ ...anthropicFixture, settings: { apiKey: 'sk-ant-test' } }]);
    expect(configured.isConfigured('anthropic', {})).toBe(true);
  });
});
