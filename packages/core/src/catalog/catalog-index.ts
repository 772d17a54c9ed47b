import { ConfigurationError } from '../errors/errors.js';
import { CANONICAL_CAPABILITIES, type CanonicalCapability } from '../generated/capabilities.js';
import type { ModelInfo, ModelSpec, ModelStatus, ModelType, ProviderDescriptor } from '../types/catalog.js';
import type { ProviderDefinition, ProviderSettings } from '../types/provider.js';
import { CAPABILITY_MASK_WORDS, capabilityMask, normalizeCapability } from './capabilities.js';
import { blendedPricePer1M } from './cost.js';
import { modelCapabilities } from './model-capabilities.js';
import { effectiveStatus } from './model-lifecycle.js';
import { snapshotBase, stripLatest } from './model-ref.js';
import { type QualityEstimate, qualityOf, type SpeedEstimate, speedOf } from './signals.js';

/** A provider as plain catalog data, for catalogs built without generated packages (CLI, tests). */
export interface CatalogProviderInput {
  descriptor: ProviderDescriptor;
  models: readonly (ModelInfo | ModelSpec)[];
  /** Alias -> model id, as generated packages carry them. */
  aliases?: Readonly<Record<string, string>>;
  settings?: ProviderSettings;
}

/** What `createCatalog` accepts per provider: a generated package's definition or plain data. */
export type CatalogInput = ProviderDefinition | CatalogProviderInput;

/** A provider as catalog queries return it. */
export interface CatalogProvider {
  readonly id: string;
  readonly name: string;
  readonly descriptor: ProviderDescriptor;
  readonly models: readonly ModelInfo[];
  readonly aliases: Readonly<Record<string, string>>;
  readonly settings: Readonly<ProviderSettings>;
  /** Provider-level capabilities plus every capability one of its models has, canonical and sorted. */
  readonly capabilities: readonly CanonicalCapability[];
  readonly local: boolean;
}

/** Model types by code: `index.type[i]` holds a position in this list (typed arrays hold numbers). */
export const MODEL_TYPES: readonly ModelType[] = ['chat', 'embedding', 'image', 'audio', 'rerank', 'moderation'];
/** Statuses by code, in life-cycle order, so "deprecated or later" is one comparison. */
export const MODEL_STATUSES: readonly ModelStatus[] = ['active', 'preview', 'deprecated', 'retired'];
/** Status codes at or above this are not recommended. */
export const STATUS_DEPRECATED = 2;

/** Bits of `index.flags[i]`: facts filters and preferences test with one AND. */
export const FLAG_LOCAL = 1;
/** The model's weights are published. */
export const FLAG_OPEN_WEIGHTS = 2;
/** The model costs nothing (zero prices, or a local provider without pricing). */
export const FLAG_FREE = 4;
/** Speed tiers by code (`index.speedTier[i]`). */
export const SPEED_TIERS = ['fast', 'medium', 'slow'] as const;

/**
 * Everything queries need, computed once when the catalog is created: lookup maps for references and
 * aliases, and per-model facts in typed arrays (struct of arrays) so a scan over thousands of models
 * touches a few cache lines per model and allocates nothing.
 */
