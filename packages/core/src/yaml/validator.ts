/**
 * `@switchboard/core/yaml/validator`: the catalog validator's parts, synchronous, for codegen (which
 * validates `catalog/` with its own schema files and capability table). Loads `yaml` and `ajv` at once;
 * applications use `@switchboard/core/yaml` instead.
 */
export type { CapabilityDefinition, CapabilityTable } from './capability-table.js';
export {
  buildCapabilityTable,
  canonicalCapability,
  normalizeCapabilities,
  normalizeCapabilityKey,
  suggestCapability,
} from './capability-table.js';
export type { Diagnostic } from './diagnostics.js';
export {
  CatalogError,
  closest,
  compareDiagnostics,
  editDistance,
  formatDiagnostic,
  formatPath,
} from './diagnostics.js';
export type { CatalogContext } from './provider-text.js';
export { loadProviderText } from './provider-text.js';
export { checkProvider } from './semantic.js';
export type { YamlSource } from './source.js';
export { diagnosticAt, nodeAt, parseYaml, readYaml } from './source.js';
export { compileSchema, parsePointer, validateAgainstSchema } from './validate.js';
