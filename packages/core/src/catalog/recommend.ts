import type { CanonicalCapability } from '../generated/capabilities.js';
import type { ModelInfo, ModelStatus } from '../types/catalog.js';
import { CAPABILITY_MASK_WORDS, capabilityMask, resolveCapabilities } from './capabilities.js';
import {
  type CatalogIndex,
  type CatalogProvider,
  FLAG_FREE,
  FLAG_LOCAL,
  FLAG_OPEN_WEIGHTS,
  MODEL_STATUSES,
  STATUS_DEPRECATED,
} from './catalog-index.js';
import { formatCost } from './cost.js';
import { closestMatch } from './edit-distance.js';
import { ProviderNotFoundError } from './errors.js';
import { compileGlob, isGlob } from './glob.js';
import {
  type CompiledFilter,
  compileFilter,
  MODEL_FILTER_HINTS,
  MODEL_FILTER_KEYS,
  type ModelFilterOptions,
  passesFilter,
} from './model-filter.js';
import { nextPriceChange, type PriceChange } from './model-lifecycle.js';
import { warnUnknownQueryOptions } from './query-options.js';
import type { QualityEstimate, SpeedEstimate } from './signals.js';

/** What the caller needs and prefers. Hard requirements filter; preferences only reorder. */
export interface RecommendModelsOptions extends Omit<ModelFilterOptions, 'status'> {
  /** `fast` favours fast models strongly, `balanced` avoids slow ones, `any` (default) ignores speed. */
  speed?: 'fast' | 'balanced' | 'any';
  /** Adds {@link RECOMMEND_WEIGHTS}.local to models of local providers. */
  preferLocal?: boolean;
  /** Adds {@link RECOMMEND_WEIGHTS}.openWeights to open-weights models. */
  preferOpenWeights?: boolean;
  /** Adds {@link RECOMMEND_WEIGHTS}.free to models that cost nothing (free tiers, local models). */
  preferFree?: boolean;
  /** Deprecated models are left out unless this is true; retired ones unless `includeRetired` is. */
  includeDeprecated?: boolean;
  /** How many to return, best first (default 10; `Infinity` for all). */
  limit?: number;
  /**
   * Leaves out models this returns false for (`'<provider>/<model>'`): the switchboard passes its
   * health-check results so an unavailable model is not recommended.
   */
  isAvailable?: (ref: string) => boolean;
}

/** Every option of {@link RecommendModelsOptions}, for the unknown-key warning (checked complete below). */
const RECOMMEND_MODELS_KEYS = [
  ...MODEL_FILTER_KEYS.filter((key) => key !== 'status'),
  'speed',
  'preferLocal',
  'preferOpenWeights',
  'preferFree',
  'includeDeprecated',
  'limit',
  'isAvailable',
] as const satisfies readonly (keyof RecommendModelsOptions)[];
type MissingRecommendKeys = Exclude<keyof RecommendModelsOptions, (typeof RECOMMEND_MODELS_KEYS)[number]>;
const allRecommendKeysListed: [MissingRecommendKeys] extends [never] ? true : MissingRecommendKeys = true;
void allRecommendKeysListed;
const RECOMMEND_MODELS_KEY_SET: ReadonlySet<string> = new Set(RECOMMEND_MODELS_KEYS);
/** Names from other libraries whose closest key by spelling is not what they mean. */
const RECOMMEND_MODELS_HINTS: Readonly<Record<string, string>> = {
  ...MODEL_FILTER_HINTS,
  status: 'recommendations skip deprecated models unless `includeDeprecated: true`; findModels filters by status',
};

/** One recommended model, its score and why. */
export interface ModelRecommendation {
  model: ModelInfo;
  /** Higher is better; comparable within one call only. Rounded to 0.1. */
  score: number;
  /** Human sentences, one per fact that made the model pass or rank where it does. */
  reasons: string[];
  quality: QualityEstimate;
  speed: SpeedEstimate;
  /** `(3 * input + output) / 4` in USD per 1M tokens, when known. */
  blendedPricePer1M?: number;
  /** The next time-bound price change (a promotion or introductory price ending, a new price starting). */
  priceChange?: PriceChange;
}

