import { CANONICAL_CAPABILITIES, type CanonicalCapability } from '../generated/capabilities.js';
import type { ModelInfo, ModelType } from '../types/catalog.js';
import { CAPABILITY_MASK_WORDS, capabilityMask, normalizeCapability, suggestCapability } from './capabilities.js';
import {
  buildCatalogIndex,
  type CatalogIndex,
  type CatalogInput,
  type CatalogProvider,
  resolveBare,
  resolveScoped,
} from './catalog-index.js';
import {
  compareModels,
  compareProviders,
  type ModelComparison,
  type ProviderComparison,
  providerRequiresAuth,
} from './compare.js';
import { type Cost, calculateCost, type FormatCostOptions, formatCost, type TokenUsage } from './cost.js';
import { closestMatch } from './edit-distance.js';
import { ModelNotFoundError, ProviderNotFoundError, UnknownCapabilityError } from './errors.js';
import { type FindProvidersOptions, findProviders } from './find-providers.js';
import {
  compileFilter,
  MODEL_FILTER_HINTS,
  MODEL_FILTER_KEY_SET,
  type ModelFilterOptions,
  passesFilter,
} from './model-filter.js';
import { nextPriceChange } from './model-lifecycle.js';
import { formatModelRef, type ModelRef } from './model-ref.js';
import { resolveEndpoint } from './provider-endpoint.js';
import { warnUnknownQueryOptions } from './query-options.js';
import {
  type ModelRecommendation,
  type ProviderRecommendation,
  type RecommendModelsOptions,
  type RecommendProvidersOptions,
  recommendModels,
  recommendProviders,
} from './recommend.js';
import { countTokens, type TokenCount, type TokenCountInput } from './tokens.js';

/** Filters of {@link Catalog.findModels}; `type` defaults to every type. */
export type FindModelsOptions = ModelFilterOptions;

/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Every catalog query of DESIGN 4 over a fixed set of providers. Model references may be
 * `'provider/model'`, `{ provider, model }`, an alias (`-latest`, dated snapshots) or a bare model id
 * served by one provider only; capability names may be canonical or any alias.
 *
 * Only `getModel` and `getProvider` answer `undefined` for unknown names; every other query throws a
 * `ModelNotFoundError`, `ProviderNotFoundError` or `UnknownCapabilityError` naming the closest match,
 * because a typo that silently answers "no" is harder to find than an error.
 */
export interface Catalog {
  /** Every model, in provider order then catalog order. */
  readonly models: readonly ModelInfo[];
  readonly providers: readonly CatalogProvider[];
  /** The model a reference names, or `undefined` when none (or several, for a bare id) match. */
  getModel(ref: ModelRef): ModelInfo | undefined;
  /** Like {@link Catalog.getModel} but throws a `ModelNotFoundError` naming the closest match. */
  requireModel(ref: ModelRef): ModelInfo;
  /** Models passing the filters (default: all), in catalog order. */
  listModels(filter?: FindModelsOptions): ModelInfo[];
  getProvider(id: string): CatalogProvider | undefined;
  /** Like {@link Catalog.getProvider} but throws a `ProviderNotFoundError`. */
  requireProvider(id: string): CatalogProvider;
  /** Whether a model has a capability (its own, implied by its modalities, or its provider's API-level ones). */
  modelSupports(ref: ModelRef, capability: string): boolean;
  /** Whether a provider has a capability itself or on at least one of its models. */
  providerSupports(providerId: string, capability: string): boolean;
  /** The canonical capabilities of a model. */
  modelCapabilities(ref: ModelRef): readonly CanonicalCapability[];
  findModels(filter?: FindModelsOptions): ModelInfo[];
  /**
   * Providers passing the filters (capabilities, local, configured, protocol, exclude), in catalog
   * order; with no filter, every provider.
   */
  findProviders(filter?: FindProvidersOptions): CatalogProvider[];
  /** Every canonical capability -> the models that have it (empty lists included). */
  modelsByCapability(): Readonly<Record<CanonicalCapability, readonly ModelInfo[]>>;
  compareModels(refs: readonly ModelRef[]): ModelComparison;
  compareProviders(ids?: readonly string[]): ProviderComparison;
  recommendModels(options?: RecommendModelsOptions): ModelRecommendation[];
  recommendProviders(options?: RecommendProvidersOptions): ProviderRecommendation[];
  /**
   * Cost of a call to a model made at `at` (default now: time-bound and off-peak prices depend on
   * it); `undefined` when the catalog has no price for it.
   */
  calculateCost(ref: ModelRef, usage: TokenUsage, at?: Date): Cost | undefined;
  formatCost(cost: Cost | number, options?: FormatCostOptions): string;
  /** Token count (a number); exact for OpenAI families, estimated otherwise. */
  estimateTokens(input: TokenCountInput, ref?: ModelRef): number;
  /** Token count with whether it is exact and how it was obtained. */
  countTokens(input: TokenCountInput, ref?: ModelRef): TokenCount;
  /** The model's context window in tokens. */
  contextWindow(ref: ModelRef): number;
  /** The provider's default model of a type (chat by default; embedding uses `defaultEmbeddingModel`). */
  defaultModel(providerId: string, type?: ModelType): ModelInfo | undefined;
  isLocal(providerId: string): boolean;
  requiresAuth(providerId: string): boolean;
  /**
   * Whether a provider can be called as configured: an API key in its settings, or one of its
   * `auth.env` variables set, or auth that is optional or `none`; and every required base-URL
   * parameter without a default given in settings or its environment variable.
   */
  isConfigured(providerId: string, env?: Environment): boolean;
}

