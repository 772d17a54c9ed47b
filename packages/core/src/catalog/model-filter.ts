import type { ModelStatus, ModelType } from '../types/catalog.js';
import { CAPABILITY_MASK_WORDS, capabilityMask, resolveCapabilities } from './capabilities.js';
import {
  type CatalogIndex,
  FLAG_LOCAL,
  FLAG_OPEN_WEIGHTS,
  MODEL_STATUSES,
  MODEL_TYPES,
  resolveBare,
  resolveScoped,
} from './catalog-index.js';
import { closestMatch } from './edit-distance.js';
import { ProviderNotFoundError } from './errors.js';
import { compileGlob, isGlob } from './glob.js';
import { allowedSpeedTiers, type LatencyTier, type QualityTier, qualityFloor } from './query-options.js';

/** Hard filters shared by `findModels` and `recommendModels`. Every field is optional. */
export interface ModelFilterOptions {
  /** Capabilities every model must have; canonical names or any alias (`tool_use`, `image_input`). */
  features?: readonly string[];
  /** Same as `features` (the name ExLLM users bring); both may be given, every capability counts. */
  capabilities?: readonly string[];
  /** Only these providers. */
  provider?: string | readonly string[];
  /** Same as `provider`, for callers who prefer the plural. */
  providers?: readonly string[];
  /** Only models of this type; `'any'` for every type. */
  type?: ModelType | 'any';
  /** Minimum context window in tokens. */
  minContext?: number;
  /**
   * Maximum blended price in USD per 1M tokens, `(3 * input + output) / 4` (see
   * `blendedPricePer1M`). Models without a known price are left out when this is set; local models
   * without pricing count as free.
   */
  maxCostPer1M?: number;
  /**
   * Only these life-cycle statuses. Without it every status but `retired` (a model whose `retires`
   * date has passed counts as retired).
   */
  status?: ModelStatus | readonly ModelStatus[];
  /** Keeps retired models in the results (they are left out unless `status` names them or this is true). */
  includeRetired?: boolean;
  /** Only local (or only hosted, when false) providers' models. */
  local?: boolean;
  /** Only open-weights (or only closed, when false) models. */
  openWeights?: boolean;
  /**
   * Minimum quality: a score 0..100 (catalog signal or derived estimate), or a tier, `'good'` (50),
   * `'high'` (70) or `'highest'` (85); see `QUALITY_TIERS` for how the floors were chosen.
   */
  minQuality?: number | QualityTier;
  /**
   * Only models of this speed tier (or these tiers). Tiers come from the catalog's speed signal,
   * else an estimate from the provider and the model's name (`deriveSpeed`): derived, not measured.
   */
  latencyTier?: LatencyTier | readonly LatencyTier[];
  /**
   * Longest acceptable typical latency of a short answer, in milliseconds, mapped onto speed tiers
   * by `LATENCY_TIER_MS` (fast <= 1 s, medium <= 3 s, slow <= 10 s): under 3000 keeps fast models
   * only, under 10000 fast and medium. A derived estimate, not a measurement.
   */
  maxLatency?: number;
  /**
   * Models to leave out: `provider/model` references (aliases allowed), provider ids, bare model ids,
   * or globs matched against references and ids (`openai/*`, `*-preview`).
   */
  exclude?: readonly string[];
}

/** Every option of {@link ModelFilterOptions}, for the unknown-key warning (checked complete below). */
export const MODEL_FILTER_KEYS = [
  'features',
  'capabilities',
  'provider',
  'providers',
  'type',
  'minContext',
  'maxCostPer1M',
  'status',
  'includeRetired',
  'local',
  'openWeights',
  'minQuality',
  'latencyTier',
  'maxLatency',
  'exclude',
] as const satisfies readonly (keyof ModelFilterOptions)[];
type MissingFilterKeys = Exclude<keyof ModelFilterOptions, (typeof MODEL_FILTER_KEYS)[number]>;
const allFilterKeysListed: [MissingFilterKeys] extends [never] ? true : MissingFilterKeys = true;
void allFilterKeysListed;
export const MODEL_FILTER_KEY_SET: ReadonlySet<string> = new Set(MODEL_FILTER_KEYS);

/** Names from other libraries whose closest key by spelling is not what they mean. */
export const MODEL_FILTER_HINTS: Readonly<Record<string, string>> = {
  quality: "use `minQuality` (0..100 or 'good' | 'high' | 'highest')",
  latency: 'use `maxLatency` (milliseconds) or `latencyTier`',
  maxCost: 'use `maxCostPer1M` (blended USD per 1M tokens)',
  maxPrice: 'use `maxCostPer1M` (blended USD per 1M tokens)',
  contextWindow: 'use `minContext` (tokens)',
  minContextWindow: 'use `minContext` (tokens)',
};

/** A filter turned into integers and typed arrays, so checking one model costs a few comparisons. */
export interface CompiledFilter {
  readonly required: Uint32Array;
  readonly type: number;
  readonly statusAllowed: number;
  readonly minContext: number;
  readonly maxCost: number;
  readonly providerAllowed: Uint8Array | undefined;
  readonly flagMask: number;
  readonly flagValue: number;
  readonly minQuality: number;
  /** Bits of the allowed speed tiers (bit 0 fast, 1 medium, 2 slow); 7 allows all. */
  readonly speedAllowed: number;
  /** Non-zero when some models are excluded: they carry this stamp in `index.scratchStamp`. */
  readonly excludeStamp: number;
}

function requireProvider(index: CatalogIndex, id: string): number {
  const ordinal = index.providerOrdinal.get(id);
  if (ordinal === undefined) throw new ProviderNotFoundError(id, closestMatch(id, index.providerById.keys())?.value);
  return ordinal;
}