export interface CatalogIndex {
  readonly providers: readonly CatalogProvider[];
  readonly providerById: ReadonlyMap<string, CatalogProvider>;
  readonly providerOrdinal: ReadonlyMap<string, number>;
  /** Capability mask per provider (provider-level plus its models'), `CAPABILITY_MASK_WORDS` words each. */
  readonly providerMask: Uint32Array;
  readonly models: readonly ModelInfo[];
  /** Each model's ref in lower case, for case-insensitive pattern matching without per-query work. */
  readonly lowerRefs: readonly string[];
  readonly lowerIds: readonly string[];
  /** `'provider/key'` (lower case) -> model ordinal; keys are ids, aliases, `-latest` and snapshot forms. */
  readonly byRef: ReadonlyMap<string, number>;
  /** Bare key (lower case) -> ordinals of every model it names, across providers. */
  readonly byBareKey: ReadonlyMap<string, readonly number[]>;
  readonly capabilities: readonly (readonly CanonicalCapability[])[];
  /** Capability mask per model, `CAPABILITY_MASK_WORDS` words each. */
  readonly mask: Uint32Array;
  readonly providerOf: Uint32Array;
  readonly type: Uint8Array;
  readonly status: Uint8Array;
  readonly context: Float64Array;
  /** Blended USD per 1M tokens, `NaN` when unknown; 0 for local models without pricing. */
  readonly blended: Float64Array;
  readonly flags: Uint8Array;
  readonly quality: Float64Array;
  readonly qualityInfo: readonly QualityEstimate[];
  readonly speedTier: Uint8Array;
  readonly speedInfo: readonly SpeedEstimate[];
  /** Query-independent part of the recommendation score (see `recommend.ts`). */
  readonly baseScore: Float64Array;
  /** Rank of each model's ref in sorted order, for cheap deterministic tie-breaks. */
  readonly refRank: Uint32Array;
  /** Scratch space for per-query exclusion marks (compared against a stamp, never cleared). */
  readonly scratchStamp: Uint32Array;
  stamp: number;
  /** Exclusion pattern -> ordinals it matches; the catalog never changes, so matches can be reused. */
  readonly patternCache: Map<string, Uint32Array>;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * The part of a model's recommendation score that does not depend on the query (0..75): half its
 * quality (0..50), a log-scale context bonus (8K -> 0, 1M -> 10), a log-scale cheapness bonus ($0.01
 * per 1M or free -> 15, $100 -> 0, unknown price -> 5) and a 5 point penalty for preview models.
 */
export function baseScoreOf(quality: number, context: number, blended: number, status: ModelStatus): number {
  const contextBonus = 10 * clamp01(Math.log2(Math.max(1, context) / 8192) / 7);
  const priceBonus = Number.isNaN(blended) ? 5 : 15 * clamp01((2 - Math.log10(Math.max(blended, 0.01))) / 4);
  return quality * 0.5 + contextBonus + priceBonus - (status === 'preview' ? 5 : 0);
}

function toModelInfo(providerId: string, model: ModelInfo | ModelSpec): ModelInfo {
  const ref = `${providerId}/${model.id}`;
  const info = model as Partial<ModelInfo>;
  if (info.provider === providerId && info.ref === ref) return model as ModelInfo;
  return { ...model, provider: providerId, ref };
}

function addKey<T>(map: Map<string, T>, key: string, value: T): void {
  if (!map.has(key)) map.set(key, value);
}

/** Builds the index. Throws a `ConfigurationError` when two providers share an id. */
export function buildCatalogIndex(inputs: readonly CatalogInput[]): CatalogIndex {
  const providers: CatalogProvider[] = [];
  const providerById = new Map<string, CatalogProvider>();
  const providerOrdinal = new Map<string, number>();
  const models: ModelInfo[] = [];
  const modelProvider: number[] = [];
  for (const input of inputs) {
    const descriptor = input.descriptor;
    const id = descriptor.id;
    if (providerById.has(id))
      throw new ConfigurationError(`Provider "${id}" was given twice to the catalog.`, { provider: id });
    const providerModels = input.models.map((model) => toModelInfo(id, model));
    const capabilitySet = new Set<CanonicalCapability>();
    for (const name of descriptor.capabilities ?? []) {
      const canonical = normalizeCapability(name);
      if (canonical) capabilitySet.add(canonical);
    }
    const ordinal = providers.length;
    for (const model of providerModels) {
      models.push(model);
      modelProvider.push(ordinal);
    }
    const provider: CatalogProvider = {
      id,
      name: descriptor.name ?? id,
      descriptor,
      models: providerModels,
      aliases: input.aliases ?? {},
      settings: ('settings' in input && input.settings) || {},
      capabilities: [...capabilitySet],
      local: descriptor.local === true,
    };
    providers.push(provider);
    providerById.set(id, provider);
    providerOrdinal.set(id, ordinal);
  }

  const count = models.length;
  const words = CAPABILITY_MASK_WORDS;
  const mask = new Uint32Array(count * words);
  const providerMask = new Uint32Array(providers.length * words);
  const providerOf = new Uint32Array(count);
  const type = new Uint8Array(count);
  const status = new Uint8Array(count);
  const context = new Float64Array(count);
  const blended = new Float64Array(count);
  const flags = new Uint8Array(count);
  const quality = new Float64Array(count);
  const speedTier = new Uint8Array(count);
  const baseScore = new Float64Array(count);
  const capabilities: CanonicalCapability[][] = [];
  const qualityInfo: QualityEstimate[] = [];
  const speedInfo: SpeedEstimate[] = [];

  for (let i = 0; i < count; i++) {
    const model = models[i] as ModelInfo;
    const ordinal = modelProvider[i] as number;
    const provider = providers[ordinal] as CatalogProvider;
    const modelCaps = modelCapabilities(model, provider.descriptor);
    capabilities.push(modelCaps);
    const modelMask = capabilityMask(modelCaps);
    for (let w = 0; w < words; w++) {
      mask[i * words + w] = modelMask[w] as number;
      providerMask[ordinal * words + w] =
        ((providerMask[ordinal * words + w] as number) | (modelMask[w] as number)) >>> 0;
    }
    providerOf[i] = ordinal;
    type[i] = Math.max(0, MODEL_TYPES.indexOf(model.type ?? 'chat'));
    status[i] = Math.max(0, MODEL_STATUSES.indexOf(effectiveStatus(model)));
    context[i] = model.limits?.context ?? 0;
    const price = blendedPricePer1M(model.pricing) ?? (provider.local ? 0 : undefined);
    blended[i] = price ?? Number.NaN;
    flags[i] =
      (provider.local ? FLAG_LOCAL : 0) | (model.openWeights ? FLAG_OPEN_WEIGHTS : 0) | (price === 0 ? FLAG_FREE : 0);
    const q = qualityOf(model, price);
    qualityInfo.push(q);
    quality[i] = q.score;
    const s = speedOf(model);
    speedInfo.push(s);
    speedTier[i] = SPEED_TIERS.indexOf(s.tier);
    baseScore[i] = baseScoreOf(q.score, context[i] as number, blended[i] as number, model.status ?? 'active');
  }
  for (const [ordinal, provider] of providers.entries()) {
    const names = new Set<CanonicalCapability>(provider.capabilities);
    for (let bit = 0; bit < CANONICAL_CAPABILITIES.length; bit++) {
      if (((providerMask[ordinal * words + (bit >>> 5)] as number) >>> (bit & 31)) & 1)
        names.add(CANONICAL_CAPABILITIES[bit] as CanonicalCapability);
    }
    const own = capabilityMask(names);
    for (let w = 0; w < words; w++) providerMask[ordinal * words + w] = own[w] as number;
    // Filled in once every model is known; the object is not shared before this point.
    Object.assign(provider, { capabilities: [...names].sort() });
  }

  const { byRef, byBareKey } = buildReferenceMaps(providers, models);
  const order = models
    .map((_, i) => i)
    .sort((a, b) => compareStrings((models[a] as ModelInfo).ref, (models[b] as ModelInfo).ref));
  const refRank = new Uint32Array(count);
  for (const [rank, i] of order.entries()) refRank[i] = rank;

  return {
    providers,
    providerById,
    providerOrdinal,
    providerMask,
    models,
    lowerRefs: models.map((model) => model.ref.toLowerCase()),
    lowerIds: models.map((model) => model.id.toLowerCase()),
    byRef,
    byBareKey,
    capabilities,
    mask,
    providerOf,
    type,
    status,
    context,
    blended,
    flags,
    quality,
    qualityInfo,
    speedTier,
    speedInfo,
    baseScore,
    refRank,
    scratchStamp: new Uint32Array(count),
    stamp: 0,
    patternCache: new Map(),
  };
}

/** Code-point order, independent of the host's locale, so results are the same everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reference keys in priority order: exact ids, then declared aliases (package alias maps and model
 * `aliases`), then derived forms (`<id>-latest`, the undated name of a snapshot pointing at its newest
 * snapshot). An earlier key is never overwritten by a later, weaker one.
 */
function buildReferenceMaps(
  providers: readonly CatalogProvider[],
  models: readonly ModelInfo[],
): { byRef: Map<string, number>; byBareKey: Map<string, number[]> } {
  const byRef = new Map<string, number>();
  const ordinalOf = new Map<ModelInfo, number>();
  models.forEach((model, i) => {
    ordinalOf.set(model, i);
  });
  const scoped = (i: number, key: string) =>
    addKey(byRef, `${(models[i] as ModelInfo).provider}/${key.toLowerCase()}`, i);

  for (let i = 0; i < models.length; i++) scoped(i, (models[i] as ModelInfo).id);
  for (const provider of providers) {
    const ids = new Map(provider.models.map((model) => [model.id, ordinalOf.get(model) as number]));
    for (const [alias, target] of Object.entries(provider.aliases)) {
      const i = ids.get(target);
      if (i !== undefined) scoped(i, alias);
    }
  }
  for (let i = 0; i < models.length; i++) for (const alias of (models[i] as ModelInfo).aliases ?? []) scoped(i, alias);
  // Derived: `<id>-latest`, and the undated name of dated snapshots -> the newest snapshot.
  const newestSnapshot = new Map<string, { i: number; stamp: string }>();
  for (let i = 0; i < models.length; i++) {
    const model = models[i] as ModelInfo;
    scoped(i, `${model.id}-latest`);
    const snapshot = snapshotBase(model.id);
    if (!snapshot) continue;
    const key = `${model.provider}/${snapshot.base.toLowerCase()}`;
    const current = newestSnapshot.get(key);
    if (!current || snapshot.stamp > current.stamp) newestSnapshot.set(key, { i, stamp: snapshot.stamp });
  }
  for (const [key, { i }] of newestSnapshot) {
    addKey(byRef, key, i);
    addKey(byRef, `${key}-latest`, i);
  }

  const byBareKey = new Map<string, number[]>();
  for (const [key, i] of byRef) {
    const bare = key.slice(key.indexOf('/') + 1);
    const list = byBareKey.get(bare);
    if (!list) byBareKey.set(bare, [i]);
    else if (!list.includes(i)) list.push(i);
  }
  return { byRef, byBareKey };
}

/**
 * Resolves a `(provider, name)` pair to a model ordinal, trying the name as given, then without a
 * `-latest` suffix, then without a snapshot suffix, so `claude-3-5-sonnet-20241022` finds
 * `claude-3-5-sonnet` when the catalog lists only the undated model.
 */
export function resolveScoped(index: CatalogIndex, providerId: string, name: string): number | undefined {
  const key = name.toLowerCase();
  const direct = index.byRef.get(`${providerId}/${key}`);
  if (direct !== undefined) return direct;
  const latest = stripLatest(key);
  if (latest !== undefined) {
    const found = index.byRef.get(`${providerId}/${latest}`);
    if (found !== undefined) return found;
  }
  const snapshot = snapshotBase(key);
  if (snapshot) return index.byRef.get(`${providerId}/${snapshot.base}`);
  return undefined;
}

/** Ordinals a bare name (no provider) may mean: exact keys first, then its undated/-latest forms. */
export function resolveBare(index: CatalogIndex, name: string): readonly number[] {
  const key = name.toLowerCase();
  const direct = index.byBareKey.get(key);
  if (direct) return direct;
  const latest = stripLatest(key);
  if (latest !== undefined && index.byBareKey.has(latest)) return index.byBareKey.get(latest) as number[];
  const snapshot = snapshotBase(key);
  if (snapshot && index.byBareKey.has(snapshot.base)) return index.byBareKey.get(snapshot.base) as number[];
  return [];
}
