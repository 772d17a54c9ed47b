import { loadCatalogProviders } from '@switchboard/catalog';
import { type Catalog, createCatalog } from '@switchboard/core';

let cached: Promise<Catalog> | undefined;

/**
 * The catalog of every provider, from `@switchboard/catalog`'s data (no provider package needed), built
 * once per process. Loaded on first use, so `--help` and commands that need no catalog never parse it.
 */
export function loadCatalog(): Promise<Catalog> {
  cached ??= loadCatalogProviders().then((providers) => createCatalog(providers));
  return cached;
}
