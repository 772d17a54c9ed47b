/**
 * `sb.addProvider`, `sb.removeProvider` and `sb.configured`: installing and uninstalling providers
 * on a running switchboard (what was derived from them is dropped; groups re-resolve), and whether
 * a provider has its key and parameters.
 */

import { ConfigurationError } from '../errors/errors.js';
import { type ConfigResolver, createConfigResolver } from '../runtime/config/config-resolver.js';
import { type IndexedProvider, indexProviders } from '../runtime/provider-index.js';
import type { ProviderInput } from '../types/provider.js';
import type { CatalogParts } from './build-catalog.js';
import { notInstalled } from './not-installed.js';
import type { CoreParts } from './parts.js';
import type { Switchboard } from './switchboard-types.js';

/** The provider administration methods. */
export function buildProviderAdmin(
  parts: CoreParts,
  catalog: CatalogParts,
): Pick<Switchboard, 'addProvider' | 'removeProvider' | 'configured'> {
  const { options, config, providers, runtime, logging, router } = parts;
  /** Resolvers of providers added after creation (`configured` asks them). */
  const addedConfig = new Map<string, ConfigResolver>();
  const providersChanged = (providerId: string): void => {
    catalog.invalidate();
    router.providersChanged(providerId);
  };
  return {
    configured: (provider) => (addedConfig.get(provider) ?? config).configured(provider),
    addProvider(provider) {
      if (providers.has(provider.id))
        throw new ConfigurationError(`Provider '${provider.id}' is already installed: remove it first`, {
          provider: provider.id,
          setting: 'providers',
        });
      const resolver = createConfigResolver([provider], options, runtime.env, logging?.component('config'));
      const installed = resolver.providers[0] as ProviderInput;
      providers.set(provider.id, indexProviders([installed]).get(provider.id) as IndexedProvider);
      (config.providers as ProviderInput[]).push(installed);
      addedConfig.set(provider.id, resolver);
      providersChanged(provider.id);
    },
    removeProvider(providerId) {
      if (!providers.has(providerId)) throw notInstalled(providers, providerId);
      providers.delete(providerId);
      const list = config.providers as ProviderInput[];
      list.splice(
        list.findIndex((provider) => provider.id === providerId),
        1,
      );
      addedConfig.delete(providerId);
      catalog.discovered.delete(providerId);
      providersChanged(providerId);
    },
  };
}
