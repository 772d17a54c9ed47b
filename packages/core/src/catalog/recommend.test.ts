import { describe, expect, it } from 'vitest';
import { createCatalog } from './catalog.js';
import { UnknownCapabilityError } from './errors.js';
import { fixtureProviders } from './test-support/fixtures.js';

const catalog = createCatalog(fixtureProviders);
const refsOf = (results: readonly { model: { ref: string } }[]) => results.map((result) => result.model.ref);

describe('recommendModels', () => {
  it('applies the hard filters', () => {
    const results = catalog.recommendModels({
      features: ['vision', 'tool_use'],
      minContext: 100_000,
      maxCostPer1M: 5,
      limit: Number.POSITIVE_INFINITY,
    });
    // Vision + tools + >= 100K context + blended <= $5: not sonnet ($6), not ollama/groq (no vision),
    // not gpt-4-0613 (deprecated); embeddings are not chat.
    expect(refsOf(results).sort()).toEqual([
      'azure/gpt-4o',
      'google/gemini-2.0-flash-001',
      'google/gemini-2.5-pro',
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/o3',
    ]);
    for (const result of results) {
      expect(result.reasons).toContain('supports vision, tools');
    }
  });

  it('leaves out retired and deprecated models unless asked', () => {
    const all = refsOf(catalog.recommendModels({ limit: 100 }));
    expect(all).not.toContain('anthropic/claude-3-opus-20240229');
    expect(all).not.toContain('openai/gpt-4-0613');
    const withDeprecated = refsOf(catalog.recommendModels({ limit: 100, includeDeprecated: true }));
    expect(withDeprecated).toContain('openai/gpt-4-0613');
    expect(withDeprecated).not.toContain('anthropic/claude-3-opus-20240229');
  });

  it('explains each result in sentences', () => {
    const [top] = catalog.recommendModels({
      provider: 'anthropic',
      features: ['tools'],
      minContext: 150_000,
      maxCostPer1M: 10,
      limit: 1,
    });
    expect(top?.model.ref).toBe('anthropic/claude-sonnet-4-5-20250929');
    expect(top?.reasons).toEqual([
      'supports tools',
      'context 200,000 >= 150,000',
      'blended price $6/1M under $10',
      'quality 80 (source: fixture leaderboard)',
    ]);
    const [flash] = catalog.recommendModels({
      provider: 'google',
      features: ['tools'],
      speed: 'fast',
      exclude: ['google/gemini-2.5-pro'],
    });
    expect(flash?.reasons).toEqual([
      'supports tools',
      'context 1,048,576 tokens',
      'blended price $0.175/1M',
      `quality ${flash?.quality.score} (derived from price, reasoning and recency)`,
      'speed fast (derived from name hint "flash")',
      'preview model',
    ]);
    const [local] = catalog.recommendModels({ provider: 'ollama', limit: 1, preferLocal: true });
    expect(local?.reasons).toEqual(expect.arrayContaining(['free (runs locally)', 'local', 'open weights']));
  });

  it('reorders with soft preferences', () => {
    const plain = refsOf(catalog.recommendModels({ features: ['tools'], limit: 3 }));
    expect(plain).toEqual(['google/gemini-2.5-pro', 'anthropic/claude-sonnet-4-5-20250929', 'openai/o3']);
    expect(plain).not.toContain('ollama/llama3.1:8b');
    const local = refsOf(catalog.recommendModels({ features: ['tools'], preferLocal: true, limit: 3 }));
    expect(local[0]).toBe('ollama/llama3.1:8b');
    const free = refsOf(catalog.recommendModels({ features: ['tools'], preferFree: true, limit: 1 }));
    expect(free).toEqual(['ollama/llama3.1:8b']);
    const closed = refsOf(catalog.recommendModels({ features: ['tools'], exclude: ['ollama'], limit: 100 }));
    const open = refsOf(
      catalog.recommendModels({ features: ['tools'], preferOpenWeights: true, exclude: ['ollama'], limit: 100 }),
    );
    expect(open.indexOf('groq/llama-3.1-8b-instant')).toBeLessThan(closed.indexOf('groq/llama-3.1-8b-instant'));
  });

  it('ranks fast models up when speed matters', () => {
    const any = refsOf(catalog.recommendModels({ limit: 100 }));
    const fast = refsOf(catalog.recommendModels({ speed: 'fast', limit: 100 }));
    expect(fast.indexOf('openai/gpt-4o-mini')).toBeLessThan(any.indexOf('openai/gpt-4o-mini'));
    expect(fast.indexOf('google/gemini-2.5-pro')).toBeGreaterThan(any.indexOf('google/gemini-2.5-pro'));
  });

  it('honours limit, exclusions and globs, and sorts deterministically', () => {
    const all = catalog.recommendModels({ limit: Number.POSITIVE_INFINITY });
    expect(all.length).toBe(11);
    for (let k = 1; k < all.length; k++) {
      const [previous, current] = [all[k - 1], all[k]];
      expect((previous?.score ?? 0) >= (current?.score ?? 0)).toBe(true);
    }
    // The top-k scan returns the same prefix as the full sort.
    expect(refsOf(catalog.recommendModels({ limit: 4 }))).toEqual(refsOf(all.slice(0, 4)));
    expect(catalog.recommendModels({ limit: 0 })).toEqual([]);
    expect(catalog.recommendModels()).toHaveLength(10);
    const excluded = refsOf(
      catalog.recommendModels({ exclude: ['openai/*', 'anthropic', '*flash*', 'azure/gpt-4o'], limit: 100 }),
    );
    expect(excluded.sort()).toEqual([
      'google/gemini-2.5-pro',
      'groq/llama-3.1-8b-instant',
      'ollama/llama3.1:8b',
      'ollama/qwen2.5-coder:32b',
    ]);
    expect(refsOf(catalog.recommendModels({ exclude: ['gpt-4o'], limit: 100 }))).not.toContain('azure/gpt-4o'); // bare id: every provider
  });

  it('breaks score ties by reference', () => {
    const twin = createCatalog([
      ...['b', 'a'].map((id) => ({
        descriptor: {
          id,
          name: id,
          protocol: 'mock' as const,
          baseURL: '',
          endpoints: {},
          capabilities: [],
          defaultModel: 'm',
          auth: { type: 'none' as const, env: [] },
        },
        models: [
          {
            id: 'm',
            name: 'm',
            type: 'chat' as const,
            status: 'active' as const,
            limits: { context: 8192 },
            modalities: { input: ['text' as const], output: ['text' as const] },
            capabilities: [],
          },
        ],
      })),
    ]);
    expect(refsOf(twin.recommendModels())).toEqual(['a/m', 'b/m']);
    expect(refsOf(twin.recommendModels({ limit: 1 }))).toEqual(['a/m']);
  });

  it('filters on quality and type', () => {
    const good = catalog.recommendModels({ minQuality: 75, limit: 100 });
    expect(refsOf(good).sort()).toEqual(['anthropic/claude-sonnet-4-5-20250929', 'google/gemini-2.5-pro']);
    expect(refsOf(catalog.recommendModels({ type: 'embedding' }))).toEqual(['openai/text-embedding-3-small']);
    expect(() => catalog.recommendModels({ features: ['visoin'] })).toThrow(UnknownCapabilityError);
  });
});

describe('recommendProviders', () => {
  it('puts providers with every requirement first, then by preferred matches', () => {
    const results = catalog.recommendProviders({
      required: ['function_calling', 'image_input'],
      preferred: ['thinking', 'caching'],
    });
    expect(results.map((result) => result.provider.id)).toEqual([
      'anthropic',
      'google',
      'openai',
      'azure',
      'groq',
      'ollama',
    ]);
    expect(results[0]?.reasons).toEqual([
      'supports all required: tools, vision',
      'has 2 of 2 preferred: reasoning, prompt-caching',
      '3 models',
    ]);
    expect(results[4]?.missing).toEqual(['vision']);
    expect(results[5]?.reasons).toEqual(['missing required: vision', 'has 0 of 2 preferred', 'local', '2 models']);
  });

  it('limits and prefers local', () => {
    const results = catalog.recommendProviders({ required: ['tools'], preferLocal: true, limit: 1 });
    expect(results.map((result) => result.provider.id)).toEqual(['ollama']);
  });
});
