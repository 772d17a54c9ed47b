/**
 * `@switchboard/core/upstream`: readers for the two public model catalogs Switchboard seeds and
 * cross-checks its provider YAML against (models.dev and LiteLLM's cost map), normalized to the
 * catalog's conventions. Node only (reads files with node:fs).
 */
export { loadModelsDev, parseModelsDev } from './models-dev.js';
export { loadLiteLLM, parseLiteLLM, litellmModelId } from './litellm.js';
export type { LiteLLMOptions } from './litellm.js';
export { upstreamToModelInfo } from './to-model-info.js';
export { crossCheck, compareModel, upstreamIdsOf } from './cross-check.js';
export { defaultUpstreamDir, upstreamPaths } from './default-dir.js';
export { isSeedCandidate, snapshotBase } from './select.js';
export { seedModels, seedModel, contextIsInputPlusOutput, KNOWN_EMBEDDING_DIMENSIONS } from './seed.js';
export type { SeedOptions } from './seed.js';
export { roundSignificant } from './normalize.js';
export type {
  CrossCheckDisagreement,
  CrossCheckField,
  ProviderCrossCheck,
  UpstreamCatalogs,
  UpstreamLimits,
  UpstreamModel,
  UpstreamSource,
} from './types.js';
