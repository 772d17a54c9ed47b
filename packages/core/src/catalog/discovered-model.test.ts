import { describe, expect, it } from 'vitest';
import { createCatalog } from './catalog.js';
import { discoveredModel } from './discovered-model.js';

describe('discoveredModel', () => {
  it('keeps what the listing says and claims nothing else (no price, signals or capabilities)', () => {
    const model = discoveredModel(
      { id: 'lab-9', provider: 'lab', name: 'Lab 9', contextWindow: 32_000, raw: {} },
      'lab',
    );
    expect(model).toEqual({
      id: 'lab-9',
      provider: 'lab',
      ref: 'lab/lab-9',
      name: 'Lab 9',
      type: 'chat',
      status: 'active',
      discovered: true,
      limits: { context: 32_000 },
      modalities: { input: ['text'], output: ['text'] },
      capabilities: [],
    });
  });

  it('names an embedding model by its id and an unknown context as 0', () => {
    const model = discoveredModel({ id: 'text-embed-x', provider: 'lab', raw: {} }, 'lab');
    expect(model).toMatchObject({ type: 'embedding', name: 'text-embed-x', limits: { context: 0 } });
    expect(model.pricing).toBeUndefined();
  });

  it('an entry the catalog indexes like any other, with an unknown price', () => {
    const catalog = createCatalog([
      {
        id: 'lab',
        name: 'Lab',
        descriptor: { id: 'lab', name: 'Lab', capabilities: [] },
        models: [discoveredModel({ id: 'lab-9', provider: 'lab', raw: {} }, 'lab')],
      } as never,
    ]);
    expect(catalog.getModel('lab/lab-9')?.discovered).toBe(true);
    expect(catalog.calculateCost('lab/lab-9', { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
    expect(catalog.findModels({ minContext: 1 }).map((model) => model.ref)).toEqual([]);
  });
});
