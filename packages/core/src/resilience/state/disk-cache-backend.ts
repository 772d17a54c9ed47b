/**
 * An on-disk response cache for development and offline tests: answers survive restarts, so a test
 * suite or a notebook re-run costs nothing. One JSON file per entry under a sharded directory
 * (`<dir>/<2 hex>/<sha256 of the key>.json`), written atomically (temp file + rename) so a crash or a
 * concurrent writer never leaves a torn file. A file holds only the expiry and the cached value (which
 * the response cache has already stripped of anything secret): never the cache key, never an API key.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheBackend } from './cache-backend.js';
import { sha256Hex } from './canonical-json.js';
import { type NowFn, systemNow } from './clock.js';

export interface DiskCacheBackendOptions {
  /** Directory of the cache; created on first write. `clear()` only removes the cache's own shard folders. */
  dir: string;
  now?: NowFn;
}

interface DiskEntry {
  /** ms since epoch, or null: never expires. */
  expiresAt: number | null;
  value: string;
}

const SHARD = /^[0-9a-f]{2}$/;

/** File-per-entry cache backend with TTL checked on read. */
export class DiskCacheBackend implements CacheBackend {
  readonly kind = 'disk';
  readonly dir: string;
  readonly #now: NowFn;

  constructor(options: DiskCacheBackendOptions) {
    this.dir = options.dir;
    this.#now = options.now ?? systemNow;
  }

  /** The file an entry lives in (exposed for tests and tooling). */
  pathOf(key: string): string {
    const hash = sha256Hex(key);
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  async get(key: string): Promise<string | undefined> {
    const file = this.pathOf(key);
    let entry: DiskEntry;
    try {
      entry = JSON.parse(await readFile(file, 'utf8')) as DiskEntry;
    } catch {
      return undefined; // absent or unreadable: a miss, never an error
    }
    if (typeof entry?.value !== 'string') return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= this.#now()) {
      await unlink(file).catch(() => {});
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const file = this.pathOf(key);
    const entry: DiskEntry = { expiresAt: ttlMs === undefined ? null : this.#now() + ttlMs, value };
    await mkdir(join(file, '..'), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(entry), 'utf8');
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    const existed = (await this.get(key)) !== undefined;
    await unlink(this.pathOf(key)).catch(() => {});
    return existed;
  }

  async clear(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    await Promise.all(
      names
        .filter((name) => SHARD.test(name))
        .map((name) => rm(join(this.dir, name), { recursive: true, force: true })),
    );
  }
}