/** Bound on cached exclusion patterns, so arbitrary user input cannot grow memory without limit. */
const PATTERN_CACHE_MAX = 256;

/** Ordinals an exclusion pattern names: a glob, a provider id, a `provider/model` ref or a bare id. */
function patternMatches(index: CatalogIndex, pattern: string): Uint32Array {
  const cached = index.patternCache.get(pattern);
  if (cached) return cached;
  const matched: number[] = [];
  if (isGlob(pattern)) {
    const matches = compileGlob(pattern);
    const alsoIds = !pattern.includes('/');
    const { lowerRefs, lowerIds } = index;
    for (let i = 0; i < lowerRefs.length; i++) {
      if (matches(lowerRefs[i] as string) || (alsoIds && matches(lowerIds[i] as string))) matched.push(i);
    }
  } else {
    const ordinal = index.providerOrdinal.get(pattern);
    if (ordinal !== undefined && !pattern.includes('/')) {
      for (let i = 0; i < index.models.length; i++) if (index.providerOf[i] === ordinal) matched.push(i);
    } else {
      const slash = pattern.indexOf('/');
      const scoped = slash > 0 ? resolveScoped(index, pattern.slice(0, slash), pattern.slice(slash + 1)) : undefined;
      if (scoped !== undefined) matched.push(scoped);
      else matched.push(...resolveBare(index, pattern));
    }
  }
  const result = Uint32Array.from(matched);
  if (index.patternCache.size >= PATTERN_CACHE_MAX) index.patternCache.clear();
  index.patternCache.set(pattern, result);
  return result;
}

function markExclusions(index: CatalogIndex, patterns: readonly string[]): number {
  if (patterns.length === 0) return 0;
  index.stamp = index.stamp === 0xffffffff ? 1 : index.stamp + 1;
  const stamp = index.stamp;
  for (const pattern of patterns) for (const i of patternMatches(index, pattern)) index.scratchStamp[i] = stamp;
  return stamp;
}

/**
 * Compiles filter options against an index. Capability names are normalized (unknown ones throw an
 * `UnknownCapabilityError`) and provider ids checked (unknown ones throw a `ProviderNotFoundError`),
 * so a typo fails loudly instead of returning nothing.
 */
export function compileFilter(
  index: CatalogIndex,
  options: ModelFilterOptions,
  defaultType: ModelType | 'any',
): CompiledFilter {
  const required = capabilityMask(
    resolveCapabilities(
      options.capabilities === undefined
        ? (options.features ?? [])
        : [...(options.features ?? []), ...options.capabilities],
    ),
  );
  const type = options.type ?? defaultType;
  const statuses =
    options.status === undefined
      ? options.includeRetired === true
        ? MODEL_STATUSES
        : MODEL_STATUSES.filter((status) => status !== 'retired')
      : typeof options.status === 'string'
        ? [options.status]
        : options.status;
  let statusAllowed = 0;
  for (const status of statuses) statusAllowed |= 1 << MODEL_STATUSES.indexOf(status);
  const providerIds = [
    ...(typeof options.provider === 'string' ? [options.provider] : (options.provider ?? [])),
    ...(options.providers ?? []),
  ];
  let providerAllowed: Uint8Array | undefined;
  if (providerIds.length > 0) {
    providerAllowed = new Uint8Array(index.providers.length);
    for (const id of providerIds) providerAllowed[requireProvider(index, id)] = 1;
  }
  let flagMask = 0;
  let flagValue = 0;
  if (options.local !== undefined) {
    flagMask |= FLAG_LOCAL;
    if (options.local) flagValue |= FLAG_LOCAL;
  }
  if (options.openWeights !== undefined) {
    flagMask |= FLAG_OPEN_WEIGHTS;
    if (options.openWeights) flagValue |= FLAG_OPEN_WEIGHTS;
  }
  return {
    required,
    type: type === 'any' ? -1 : MODEL_TYPES.indexOf(type),
    statusAllowed,
    minContext: options.minContext ?? 0,
    maxCost: options.maxCostPer1M ?? Number.POSITIVE_INFINITY,
    providerAllowed,
    flagMask,
    flagValue,
    minQuality: qualityFloor('minQuality', options.minQuality),
    speedAllowed: allowedSpeedTiers(options.latencyTier, options.maxLatency),
    excludeStamp: markExclusions(index, options.exclude ?? []),
  };
}

/** Whether model `i` passes every hard filter. Small and monomorphic so the scan loop inlines it. */
export function passesFilter(index: CatalogIndex, filter: CompiledFilter, i: number): boolean {
  if (filter.type >= 0 && index.type[i] !== filter.type) return false;
  if (((filter.statusAllowed >>> (index.status[i] as number)) & 1) === 0) return false;
  const words = CAPABILITY_MASK_WORDS;
  for (let w = 0; w < words; w++) {
    const need = filter.required[w] as number;
    if (need !== 0 && ((index.mask[i * words + w] as number) & need) >>> 0 !== need) return false;
  }
  if ((index.context[i] as number) < filter.minContext) return false;
  if (filter.maxCost !== Number.POSITIVE_INFINITY && !((index.blended[i] as number) <= filter.maxCost)) return false;
  if ((index.quality[i] as number) < filter.minQuality) return false;
  if (((filter.speedAllowed >>> (index.speedTier[i] as number)) & 1) === 0) return false;
  if (((index.flags[i] as number) & filter.flagMask) !== filter.flagValue) return false;
  if (filter.providerAllowed !== undefined && filter.providerAllowed[index.providerOf[i] as number] === 0) return false;
  if (filter.excludeStamp !== 0 && index.scratchStamp[i] === filter.excludeStamp) return false;
  return true;
}