/**
 * Builds a catalog from generated provider packages (or plain provider data). All indexes (references,
 * aliases, capability bitsets, prices, quality and speed signals) are computed here once, so queries
 * afterwards are lookups and tight scans.
 */
export function createCatalog(providers: readonly CatalogInput[]): Catalog {
  const index: CatalogIndex = buildCatalogIndex(providers);
  let byCapability: Record<CanonicalCapability, readonly ModelInfo[]> | undefined;

  const resolve = (ref: ModelRef): { ordinal?: number; candidates?: number[] } => {
    if (typeof ref !== 'string') {
      if (!index.providerById.has(ref.provider)) return {};
      const ordinal = resolveScoped(index, ref.provider, ref.model);
      return ordinal === undefined ? {} : { ordinal };
    }
    const slash = ref.indexOf('/');
    if (slash > 0) {
      const providerId = ref.slice(0, slash);
      if (index.providerById.has(providerId)) {
        const ordinal = resolveScoped(index, providerId, ref.slice(slash + 1));
        if (ordinal !== undefined) return { ordinal };
      }
    }
    // A bare id, or a slash-containing id of an aggregator (`meta-llama/llama-3.1-8b`).
    const matches = resolveBare(index, ref);
    if (matches.length === 1) return { ordinal: matches[0] as number };
    return matches.length > 1 ? { candidates: [...matches] } : {};
  };

  const getModel = (ref: ModelRef): ModelInfo | undefined => {
    const { ordinal } = resolve(ref);
    if (ordinal === undefined) return undefined;
    const model = index.models[ordinal] as ModelInfo;
    // Only scheduled prices get a copy with the coming change; every other model is returned as stored.
    const priceChange = nextPriceChange(model.pricing);
    return priceChange === undefined ? model : { ...model, priceChange };
  };

  const requireOrdinal = (ref: ModelRef): number => {
    const { ordinal, candidates } = resolve(ref);
    if (ordinal !== undefined) return ordinal;
    const text = formatModelRef(ref);
    if (candidates)
      throw new ModelNotFoundError(text, {
        candidates: candidates.map((i) => (index.models[i] as ModelInfo).ref).sort(),
      });
    const lower = text.toLowerCase();
    const pool = lower.includes('/') ? index.byRef.keys() : index.byBareKey.keys();
    const match = closestMatch(lower, pool);
    let suggestion: string | undefined;
    if (match) {
      const hit = lower.includes('/') ? index.byRef.get(match.value) : index.byBareKey.get(match.value)?.[0];
      if (hit !== undefined) suggestion = (index.models[hit] as ModelInfo).ref;
    }
    throw new ModelNotFoundError(text, suggestion === undefined ? {} : { suggestion });
  };

  const requireProvider = (id: string): CatalogProvider => {
    const provider = index.providerById.get(id);
    if (!provider) throw new ProviderNotFoundError(id, closestMatch(id, index.providerById.keys())?.value);
    return provider;
  };

  const canonical = (name: string): CanonicalCapability => {
    const resolved = normalizeCapability(name);
    if (!resolved) throw new UnknownCapabilityError(name, suggestCapability(name));
    return resolved;
  };

  const hasBits = (words: Uint32Array, offset: number, capability: CanonicalCapability): boolean => {
    const need = capabilityMask([capability]);
    for (let w = 0; w < CAPABILITY_MASK_WORDS; w++) {
      const bits = need[w] as number;
      if (bits !== 0 && ((words[offset + w] as number) & bits) >>> 0 !== bits) return false;
    }
    return true;
  };

  const findModels = (filter: FindModelsOptions = {}): ModelInfo[] => {
    warnUnknownQueryOptions(index, 'findModels', filter, MODEL_FILTER_KEY_SET, MODEL_FILTER_HINTS);
    const compiled = compileFilter(index, filter, 'any');
    const found: ModelInfo[] = [];
    for (let i = 0; i < index.models.length; i++)
      if (passesFilter(index, compiled, i)) found.push(index.models[i] as ModelInfo);
    return found;
  };

  const catalog: Catalog = {
    models: index.models,
    providers: index.providers,
    getModel,
    requireModel: (ref) => index.models[requireOrdinal(ref)] as ModelInfo,
    listModels: (filter) => (filter ? findModels(filter) : [...index.models]),
    getProvider: (id) => index.providerById.get(id),
    requireProvider,
    modelSupports: (ref, capability) => {
      const wanted = canonical(capability);
      return hasBits(index.mask, requireOrdinal(ref) * CAPABILITY_MASK_WORDS, wanted);
    },
    providerSupports: (providerId, capability) => {
      const wanted = canonical(capability);
      requireProvider(providerId);
      return hasBits(
        index.providerMask,
        (index.providerOrdinal.get(providerId) as number) * CAPABILITY_MASK_WORDS,
        wanted,
      );
    },
    modelCapabilities: (ref) => index.capabilities[requireOrdinal(ref)] as readonly CanonicalCapability[],
    findModels,
    findProviders: (filter = {}) => findProviders(index, filter, (id, env) => catalog.isConfigured(id, env)),
    modelsByCapability: () => {
      if (!byCapability) {
        const groups = {} as Record<CanonicalCapability, ModelInfo[]>;
        for (const name of CANONICAL_CAPABILITIES) groups[name] = [];
        index.capabilities.forEach((names, i) => {
          for (const name of names) groups[name].push(index.models[i] as ModelInfo);
        });
        byCapability = groups;
      }
      return byCapability;
    },
    compareModels: (refs) => compareModels(index, refs.map(requireOrdinal)),
    compareProviders: (ids) => compareProviders(ids ? ids.map(requireProvider) : index.providers),
    recommendModels: (options) => recommendModels(index, options),
    recommendProviders: (options) => recommendProviders(index, options),
    calculateCost: (ref, usage, at) =>
      calculateCost((index.models[requireOrdinal(ref)] as ModelInfo).pricing, usage, at),
    formatCost,
    estimateTokens: (input, ref) => catalog.countTokens(input, ref).tokens,
    countTokens: (input, ref) => {
      if (ref === undefined) return countTokens(input);
      // A model outside the catalog still gets the right tokenizer from its id.
      return countTokens(input, getModel(ref) ?? (typeof ref === 'string' ? ref : ref.model));
    },
    contextWindow: (ref) => index.context[requireOrdinal(ref)] as number,
    defaultModel: (providerId, type = 'chat') => {
      const provider = requireProvider(providerId);
      const preferred =
        type === 'embedding'
          ? provider.descriptor.defaultEmbeddingModel
          : type === 'chat'
            ? provider.descriptor.defaultModel
            : undefined;
      const named = preferred === undefined ? undefined : resolveScoped(index, providerId, preferred);
      if (named !== undefined) return index.models[named];
      return provider.models.find(
        (model) => model.type === type && model.status !== 'retired' && model.status !== 'deprecated',
      );
    },
    isLocal: (providerId) => requireProvider(providerId).local,
    requiresAuth: (providerId) => providerRequiresAuth(requireProvider(providerId)),
    isConfigured: (providerId, env = defaultEnvironment()) => {
      const provider = requireProvider(providerId);
      const set = (name: string | undefined) => name !== undefined && (env[name] ?? '') !== '';
      const { descriptor, settings } = provider;
      const authenticated =
        !providerRequiresAuth(provider) || Boolean(settings.apiKey) || (descriptor.auth?.env ?? []).some(set);
      if (!authenticated) return false;
      // Judged as a call to the default model would be: an explicit base URL makes the template's parameters moot.
      return resolveEndpoint(provider, env, descriptor.defaultModel).problem === undefined;
    },
  };
  return catalog;
}

function defaultEnvironment(): Environment {
  return (globalThis.process?.env ?? {}) as Environment;
}
