/**
 * The default response-cache backend: an in-process map bounded by entries and bytes with
 * least-recently-used eviction. It is its own map, not the shared `MemoryStore`, so cache pressure
 * can never evict rate-limit counters or budgets.
 */
import type { CacheBackend } from './cache-backend.js';
import { type NowFn, systemNow } from './clock.js';

export interface LruCacheBackendOptions {
  /** Most entries kept (default 1 000). */
  maxEntries?: number;
  /** Most bytes kept, counted as UTF-8 bytes of key plus value (default 64 MiB). */
  maxBytes?: number;
  now?: NowFn;
}

interface LruEntry {
  value: string;
  bytes: number;
  expiresAt?: number;
}

/** In-process LRU cache backend with entry and byte bounds and lazy TTL expiry. */
export class LruCacheBackend implements CacheBackend {
  readonly kind = 'memory-lru';
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #now: NowFn;
  /** Map iteration order is insertion order: the first entry is the least recently used. */
  readonly #map = new Map<string, LruEntry>();
  #bytes = 0;
  #evictions = 0;

  constructor(options: LruCacheBackendOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? systemNow;
  }

  get evictions(): number {
    return this.#evictions;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#remove(key, entry);
      return undefined;
    }
    // Touch: move to the most recently used end.
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const old = this.#map.get(key);
    if (old !== undefined) this.#remove(key, old);
    const bytes = Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
    // An entry larger than the whole cache is not stored (it would evict everything and then itself).
    if (bytes > this.maxBytes || this.maxEntries <= 0) return;
    this.#map.set(key, { value, bytes, expiresAt: ttlMs === undefined ? undefined : this.#now() + ttlMs });
    this.#bytes += bytes;
    this.#evict();
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    const live = entry.expiresAt === undefined || entry.expiresAt > this.#now();
    this.#remove(key, entry);
    return live;
  }

  async clear(): Promise<void> {
    this.#map.clear();
    this.#bytes = 0;
  }

  size(): { entries: number; bytes: number } {
    this.#dropExpired();
    return { entries: this.#map.size, bytes: this.#bytes };
  }

  #remove(key: string, entry: LruEntry): void {
    this.#map.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evict(): void {
    if (this.#map.size <= this.maxEntries && this.#bytes <= this.maxBytes) return;
    // Expired entries go first and do not count as evictions.
    this.#dropExpired();
    for (const [key, entry] of this.#map) {
      if (this.#map.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#remove(key, entry);
      this.#evictions++;
    }
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#map) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#remove(key, entry);
    }
  }
}
