import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../types/catalog.js';
import { createCatalog } from './catalog.js';
import type { CatalogProviderInput } from './catalog-index.js';
import { effectiveStatus, retiredModelWarning } from './model-lifecycle.js';

function model(partial: Partial<ModelSpec> & Pick<ModelSpec, 'id'>): ModelSpec {
  return {
    name: partial.id,
    type: 'chat',
    status: 'active',
    limits: { context: 128_000 },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: ['tools'],
    pricing: { input: 1, output: 2 },
    ...partial,
  };
}

// Dates far from today on either side, so the outcome does not depend on when the test runs.
const provider: CatalogProviderInput = {
  descriptor: {
    id: 'lab',
    name: 'Lab',
    protocol: 'openai-chat',
    baseURL: 'https://lab.example',
    auth: { type: 'bearer', env: ['LAB_API_KEY'] },
    endpoints: { chat: '/chat' },
    capabilities: [],
    defaultModel: 'lab-next',
  },
  models: [
    model({ id: 'lab-next' }),
    model({ id: 'lab-old', status: 'retired', retires: '2020-01-01', replacedBy: 'lab-next' }),
    // The YAML still says deprecated, but its retirement date has passed.
    model({
      id: 'lab-stale',
      status: 'deprecated',
      deprecated: '2019-01-01',
      retires: '2020-06',
      replacedBy: 'lab-next',
    }),
    model({ id: 'lab-later', status: 'deprecated', retires: '2999-01-01' }),
    model({
      id: 'lab-launch',
      pricing: {
        input: 1,
        output: 2,
        timeBound: [{ until: '2999-12-31', kind: 'introductory', input: 0.5, output: 1, source: 'test' }],
      },
    }),
  ],
};
const catalog = createCatalog([provider]);
const refs = (models: readonly { ref: string }[]) => models.map((found) => found.ref);

describe('retired models', () => {
  it('a passed retires date makes a model retired; a future one does not', () => {
    expect(effectiveStatus({ status: 'deprecated', retires: '2020-06' })).toBe('retired');
    expect(effectiveStatus({ status: 'deprecated', retires: '2999-01-01' })).toBe('deprecated');
    expect(effectiveStatus({ status: 'active', retires: '2026-01-01' }, new Date('2025-12-31T23:59:59Z'))).toBe(
      'active',
    );
    expect(effectiveStatus({ status: 'active', retires: '2026-01-01' }, new Date('2026-01-01T00:00:00Z'))).toBe(
      'retired',
    );
  });

  it('findModels leaves them out unless includeRetired or a status names them', () => {
    expect(refs(catalog.findModels())).toEqual(['lab/lab-next', 'lab/lab-later', 'lab/lab-launch']);
    expect(refs(catalog.findModels({ includeRetired: true }))).toEqual([
      'lab/lab-next',
      'lab/lab-old',
      'lab/lab-stale',
      'lab/lab-later',
      'lab/lab-launch',
    ]);
    expect(refs(catalog.findModels({ status: 'retired' }))).toEqual(['lab/lab-old', 'lab/lab-stale']);
  });

  it('recommendModels leaves them out unless includeRetired, and says what replaces them', () => {
    const all = catalog.recommendModels({ limit: 100, includeDeprecated: true });
    expect(all.map((result) => result.model.ref).sort()).toEqual(['lab/lab-later', 'lab/lab-launch', 'lab/lab-next']);
    const withRetired = catalog.recommendModels({ limit: 100, includeRetired: true });
    const stale = withRetired.find((result) => result.model.ref === 'lab/lab-stale');
    expect(stale?.reasons).toContain('retired since 2020-06');
    expect(stale?.reasons).toContain('replaced by lab/lab-next');
  });

  it('getModel still returns them, with their status and successor', () => {
    expect(catalog.getModel('lab/lab-old')).toMatchObject({ status: 'retired', replacedBy: 'lab-next' });
  });

  it('the call warning names the successor; active and not-yet-retired models get none', () => {
    const [, old, stale, later] = provider.models.map((spec) => ({ ...spec, ref: `lab/${spec.id}` }));
    expect(retiredModelWarning(old as ModelSpec)).toBe(
      "Model 'lab/lab-old' is retired since 2020-01-01; use 'lab-next' instead",
    );
    expect(retiredModelWarning(stale as ModelSpec)).toBe(
      "Model 'lab/lab-stale' is retired since 2020-06; use 'lab-next' instead",
    );
    expect(retiredModelWarning(later as ModelSpec)).toBeUndefined();
  });
});

describe('price changes ahead', () => {
  it('getModel and recommendModels say when a time-bound price ends', () => {
    const expected = { at: '3000-01-01T00:00:00.000Z', description: 'introductory price ends' };
    expect(catalog.getModel('lab/lab-launch')?.priceChange).toEqual(expected);
    expect(catalog.getModel('lab/lab-next')?.priceChange).toBeUndefined();
    const [launch] = catalog.recommendModels({ exclude: ['lab/lab-next', 'lab/lab-later'] });
    expect(launch?.priceChange).toEqual(expected);
    expect(launch?.reasons).toContain('price changes 3000-01-01: introductory price ends');
  });

  it('calculateCost through the catalog takes the call time', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(catalog.calculateCost('lab/lab-launch', usage)?.total).toBe(1.5);
    expect(catalog.calculateCost('lab/lab-launch', usage, new Date('3000-01-01T00:00:00Z'))?.total).toBe(3);
  });
});
