/**
 * Virtual keys in the shared `Store` (memory for one process, Redis for many): a record per key under
 * the SHA-256 of its secret (the lookup a request needs), its id pointing at that hash (for revoke),
 * and one index document of ids (for list; the Store has no scan). Every instance reads the same
 * records, so a key created or revoked through one gateway is seen by all.
 *
 * With the memory store, keys live and die with the process that holds them: `keys create` from the
 * command line needs a Redis store to reach a running gateway (or use `POST /api/keys`).
 */
import type { Store } from '@switchboard/core';
import { parseKeySettings, type VirtualKeyRecord } from './key-settings.js';
import { generateKeyId, generateVirtualKey, hashesEqual, hashKey } from './secret.js';

/** Store key prefix of everything this module writes. */
export const KEY_STORE_PREFIX = 'sb:vkey:';
const INDEX = `${KEY_STORE_PREFIX}index`;

/** What `create` hands back: the key (shown once, never retrievable again) and its stored record. */
export interface CreatedKey {
  key: string;
  record: VirtualKeyRecord;
}

export class VirtualKeyStore {
  readonly store: Store;
  readonly #now: () => number;

  constructor(store: Store, options: { now?: () => number } = {}) {
    this.store = store;
    this.#now = options.now ?? Date.now;
  }

  /** Validates `settings`, mints a key and stores its hash and settings. */
  async create(settings: unknown): Promise<CreatedKey> {
    const parsed = parseKeySettings(settings, this.#now());
    const key = generateVirtualKey();
    const record: VirtualKeyRecord = {
      id: generateKeyId(),
      hash: hashKey(key),
      createdAt: new Date(this.#now()).toISOString(),
      ...parsed,
    };
    await this.store.set(hashEntry(record.hash), JSON.stringify(record));
    await this.store.set(idEntry(record.id), record.hash);
    await this.#updateIndex((ids) => [...ids, record.id]);
    return { key, record };
  }

  /**
   * The record of a presented key, or undefined for an unknown one. The stored hash is compared with
   * the presented one in constant time.
   */
  async find(key: string): Promise<VirtualKeyRecord | undefined> {
    const hash = hashKey(key);
    const stored = await this.store.get(hashEntry(hash));
    if (stored === undefined) return undefined;
    const record = JSON.parse(stored) as VirtualKeyRecord;
    return hashesEqual(record.hash, hash) ? record : undefined;
  }

  /** A record by id (for the admin API); undefined when there is none. */
  async get(id: string): Promise<VirtualKeyRecord | undefined> {
    const hash = await this.store.get(idEntry(id));
    if (hash === undefined) return undefined;
    const stored = await this.store.get(hashEntry(hash));
    return stored === undefined ? undefined : (JSON.parse(stored) as VirtualKeyRecord);
  }

  /** Every key's record (ids and settings; the hash is left out: it is nobody's business). */
  async list(): Promise<Omit<VirtualKeyRecord, 'hash'>[]> {
    const ids = await this.#ids();
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records
      .filter((record): record is VirtualKeyRecord => record !== undefined)
      .map(({ hash: _hash, ...rest }) => rest);
  }

  /** Deletes a key; returns whether it existed. Requests with it are refused from then on. */
  async revoke(id: string): Promise<boolean> {
    const hash = await this.store.get(idEntry(id));
    await this.#updateIndex((ids) => ids.filter((existing) => existing !== id));
    if (hash === undefined) return false;
    await this.store.delete(hashEntry(hash));
    await this.store.delete(idEntry(id));
    return true;
  }

  async #ids(): Promise<string[]> {
    const stored = await this.store.get(INDEX);
    return stored === undefined ? [] : (JSON.parse(stored) as string[]);
  }

  /** Read-modify-write of the index with `compareAndSet`, retried when another writer got in first. */
  async #updateIndex(change: (ids: string[]) => string[]): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const current = await this.store.get(INDEX);
      const ids = current === undefined ? [] : (JSON.parse(current) as string[]);
      if (await this.store.compareAndSet(INDEX, current, JSON.stringify(change(ids)))) return;
    }
    throw new Error('virtual keys: the key index kept changing under 100 attempts to update it');
  }
}

function hashEntry(hash: string): string {
  return `${KEY_STORE_PREFIX}hash:${hash}`;
}

function idEntry(id: string): string {
  return `${KEY_STORE_PREFIX}id:${encodeURIComponent(id)}`;
}
