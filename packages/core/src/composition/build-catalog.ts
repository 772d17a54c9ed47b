/**
 * `sb.catalog`: the installed providers' catalog with the models live listing discovered, made on
 * first use and dropped whenever providers are added, removed or discover models. Recommendations
 * leave out providers whose last health check failed.
 */
import { type Catalog, createCatalog } from '../catalog/catalog.js';
import { isCustomProvider } from '../runtime/provider-index.js';
import type { ModelInfo } from '../types/catalog.js';
import type { ProviderDefinition } from '../types/provider.js';
import type { CoreParts } from './parts.js';

/** The lazily made catalog and what it is made from. */
export interface CatalogParts {
  readonly get: () => Catalog;
  /** Per provider: catalog entries of models found by live listing. */
  readonly discovered: Map<string, ModelInfo[]>;
  /** Forgets what was derived from the providers (resolved targets, the catalog). */
  readonly invalidate: () => void;
}

/** Builds the catalog holder. */
export function buildCatalog(parts: CoreParts): CatalogParts {
  const { config, health, targets } = parts;
  const discovered = new Map<string, ModelInfo[]>();
  let catalog: Catalog | undefined;
  const get = (): Catalog => {
    if (catalog !== undefined) return catalog;
    const base = createCatalog(
      config.providers
        .filter((provider): provider is ProviderDefinition => !isCustomProvider(provider))
        .map((provider) => {
          const found = discovered.get(provider.id);
          return found === undefined ? provider : { ...provider, models: [...provider.models, ...found] };
        }),
    );
    catalog = {
      ...base,
      recommendModels: (recommendOptions) =>
        base.recommendModels({
          ...recommendOptions,
          isAvailable: (ref: string) => health.monitor?.isHealthy(ref.slice(0, ref.indexOf('/'))) ?? true,
        }),
    };
    return catalog;
  };
  const invalidate = (): void => {
    targets.clear();
    catalog = undefined;
  };
  return { get, discovered, invalidate };
}
