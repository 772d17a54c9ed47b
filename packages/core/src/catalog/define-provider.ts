import type { ModelInfo, ProviderDescriptor } from '../types/catalog.js';
import type { ProviderDefinition, ProviderSettings } from '../types/provider.js';

/** Builds a provider definition from generated data and user settings. Used by generated factories. */
export function defineProvider<Id extends string, ModelId extends string>(
  data: {
    descriptor: ProviderDescriptor & { id: Id };
    models: readonly ModelInfo[];
    aliases: Readonly<Record<string, ModelId>>;
  },
  settings: ProviderSettings = {},
): ProviderDefinition<Id, ModelId> {
  return {
    id: data.descriptor.id,
    descriptor: data.descriptor,
    models: data.models,
    aliases: data.aliases,
    settings: Object.freeze({ ...settings }),
  };
}
