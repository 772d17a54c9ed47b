export type * from './catalog/types.js';
export { defineProvider } from './provider.js';
export type { ProviderDefinition, ProviderSettings } from './provider.js';
export { blendedPricePer1M, calculateCost, effectiveRates, formatCost, selectPricingTier } from './catalog/cost.js';
export type { Cost, EffectiveRates, FormatCostOptions, TokenUsage } from './catalog/cost.js';