/**
 * Points added on top of a model's query-independent base score (`baseScoreOf`: half its quality,
 * up to 10 for context, up to 15 for cheapness, minus 5 for previews). Preferences are large enough to
 * reorder a list, not so large that a weak local model always beats a strong hosted one.
 */
export const RECOMMEND_WEIGHTS = {
  local: 25,
  openWeights: 15,
  free: 25,
  /** By speed preference, then by tier fast / medium / slow. */
  speed: { fast: [15, 5, 0], balanced: [8, 8, 0], any: [0, 0, 0] },
} as const;

const DEFAULT_LIMIT = 10;
/** Largest limit served by the streaming top-k; above it a single sort is cheaper. */
const PARTIAL_SORT_MAX = 64;

/** `200000` -> `200,000`, without the cost of `Intl` in a loop. */
function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function trimPrice(amount: number): string {
  return formatCost(amount).replace(/\.00$/, '');
}

/** Per-model phrases that do not depend on the query, written once per model on first use. */
interface PhraseCache {
  context: (string | undefined)[];
  price: (string | undefined)[];
  quality: (string | undefined)[];
  speed: (string | undefined)[];
}

const phraseCaches = new WeakMap<CatalogIndex, PhraseCache>();

function phrasesOf(index: CatalogIndex): PhraseCache {
  let cache = phraseCaches.get(index);
  if (!cache) {
    const count = index.models.length;
    cache = { context: new Array(count), price: new Array(count), quality: new Array(count), speed: new Array(count) };
    phraseCaches.set(index, cache);
  }
  return cache;
}

/** What one query adds to the per-model phrases, computed once per call rather than per result. */
interface QueryPhrases {
  features?: string;
  minContext?: string;
  maxCost?: string;
  withSpeed: boolean;
}

/** The phrase cached at `slot[i]`, written by `make` the first time. */
function cachedPhrase(slot: (string | undefined)[], i: number, make: () => string): string {
  let phrase = slot[i];
  if (phrase === undefined) {
    phrase = make();
    slot[i] = phrase;
  }
  return phrase;
}

function describeRecommendation(index: CatalogIndex, i: number, query: QueryPhrases, cache: PhraseCache): string[] {
  const reasons: string[] = [];
  const model = index.models[i] as ModelInfo;
  const flags = index.flags[i] as number;
  const blended = index.blended[i] as number;
  if (query.features !== undefined) reasons.push(query.features);
  const context = cachedPhrase(cache.context, i, () => groupDigits(index.context[i] as number));
  reasons.push(
    query.minContext !== undefined ? `context ${context} >= ${query.minContext}` : `context ${context} tokens`,
  );
  if (Number.isNaN(blended)) reasons.push('price unknown');
  else if (blended === 0) reasons.push(model.pricing ? 'free' : 'free (runs locally)');
  else {
    const price = cachedPhrase(cache.price, i, () => `blended price ${trimPrice(blended)}/1M`);
    reasons.push(query.maxCost !== undefined ? `${price} under ${query.maxCost}` : price);
  }
  if (flags & FLAG_LOCAL) reasons.push('local');
  if (flags & FLAG_OPEN_WEIGHTS) reasons.push('open weights');
  reasons.push(
    cachedPhrase(cache.quality, i, () => {
      const quality = index.qualityInfo[i] as QualityEstimate;
      return `quality ${quality.score} (${quality.derived ? quality.source : `source: ${quality.source}`})`;
    }),
  );
  if (query.withSpeed) {
    reasons.push(
      cachedPhrase(cache.speed, i, () => {
        const speed = index.speedInfo[i] as SpeedEstimate;
        const rate = speed.tokensPerSecond !== undefined ? `, ~${speed.tokensPerSecond} tokens/s` : '';
        return `speed ${speed.tier}${rate} (${speed.derived ? speed.source : `source: ${speed.source}`})`;
      }),
    );
  }
  // The index's status, not the YAML's: a `retires` date that has passed makes the model retired.
  const status = MODEL_STATUSES[index.status[i] as number];
  if (status === 'preview') reasons.push('preview model');
  if (status === 'deprecated') reasons.push('deprecated');
  if (status === 'retired') reasons.push(model.retires === undefined ? 'retired' : `retired since ${model.retires}`);
  if (model.replacedBy !== undefined && status !== 'active' && status !== 'preview') {
    reasons.push(`replaced by ${model.provider}/${model.replacedBy}`);
  }
  return reasons;
}

