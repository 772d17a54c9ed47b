/**
 * `@switchboard/catalog-tools`: readers for the two public model catalogs Switchboard seeds and
 * cross-checks its provider YAML against (models.dev and LiteLLM's cost map), normalized to the
 * catalog's conventions, and the catalog sync built on them. Maintainer tooling: a private workspace
 * package, never published, so users of `@switchboard/core` do not ship it. Node only (node:fs).
 */

export { compareModel, crossCheck, upstreamIdsOf } from './cross-check.js';
export { defaultUpstreamDir, upstreamPaths } from './default-dir.js';
export type { LiteLLMOptions } from './litellm.js';
export { litellmModelId, loadLiteLLM, parseLiteLLM } from './litellm.js';
export { loadModelsDev, parseModelsDev } from './models-dev.js';
export { roundSignificant } from './normalize.js';
export type { SeedOptions } from './seed.js';
export { contextIsInputPlusOutput, KNOWN_EMBEDDING_DIMENSIONS, seedModel, seedModels } from './seed.js';
export { isSeedCandidate, snapshotBase } from './select.js';
export * from './sync/index.js';
export { upstreamToModelInfo } from './to-model-info.js';
export type {
  CrossCheckDisagreement,
  CrossCheckField,
  ProviderCrossCheck,
  UpstreamCatalogs,
  UpstreamLimits,
  UpstreamModel,
  UpstreamSource,
} from './types.js';
