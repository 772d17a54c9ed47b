/** A provider and a model reference as the call runtime resolved them (built by runtime/provider-index.ts). */
import type { ModelInfo } from './catalog.js';
import type { CustomProvider, ProviderDefinition } from './provider.js';

/** A provider with its models indexed by id. */
export interface IndexedProvider {
  id: string;
  definition: ProviderDefinition | undefined;
  custom: CustomProvider | undefined;
  models: Map<string, ModelInfo>;
  /** Ids a live listing found that the catalog does not list: called without the "not in the catalog" warning. */
  discovered?: Set<string>;
}

/** What a model reference resolved to. */
export interface ResolvedModel {
  provider: IndexedProvider;
  /** The id sent on the wire (aliases resolved). */
  modelId: string;
  /** Catalog facts; undefined for an id the catalog does not list. */
  model: ModelInfo | undefined;
  warnings: string[];
}