/**
 * Ranks models for a set of requirements. Hard filters (features, context, price ceiling, quality
 * floor, type, providers, exclusions, life-cycle) remove models; the rest are scored by base score
 * plus preferences and sorted by score, then by reference so equal scores come back in a stable
 * order. Runs over typed arrays built at catalog creation and keeps only the best `limit` while
 * scanning, so it allocates nothing per model; reasons are written for the returned models only.
 */
export function recommendModels(index: CatalogIndex, options: RecommendModelsOptions = {}): ModelRecommendation[] {
  warnUnknownQueryOptions(index, 'recommendModels', options, RECOMMEND_MODELS_KEY_SET, RECOMMEND_MODELS_HINTS);
  const features = resolveCapabilities(
    options.capabilities === undefined
      ? (options.features ?? [])
      : [...(options.features ?? []), ...options.capabilities],
  );
  const statuses: ModelStatus[] = options.includeDeprecated
    ? ['active', 'preview', 'deprecated']
    : ['active', 'preview'];
  if (options.includeRetired === true) statuses.push('retired');
  const filter: CompiledFilter = compileFilter(index, { ...options, status: statuses }, 'chat');
  const limitOption = options.limit ?? DEFAULT_LIMIT;
  const limit = Math.max(
    0,
    Math.min(
      index.models.length,
      Math.floor(limitOption === Number.POSITIVE_INFINITY ? index.models.length : limitOption),
    ),
  );
  if (limit === 0) return [];
  const speedBonus = RECOMMEND_WEIGHTS.speed[options.speed ?? 'any'];
  const fast = speedBonus[0];
  const medium = speedBonus[1];
  const slow = speedBonus[2];
  const localBonus = options.preferLocal ? RECOMMEND_WEIGHTS.local : 0;
  const openBonus = options.preferOpenWeights ? RECOMMEND_WEIGHTS.openWeights : 0;
  const freeBonus = options.preferFree ? RECOMMEND_WEIGHTS.free : 0;

  const { baseScore, speedTier, flags, refRank } = index;
  const count = index.models.length;
  const better = (scoreA: number, a: number, scoreB: number, b: number): boolean =>
    scoreA > scoreB || (scoreA === scoreB && (refRank[a] as number) < (refRank[b] as number));
  // Small limits keep the best `limit` while scanning (insertion into a short sorted array, O(n) in
  // practice); large ones collect every match and sort once, which is O(n log n) instead of O(n * limit).
  const partial = limit <= PARTIAL_SORT_MAX;
  const capacity = partial ? limit : count;
  const topIndex = new Int32Array(capacity);
  const topScore = new Float64Array(capacity);
  let size = 0;
  const isAvailable = options.isAvailable;
  for (let i = 0; i < count; i++) {
    if (!passesFilter(index, filter, i)) continue;
    if (isAvailable !== undefined && !isAvailable((index.models[i] as ModelInfo).ref)) continue;
    const tier = speedTier[i] as number;
    const flag = flags[i] as number;
    const score =
      (baseScore[i] as number) +
      (tier === 0 ? fast : tier === 1 ? medium : slow) +
      (flag & FLAG_LOCAL ? localBonus : 0) +
      (flag & FLAG_OPEN_WEIGHTS ? openBonus : 0) +
      (flag & FLAG_FREE ? freeBonus : 0);
    if (!partial) {
      topIndex[size] = i;
      topScore[size] = score;
      size++;
      continue;
    }
    if (size === limit) {
      const last = size - 1;
      if (!better(score, i, topScore[last] as number, topIndex[last] as number)) continue;
      size--;
    }
    let position = size;
    while (position > 0) {
      const above = position - 1;
      if (!better(score, i, topScore[above] as number, topIndex[above] as number)) break;
      topScore[position] = topScore[above] as number;
      topIndex[position] = topIndex[above] as number;
      position = above;
    }
    topScore[position] = score;
    topIndex[position] = i;
    size++;
  }
  if (!partial) {
    const order = Array.from({ length: size }, (_, k) => k);
    order.sort((a, b) =>
      better(topScore[a] as number, topIndex[a] as number, topScore[b] as number, topIndex[b] as number) ? -1 : 1,
    );
    const sortedIndex = order.map((k) => topIndex[k] as number);
    const sortedScore = order.map((k) => topScore[k] as number);
    size = Math.min(size, limit);
    for (let k = 0; k < size; k++) {
      topIndex[k] = sortedIndex[k] as number;
      topScore[k] = sortedScore[k] as number;
    }
  }

  const query: QueryPhrases = {
    withSpeed:
      (options.speed !== undefined && options.speed !== 'any') ||
      options.latencyTier !== undefined ||
      options.maxLatency !== undefined,
  };
  if (features.length > 0) query.features = `supports ${features.join(', ')}`;
  if (options.minContext !== undefined) query.minContext = groupDigits(options.minContext);
  if (options.maxCostPer1M !== undefined) query.maxCost = trimPrice(options.maxCostPer1M);
  const cache = phrasesOf(index);
  const results: ModelRecommendation[] = [];
  for (let k = 0; k < size; k++) {
    const i = topIndex[k] as number;
    const blended = index.blended[i] as number;
    const result: ModelRecommendation = {
      model: index.models[i] as ModelInfo,
      score: Math.round((topScore[k] as number) * 10) / 10,
      reasons: describeRecommendation(index, i, query, cache),
      quality: index.qualityInfo[i] as QualityEstimate,
      speed: index.speedInfo[i] as SpeedEstimate,
    };
    if (!Number.isNaN(blended)) result.blendedPricePer1M = blended;
    const priceChange = nextPriceChange(result.model.pricing);
    if (priceChange !== undefined) {
      result.priceChange = priceChange;
      result.reasons.push(`price changes ${priceChange.at.slice(0, 10)}: ${priceChange.description}`);
    }
    results.push(result);
  }
  return results;
}

