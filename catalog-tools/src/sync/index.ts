/**
 * Catalog sync: reads models.dev and LiteLLM (URLs, files, snapshot folders, models.dev TOML trees),
 * compares them with the provider YAMLs and writes the edits that follow an upstream source.
 * Maintainer tooling, in the private catalog-tools package with the upstream readers it builds on.
 */
export type { ProviderAgreement, SourceAgreement } from './agreement.js';
export { priceAgreement } from './agreement.js';
export type {
  CompareOptions,
  ExpiringPrice,
  FactChange,
  NewModel,
  ProviderSyncReport,
  StatusChange,
  SyncAction,
  SyncField,
} from './compare.js';
export { compareWithUpstream } from './compare.js';
export type { CommentedRetirement, FactSource, LoadedUpstream, UpstreamLocations } from './load-upstream.js';
export { describeSource, loadUpstream } from './load-upstream.js';
export type { ResolvedTree, TreeProvenance } from './models-dev-tree.js';
export { isModelsDevTree, resolveModelsDevTree } from './models-dev-tree.js';
export type { PriceRate } from './price-forms.js';
export { hasPriceSchedule, priceForms } from './price-forms.js';
export type { ReadLocationOptions } from './read-location.js';
export { DEFAULT_LITELLM_URL, DEFAULT_MODELS_DEV_URL, readJsonLocation, readLocation } from './read-location.js';
export { syncReportMarkdown } from './report-markdown.js';
export type { SyncOptions, SyncResult } from './sync-catalog.js';
export { syncCatalog } from './sync-catalog.js';
export type { AppliedEdit, ProviderYaml } from './yaml-writer.js';
export { applySync, readProviderYaml } from './yaml-writer.js';
