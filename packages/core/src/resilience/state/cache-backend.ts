/**
 * Where the response cache keeps its entries. Values are opaque strings (the cache's JSON); a
 * backend only stores, expires and evicts them.
 */

/** A response-cache storage backend. */
export interface CacheBackend {
  /** `memory-lru`, `store:redis`, `disk`, ... for stats and logs. */
  readonly kind: string;
  get(key: string): Promise<string | undefined>;
  /** `ttlMs` absent: no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Returns whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** Removes every entry this backend holds for the cache. */
  clear(): Promise<void>;
  /** Live entries and their bytes, when the backend can tell cheaply (the in-process LRU). */
  size?(): { entries: number; bytes: number };
  /** Entries dropped to stay within bounds (not expiries). */
  readonly evictions?: number;
  /** Releases timers or connections the backend opened itself. */
  close?(): Promise<void>;
}
