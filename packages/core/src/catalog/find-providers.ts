import type { ProtocolId } from '../types/catalog.js';
import { CAPABILITY_MASK_WORDS, capabilityMask, resolveCapabilities } from './capabilities.js';
import type { CatalogIndex, CatalogProvider } from './catalog-index.js';
import { warnUnknownQueryOptions } from './query-options.js';
import { excludedProviders } from './recommend.js';

/** Filters of `catalog.findProviders`. Every field is optional; all given ones must hold. */
export interface FindProvidersOptions {
  /** Capabilities the provider offers itself or on at least one model; canonical names or aliases. */
  capabilities?: readonly string[];
  /** Same as `capabilities`. */
  features?: readonly string[];
  /** Only local (or only hosted, when false) providers. */
  local?: boolean;
  /**
   * Only providers that can be called as configured (`catalog.isConfigured`: a key and the required
   * base-URL parameters from settings or the environment), or, when false, only those that cannot.
   */
  configured?: boolean;
  /** The environment `configured` reads (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Only providers speaking this wire protocol (or one of these). */
  protocol?: ProtocolId | readonly ProtocolId[];
  /** Providers to leave out: ids or globs (`azure-*`); an unknown id throws naming the closest. */
  exclude?: readonly string[];
}

const FIND_PROVIDERS_KEY_SET: ReadonlySet<string> = new Set([
  'capabilities',
  'features',
  'local',
  'configured',
  'env',
  'protocol',
  'exclude',
] as const satisfies readonly (keyof FindProvidersOptions)[]);

/**
 * The providers passing every filter, in catalog order: the provider-level counterpart of
 * `findModels` (EchoTune's `findProviders`). Capability names are normalized and unknown ones throw
 * an `UnknownCapabilityError`, as in every query.
 */
export function findProviders(
  index: CatalogIndex,
  filter: FindProvidersOptions,
  isConfigured: (providerId: string, env?: FindProvidersOptions['env']) => boolean,
): CatalogProvider[] {
  warnUnknownQueryOptions(index, 'findProviders', filter, FIND_PROVIDERS_KEY_SET);
  const wanted = capabilityMask(resolveCapabilities([...(filter.features ?? []), ...(filter.capabilities ?? [])]));
  const excluded = excludedProviders(index, filter.exclude);
  const protocols = typeof filter.protocol === 'string' ? [filter.protocol] : filter.protocol;
  return index.providers.filter((provider, ordinal) => {
    if (excluded.has(ordinal)) return false;
    if (filter.local !== undefined && provider.local !== filter.local) return false;
    if (protocols !== undefined && !protocols.includes(provider.descriptor.protocol)) return false;
    for (let w = 0; w < CAPABILITY_MASK_WORDS; w++) {
      const need = wanted[w] as number;
      if (need !== 0 && ((index.providerMask[ordinal * CAPABILITY_MASK_WORDS + w] as number) & need) >>> 0 !== need)
        return false;
    }
    if (filter.configured !== undefined && isConfigured(provider.id, filter.env) !== filter.configured) return false;
    return true;
  });
}
