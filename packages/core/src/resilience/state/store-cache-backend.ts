/**
 * Response-cache entries in any `Store` (Redis, to share one cache between processes). Bounded by
 * TTL only: eviction under memory pressure is the store's own business (Redis `maxmemory-policy`).
 */

import type { Store } from '../../types/store.js';
import type { CacheBackend } from './cache-backend.js';

export interface StoreCacheBackendOptions {
  /** Key prefix inside the store (default `sb:cache:`); `clear()` deletes everything under it. */
  prefix?: string;
}

/** A cache backend on a `Store`; TTL only, keys under `sb:cache:`. */
export class StoreCacheBackend implements CacheBackend {
  readonly kind: string;
  readonly prefix: string;

  constructor(
    readonly store: Store,
    options: StoreCacheBackendOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sb:cache:';
    this.kind = `store:${store.kind}`;
  }

  get(key: string): Promise<string | undefined> {
    return this.store.get(this.prefix + key);
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return this.store.set(this.prefix + key, value, ttlMs === undefined ? undefined : { ttlMs });
  }

  delete(key: string): Promise<boolean> {
    return this.store.delete(this.prefix + key);
  }

  async clear(): Promise<void> {
    await this.store.deletePrefix(this.prefix);
  }
}
