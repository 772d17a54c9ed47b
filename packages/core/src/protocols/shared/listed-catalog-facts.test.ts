import { describe, expect, it } from 'vitest';
import type { ListedModel } from '../../types/requests.js';
import { createMockProvider } from '../mock/mock-provider.js';
import { withCatalogFacts } from './listed-catalog-facts.js';

const listed = (id: string, extra: Partial<ListedModel> = {}): ListedModel => ({
  id,
  provider: 'mock',
  raw: {},
  ...extra,
});

describe('withCatalogFacts', () => {
  it("fills the gaps of known models (by id or alias), keeps the list's own figures, leaves unknown ids alone", () => {
    const definition = createMockProvider();
    const [byId, byAlias, ownFigures, unknown] = withCatalogFacts(
      [
        listed('mock-chat'),
        listed('echo'),
        listed('mock-text', { contextWindow: 4_000, pricing: { input: 9, output: 9 } }),
        listed('lab-model'),
      ],
      definition,
    );
    expect(byId).toMatchObject({ contextWindow: 128_000, pricing: { input: 1, output: 2 } });
    expect(byAlias).toMatchObject({ id: 'echo', contextWindow: 128_000, pricing: { input: 1, output: 2 } });
    expect(ownFigures).toMatchObject({ contextWindow: 4_000, pricing: { input: 9, output: 9 } });
    expect(unknown).toEqual(listed('lab-model'));
  });
});
