import { type Catalog, createCatalog } from '@switchboard/core';
import { allProviders } from './generated/providers.js';

let cached: Catalog | undefined;

/** The catalog of every provider the generator knows, built once per process. */
export function loadCatalog(): Catalog {
  cached ??= createCatalog(allProviders);
  return cached;
}
