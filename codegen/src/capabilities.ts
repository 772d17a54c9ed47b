/** The capability vocabulary's table, built by the shared validator in `@switchboard/core/yaml/validator`. */
export type { CapabilityDefinition, CapabilityTable } from '@switchboard/core/yaml/validator';
export {
  buildCapabilityTable,
  canonicalCapability,
  normalizeCapabilities,
  normalizeCapabilityKey,
  suggestCapability,
} from '@switchboard/core/yaml/validator';