/** Requirements for {@link recommendProviders}. */
export interface RecommendProvidersOptions {
  /** Capabilities a provider must offer (on itself or on at least one model); aliases accepted. */
  required?: readonly string[];
  /** Capabilities that rank a provider higher, one step per capability. */
  preferred?: readonly string[];
  preferLocal?: boolean;
  limit?: number;
  /**
   * Providers to leave out: ids or globs (`azure-*`), as `recommendModels`' `exclude` takes them. An
   * id no installed provider has throws a `ProviderNotFoundError` naming the closest one.
   */
  exclude?: readonly string[];
}

const RECOMMEND_PROVIDERS_KEY_SET: ReadonlySet<string> = new Set([
  'required',
  'preferred',
  'preferLocal',
  'limit',
  'exclude',
] as const satisfies readonly (keyof RecommendProvidersOptions)[]);
const RECOMMEND_PROVIDERS_HINTS: Readonly<Record<string, string>> = {
  features: 'use `required` (capabilities a provider must have) or `preferred` (ones that rank it higher)',
  capabilities: 'use `required` (capabilities a provider must have) or `preferred` (ones that rank it higher)',
};

/**
 * Ordinals of the providers `patterns` name (ids or globs over ids), as a set. Shared by
 * `recommendProviders` and `findProviders`; unknown plain ids throw so a typo is not a silent no-op.
 */
