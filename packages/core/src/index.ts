export type * from './catalog/types.js';
export { defineProvider } from './provider.js';
export type { ProviderDefinition, ProviderSettings } from './provider.js';
export { blendedPricePer1M, calculateCost, effectiveRates, formatCost, selectPricingTier } from './catalog/cost.js';
export type { Cost, EffectiveRates, FormatCostOptions, TokenUsage } from './catalog/cost.js';
export { createCatalog } from './catalog/catalog.js';
export type { Catalog, Environment, FindModelsOptions } from './catalog/catalog.js';
export type { CatalogInput, CatalogProvider, CatalogProviderInput } from './catalog/catalog-index.js';
export {
  canonicalCapabilities,
  capabilityKey,
  isKnownCapability,
  normalizeCapability,
  resolveCapabilities,
  suggestCapability,
} from './catalog/capabilities.js';
export { modelCapabilities } from './catalog/model-capabilities.js';
export { ModelNotFoundError, ProviderNotFoundError, UnknownCapabilityError } from './catalog/errors.js';
export type { ModelFilterOptions } from './catalog/model-filter.js';
export { formatModelRef } from './catalog/model-ref.js';
export { RECOMMEND_WEIGHTS } from './catalog/recommend.js';
export type {
  ModelRecommendation,
  ProviderRecommendation,
  RecommendModelsOptions,
  RecommendProvidersOptions,
} from './catalog/recommend.js';
export type {
  ModelComparison,
  ModelComparisonEntry,
  PriceRange,
  ProviderComparison,
  ProviderComparisonEntry,
} from './catalog/compare.js';
export { DERIVED_QUALITY_SOURCE, deriveQuality, deriveSpeed, qualityOf, speedOf } from './catalog/signals.js';
export type { QualityEstimate, SpeedEstimate } from './catalog/signals.js';
export { countTokens, encodingForModel, estimateTextTokens, estimateTokens } from './catalog/tokens.js';
export type { OpenAIEncoding, TokenCount, TokenCountInput, TokenCountMessage } from './catalog/tokens.js';
