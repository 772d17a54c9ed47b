import type { CanonicalCapability } from '../generated/capabilities.js';
import type { ModelInfo } from '../types/catalog.js';
import { type CatalogIndex, type CatalogProvider, compareStrings } from './catalog-index.js';
import type { QualityEstimate, SpeedEstimate } from './signals.js';

/** One column of a model comparison. */
export interface ModelComparisonEntry {
  ref: string;
  model: ModelInfo;
  context: number;
  maxOutput?: number;
  /** USD per 1M input tokens. */
  inputPrice?: number;
  /** USD per 1M output tokens. */
  outputPrice?: number;
  /** `(3 * input + output) / 4`, USD per 1M tokens. */
  blendedPricePer1M?: number;
  capabilities: readonly CanonicalCapability[];
  quality: QualityEstimate;
  speed: SpeedEstimate;
}

/** Models side by side, as a table a CLI or web page can print directly. */
export interface ModelComparison {
  models: ModelComparisonEntry[];
  /** Every capability at least one compared model has -> per ref, whether that model has it. */
  capabilities: Partial<Record<CanonicalCapability, Record<string, boolean>>>;
  /** Capabilities every compared model has. */
  common: CanonicalCapability[];
  /** Ref with the lowest blended price among models with a known price. */
  cheapest?: string;
  /** Ref with the largest context window. */
  largestContext?: string;
}

function capabilityMatrix<T>(
  items: readonly T[],
  key: (item: T) => string,
  capabilities: (item: T) => readonly CanonicalCapability[],
): { capabilities: Partial<Record<CanonicalCapability, Record<string, boolean>>>; common: CanonicalCapability[] } {
  const all = [...new Set(items.flatMap(capabilities))].sort(compareStrings);
  const matrix: Partial<Record<CanonicalCapability, Record<string, boolean>>> = {};
  const common: CanonicalCapability[] = [];
  for (const name of all) {
    const row: Record<string, boolean> = {};
    let everyone = true;
    for (const item of items) {
      const has = capabilities(item).includes(name);
      row[key(item)] = has;
      everyone &&= has;
    }
    matrix[name] = row;
    if (everyone) common.push(name);
  }
  return { capabilities: matrix, common };
}

/**
 * Compares models (given as resolved ordinals) on context, output limit, prices, capabilities,
 * quality and speed, and names the cheapest and the largest-context one, so choosing between a few
 * candidates needs no hand-built table.
 */
export function compareModels(index: CatalogIndex, ordinals: readonly number[]): ModelComparison {
  const models = ordinals.map((i): ModelComparisonEntry => {
    const model = index.models[i] as ModelInfo;
    const entry: ModelComparisonEntry = {
      ref: model.ref,
      model,
      context: index.context[i] as number,
      capabilities: index.capabilities[i] as readonly CanonicalCapability[],
      quality: index.qualityInfo[i] as QualityEstimate,
      speed: index.speedInfo[i] as SpeedEstimate,
    };
    if (model.limits?.output !== undefined) entry.maxOutput = model.limits.output;
    if (model.pricing) {
      entry.inputPrice = model.pricing.input;
      entry.outputPrice = model.pricing.output;
    }
    const blended = index.blended[i] as number;
    if (!Number.isNaN(blended)) entry.blendedPricePer1M = blended;
    return entry;
  });
  const comparison: ModelComparison = {
    models,
    ...capabilityMatrix(
      models,
      (entry) => entry.ref,
      (entry) => entry.capabilities,
    ),
  };
  let cheapest: ModelComparisonEntry | undefined;
  let largest: ModelComparisonEntry | undefined;
  for (const entry of models) {
    if (
      entry.blendedPricePer1M !== undefined &&
      (cheapest?.blendedPricePer1M === undefined || entry.blendedPricePer1M < cheapest.blendedPricePer1M)
    )
      cheapest = entry;
    if (!largest || entry.context > largest.context) largest = entry;
  }
  if (cheapest) comparison.cheapest = cheapest.ref;
  if (largest) comparison.largestContext = largest.ref;
  return comparison;
}

/** A range of per-1M prices across a provider's priced models. */
export interface PriceRange {
  min: number;
  max: number;
}

/** One column of a provider comparison. */
export interface ProviderComparisonEntry {
  id: string;
  name: string;
  provider: CatalogProvider;
  modelCount: number;
  capabilities: readonly CanonicalCapability[];
  /** Input and output price ranges (USD per 1M), over models with pricing; absent when none has. */
  priceRange?: { input: PriceRange; output: PriceRange };
  local: boolean;
  requiresAuth: boolean;
  /** Environment variables the provider reads its key from. */
  authEnv: readonly string[];
  defaultModel?: string;
}

/** Providers side by side. */
export interface ProviderComparison {
  providers: ProviderComparisonEntry[];
  capabilities: Partial<Record<CanonicalCapability, Record<string, boolean>>>;
  common: CanonicalCapability[];
}

/** Whether calls to a provider need credentials (auth type other than `none`, and not optional). */
export function providerRequiresAuth(provider: CatalogProvider): boolean {
  const auth = provider.descriptor.auth;
  return auth !== undefined && auth.type !== 'none' && auth.optional !== true;
}

/**
 * Compares providers on model count, capabilities, price range, locality and auth, the facts that
 * decide which account to open or which server to run.
 */
export function compareProviders(providers: readonly CatalogProvider[]): ProviderComparison {
  const entries = providers.map((provider): ProviderComparisonEntry => {
    const entry: ProviderComparisonEntry = {
      id: provider.id,
      name: provider.name,
      provider,
      modelCount: provider.models.length,
      capabilities: provider.capabilities,
      local: provider.local,
      requiresAuth: providerRequiresAuth(provider),
      authEnv: provider.descriptor.auth?.env ?? [],
    };
    if (provider.descriptor.defaultModel) entry.defaultModel = provider.descriptor.defaultModel;
    const priced = provider.models.filter((model) => model.pricing);
    if (priced.length > 0) {
      const inputs = priced.map((model) => model.pricing?.input ?? 0);
      const outputs = priced.map((model) => model.pricing?.output ?? 0);
      entry.priceRange = {
        input: { min: Math.min(...inputs), max: Math.max(...inputs) },
        output: { min: Math.min(...outputs), max: Math.max(...outputs) },
      };
    }
    return entry;
  });
  return {
    providers: entries,
    ...capabilityMatrix(
      entries,
      (entry) => entry.id,
      (entry) => entry.capabilities,
    ),
  };
}
