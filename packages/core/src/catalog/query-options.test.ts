/**
 * Issue 9 item 4 for catalog queries: the option names users bring (ExLLM, EchoTune) work, and an
 * option key a query does not know is reported instead of being dropped without a word.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalog } from './catalog.js';
import { ProviderNotFoundError, UnknownCapabilityError } from './errors.js';
import { InvalidQueryOptionError, QUALITY_TIERS } from './query-options.js';
import { fixtureProviders } from './test-support/fixtures.js';

const catalog = createCatalog(fixtureProviders);
const refs = (models: readonly { ref: string }[]) => models.map((model) => model.ref).sort();
/** Every chat model with its quality and speed estimate, as recommendations report them. */
const everyChat = catalog.recommendModels({ limit: Number.POSITIVE_INFINITY, includeDeprecated: true });

/** Node's process warnings emitted during a test (emitWarning delivers them on a later tick). */
let warnings: { name: string; message: string; code?: string }[] = [];
const listen = (warning: Error & { code?: string }) => {
  warnings.push({ name: warning.name, message: warning.message, ...(warning.code ? { code: warning.code } : {}) });
};
beforeEach(() => {
  warnings = [];
  process.on('warning', listen);
});
afterEach(() => {
  process.off('warning', listen);
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('findModels({ capabilities }) is features under its ExLLM name', () => {
  it('filters exactly like features, aliases included, and unknown names still throw', () => {
    const byFeatures = refs(catalog.findModels({ features: ['vision', 'tool_use'] }));
    expect(byFeatures.length).toBeGreaterThan(0);
    expect(refs(catalog.findModels({ capabilities: ['vision', 'tool_use'] }))).toEqual(byFeatures);
    expect(refs(catalog.findModels({ features: ['vision'], capabilities: ['tool_use'] }))).toEqual(byFeatures);
    expect(() => catalog.findModels({ capabilities: ['visoin'] })).toThrow(UnknownCapabilityError);
  });
});

describe('quality tiers: minQuality good | high | highest', () => {
  it('maps each tier onto its documented floor of the quality score', () => {
    for (const [tier, floor] of Object.entries(QUALITY_TIERS)) {
      const expected = everyChat.filter((result) => result.quality.score >= floor).map((result) => result.model.ref);
      const got = catalog.recommendModels({
        minQuality: tier as keyof typeof QUALITY_TIERS,
        limit: Number.POSITIVE_INFINITY,
        includeDeprecated: true,
      });
      expect(refs(got.map((result) => result.model))).toEqual(expected.sort());
      expect(refs(catalog.findModels({ minQuality: tier as keyof typeof QUALITY_TIERS, type: 'chat' }))).toEqual(
        refs(catalog.findModels({ minQuality: floor, type: 'chat' })),
      );
    }
    // The fixture's leaderboard score of 80 is high but not highest.
    expect(refs(catalog.findModels({ minQuality: 'high' }))).toContain('anthropic/claude-sonnet-4-5-20250929');
    expect(refs(catalog.findModels({ minQuality: 'highest' }))).not.toContain('anthropic/claude-sonnet-4-5-20250929');
  });

  it("refuses a tier that does not exist, naming the option ('best' is no tier)", () => {
    expect(() => catalog.findModels({ minQuality: 'best' as 'high' })).toThrow(InvalidQueryOptionError);
    expect(() => catalog.findModels({ minQuality: 'best' as 'high' })).toThrow(/minQuality/);
  });
});

describe('latency: latencyTier and maxLatency', () => {
  const tierOf = new Map(everyChat.map((result) => [result.model.ref, result.speed.tier]));
  const withTiers = (allowed: string[]) =>
    everyChat
      .filter((result) => allowed.includes(result.speed.tier))
      .map((result) => result.model.ref)
      .sort();

  it('latencyTier keeps models of that speed tier (one or several)', () => {
    expect(new Set(tierOf.values())).toEqual(new Set(['fast', 'medium', 'slow']));
    const fast = refs(
      catalog.findModels({ latencyTier: 'fast', type: 'chat', status: ['active', 'preview', 'deprecated'] }),
    );
    expect(fast).toEqual(withTiers(['fast']));
    const notSlow = refs(
      catalog.findModels({
        latencyTier: ['fast', 'medium'],
        type: 'chat',
        status: ['active', 'preview', 'deprecated'],
      }),
    );
    expect(notSlow).toEqual(withTiers(['fast', 'medium']));
    expect(() => catalog.findModels({ latencyTier: 'quick' as 'fast' })).toThrow(/latencyTier/);
  });

  it('maxLatency maps milliseconds onto tiers: < 3 s fast only, < 10 s fast and medium, else all', () => {
    const recommend = (maxLatency: number) =>
      catalog
        .recommendModels({ maxLatency, limit: Number.POSITIVE_INFINITY, includeDeprecated: true })
        .map((result) => result.model.ref)
        .sort();
    expect(recommend(500)).toEqual(withTiers(['fast']));
    expect(recommend(2999)).toEqual(withTiers(['fast']));
    expect(recommend(3000)).toEqual(withTiers(['fast', 'medium']));
    expect(recommend(60_000)).toEqual(withTiers(['fast', 'medium', 'slow']));
    const [first] = catalog.recommendModels({ maxLatency: 2000 });
    expect(first?.reasons.some((reason) => reason.startsWith('speed fast'))).toBe(true);
    expect(() => catalog.recommendModels({ maxLatency: -1 })).toThrow(/maxLatency/);
  });
});

describe('recommendProviders({ exclude })', () => {
  it('leaves out providers by id and by glob; an unknown id throws naming the closest', () => {
    const all = catalog.recommendProviders().map((result) => result.provider.id);
    expect(all).toContain('openai');
    expect(all).toContain('anthropic');
    const without = catalog.recommendProviders({ exclude: ['openai', 'anth*'] }).map((result) => result.provider.id);
    expect(without).toEqual(all.filter((id) => id !== 'openai' && id !== 'anthropic'));
    expect(() => catalog.recommendProviders({ exclude: ['opanai'] })).toThrow(ProviderNotFoundError);
    expect(() => catalog.recommendProviders({ exclude: ['opanai'] })).toThrow(/Did you mean "openai"/);
  });
});

describe('findProviders', () => {
  it('filters providers by capability (aliases), local, protocol and exclusions', () => {
    const ids = (filter?: Parameters<typeof catalog.findProviders>[0]) =>
      catalog.findProviders(filter).map((provider) => provider.id);
    expect(ids()).toEqual(catalog.providers.map((provider) => provider.id));
    expect(ids({ local: true })).toEqual(['ollama']);
    expect(ids({ local: false })).not.toContain('ollama');
    const vision = ids({ capabilities: ['image_input'] });
    expect(vision).toEqual(
      catalog.providers
        .filter((provider) => catalog.providerSupports(provider.id, 'vision'))
        .map((provider) => provider.id),
    );
    expect(vision).toContain('openai');
    expect(ids({ features: ['vision'], exclude: ['openai'] })).toEqual(vision.filter((id) => id !== 'openai'));
    expect(ids({ protocol: 'openai-chat' })).toEqual(
      catalog.providers
        .filter((provider) => provider.descriptor.protocol === 'openai-chat')
        .map((provider) => provider.id),
    );
    expect(() => ids({ capabilities: ['telepathy'] })).toThrow(UnknownCapabilityError);
  });

  it('configured: true keeps the providers that can be called with the given environment', () => {
    const env = { OPENAI_API_KEY: 'sk-test' };
    const configured = catalog.findProviders({ configured: true, env }).map((provider) => provider.id);
    expect(configured).toContain('openai');
    expect(configured).not.toContain('anthropic');
    expect(configured).toEqual(
      catalog.providers.filter((provider) => catalog.isConfigured(provider.id, env)).map((provider) => provider.id),
    );
    const unconfigured = catalog.findProviders({ configured: false, env }).map((provider) => provider.id);
    expect(unconfigured).toContain('anthropic');
    expect(unconfigured).not.toContain('openai');
  });
});

describe('unknown query option keys warn once, naming the closest known key', () => {
  it('findModels, recommendModels, recommendProviders and findProviders each warn', async () => {
    const local = createCatalog(fixtureProviders);
    local.findModels({ minContex: 1000 } as object);
    local.findModels({ minContex: 1000 } as object); // once per catalog, query and key
    local.recommendModels({ status: 'active', maxCost: 5 } as object);
    local.recommendProviders({ features: ['tools'] } as object);
    local.findProviders({ isLocal: true } as object);
    await settle();
    const messages = warnings.filter((warning) => warning.code === 'SWITCHBOARD_UNKNOWN_OPTION');
    expect(messages.map((warning) => warning.message)).toEqual([
      'findModels: unknown option `minContex` ignored: did you mean `minContext`?',
      'recommendModels: unknown option `status` ignored: recommendations skip deprecated models unless `includeDeprecated: true`; findModels filters by status',
      'recommendModels: unknown option `maxCost` ignored: use `maxCostPer1M` (blended USD per 1M tokens)',
      'recommendProviders: unknown option `features` ignored: use `required` (capabilities a provider must have) or `preferred` (ones that rank it higher)',
      'findProviders: unknown option `isLocal` ignored: did you mean `local`?',
    ]);
    expect(messages.every((warning) => warning.name === 'SwitchboardWarning')).toBe(true);
  });

  it('known keys (including the new ones) warn about nothing', async () => {
    const local = createCatalog(fixtureProviders);
    local.findModels({ capabilities: ['tools'], latencyTier: 'fast', maxLatency: 5000, minQuality: 'good' });
    local.recommendModels({ features: ['tools'], speed: 'fast', preferLocal: true, limit: 3 });
    local.recommendProviders({ required: ['tools'], exclude: ['groq'] });
    local.findProviders({ capabilities: ['tools'], local: false });
    await settle();
    expect(warnings.filter((warning) => warning.code === 'SWITCHBOARD_UNKNOWN_OPTION')).toEqual([]);
  });
});