export function excludedProviders(index: CatalogIndex, patterns: readonly string[] | undefined): ReadonlySet<number> {
  const excluded = new Set<number>();
  if (patterns === undefined) return excluded;
  for (const pattern of patterns) {
    if (isGlob(pattern)) {
      const matches = compileGlob(pattern);
      index.providers.forEach((provider, ordinal) => {
        if (matches(provider.id.toLowerCase())) excluded.add(ordinal);
      });
      continue;
    }
    const ordinal = index.providerOrdinal.get(pattern);
    if (ordinal === undefined)
      throw new ProviderNotFoundError(pattern, closestMatch(pattern, index.providerById.keys())?.value);
    excluded.add(ordinal);
  }
  return excluded;
}

/** One recommended provider, its score and why. */
export interface ProviderRecommendation {
  provider: CatalogProvider;
  score: number;
  reasons: string[];
  /** Required capabilities the provider lacks (empty for providers that qualify). */
  missing: CanonicalCapability[];
  /** Preferred capabilities the provider has. */
  matchedPreferred: CanonicalCapability[];
}

function providerHas(
  index: CatalogIndex,
  ordinal: number,
  capability: CanonicalCapability,
  masks: Map<CanonicalCapability, Uint32Array>,
): boolean {
  const mask = masks.get(capability) as Uint32Array;
  for (let w = 0; w < CAPABILITY_MASK_WORDS; w++) {
    const need = mask[w] as number;
    if (need !== 0 && ((index.providerMask[ordinal * CAPABILITY_MASK_WORDS + w] as number) & need) >>> 0 !== need)
      return false;
  }
  return true;
}

/**
 * Ranks providers: those offering every required capability first (100 points), then by how many
 * preferred capabilities they offer (10 each), local ones ahead when asked (5), minus 5 per missing
 * requirement so near misses sort above far ones; ties by id. Providers missing requirements are still
 * listed, with what they miss, so a UI can explain why.
 */
export function recommendProviders(
  index: CatalogIndex,
  options: RecommendProvidersOptions = {},
): ProviderRecommendation[] {
  warnUnknownQueryOptions(index, 'recommendProviders', options, RECOMMEND_PROVIDERS_KEY_SET, RECOMMEND_PROVIDERS_HINTS);
  const required = resolveCapabilities(options.required ?? []);
  const preferred = resolveCapabilities(options.preferred ?? []);
  const excluded = excludedProviders(index, options.exclude);
  const masks = new Map<CanonicalCapability, Uint32Array>();
  for (const name of [...required, ...preferred]) masks.set(name, capabilityMask([name]));
  const results: ProviderRecommendation[] = [];
  index.providers.forEach((provider, ordinal) => {
    if (excluded.has(ordinal)) return;
    const missing = required.filter((name) => !providerHas(index, ordinal, name, masks));
    const matchedPreferred = preferred.filter((name) => providerHas(index, ordinal, name, masks));
    const reasons: string[] = [];
    if (required.length > 0) {
      if (missing.length === 0) reasons.push(`supports all required: ${required.join(', ')}`);
      else reasons.push(`missing required: ${missing.join(', ')}`);
    }
    if (preferred.length > 0) {
      reasons.push(
        `has ${matchedPreferred.length} of ${preferred.length} preferred${matchedPreferred.length ? `: ${matchedPreferred.join(', ')}` : ''}`,
      );
    }
    if (provider.local) reasons.push('local');
    reasons.push(`${provider.models.length} model${provider.models.length === 1 ? '' : 's'}`);
    const score =
      (missing.length === 0 ? 100 : 0) -
      5 * missing.length +
      10 * matchedPreferred.length +
      (options.preferLocal && provider.local ? 5 : 0);
    results.push({ provider, score, reasons, missing, matchedPreferred });
  });
  results.sort(
    (a, b) => b.score - a.score || (a.provider.id < b.provider.id ? -1 : a.provider.id > b.provider.id ? 1 : 0),
  );
  return options.limit === undefined ? results : results.slice(0, Math.max(0, options.limit));
}

/** Statuses recommendations consider, for callers that want to explain the default. */
export const RECOMMENDABLE_STATUSES: readonly ModelStatus[] = MODEL_STATUSES.slice(0, STATUS_DEPRECATED);
