/**
 * A virtual key's rate limits and concurrency cap, counted in the shared Store so every gateway
 * instance admits against one total. Requests and tokens per minute reuse core's `RateLimiter` (the
 * same atomic sliding windows the library applies to providers), under two scopes of their own so a
 * key's limits never mix with a provider's. The concurrency cap is a counter reserved when a request
 * starts and given back when it ends.
 */
import { RateLimiter, type RateLimitOverride, type RateLimitPermit, type Store } from '@switchboard/core';
import type { VirtualKeyRecord } from './key-settings.js';

const REQUESTS = 'virtual-key-requests';
const TOKENS = 'virtual-key-tokens';
const IN_FLIGHT_PREFIX = 'sb:vkey:inflight:';
/**
 * An in-flight counter expires this long after it was created, so slots held by a process that died
 * mid-request come back (it can briefly admit more than the cap if a busy key's counter expires).
 */
const IN_FLIGHT_TTL_MS = 15 * 60_000;

/** Why a request was refused, and when to retry. */
export interface LimitRefusal {
  reason: string;
  retryAfterMs: number;
}

export class KeyLimits {
  readonly store: Store;
  readonly #limiter: RateLimiter;
  readonly #configured = new Map<string, string>();
  readonly #requestKeys: Record<string, RateLimitOverride> = {};
  readonly #tokenKeys: Record<string, RateLimitOverride> = {};

  constructor(store: Store, options: { now?: () => number } = {}) {
    this.store = store;
    this.#limiter = new RateLimiter({
      store,
      policy: 'fail',
      prefix: 'sb:vkey:rl:',
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** Makes the limiter know the key's current limits (keys are created and changed while running). */
  #configure(record: VirtualKeyRecord): void {
    const signature = `${record.rpm ?? ''}/${record.tpm ?? ''}`;
    if (this.#configured.get(record.id) === signature) return;
    this.#configured.set(record.id, signature);
    if (record.rpm === undefined) delete this.#requestKeys[record.id];
    else this.#requestKeys[record.id] = { rpm: record.rpm };
    if (record.tpm === undefined) delete this.#tokenKeys[record.id];
    else this.#tokenKeys[record.id] = { tpm: record.tpm };
    this.#limiter.configureProvider(REQUESTS, { keys: this.#requestKeys });
    this.#limiter.configureProvider(TOKENS, { keys: this.#tokenKeys });
  }

  /**
   * Counts one request against the key's requests per minute, and refuses it when its tokens per
   * minute are already spent (the call's own tokens are counted by the budget stage, which knows
   * them). Returns the refusal, or undefined when admitted.
   */
  async admitRequest(record: VirtualKeyRecord): Promise<LimitRefusal | undefined> {
    this.#configure(record);
    if (record.tpm !== undefined) {
      const status = await this.#limiter.status(TOKENS, { key: record.id });
      if (status.tokens.remaining === 0) {
        return { reason: `${record.tpm} tokens per minute`, retryAfterMs: Math.max(1000, status.tokens.resetMs) };
      }
    }
    if (record.rpm === undefined) return undefined;
    try {
      await this.#limiter.acquire({ provider: REQUESTS, key: record.id });
      return undefined;
    } catch (error) {
      const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs ?? 1000;
      return { reason: `${record.rpm} requests per minute`, retryAfterMs };
    }
  }

  /**
   * Admits a call's estimated tokens against the key's tokens per minute (the budget stage calls it
   * before the call and commits the real usage after). Undefined when the key has no token limit;
   * throws core's `RateLimitError` (429) when the estimate does not fit.
   */
  async acquireTokens(record: VirtualKeyRecord, estimatedTokens: number): Promise<RateLimitPermit | undefined> {
    if (record.tpm === undefined) return undefined;
    this.#configure(record);
    return this.#limiter.acquire({ provider: TOKENS, key: record.id, estimatedTokens, policy: 'fail' });
  }

  /** Takes one of the key's concurrency slots; a refusal when all are taken. */
  async enter(record: VirtualKeyRecord): Promise<LimitRefusal | undefined> {
    if (record.maxConcurrent === undefined) return undefined;
    const result = await this.store.reserve(`${IN_FLIGHT_PREFIX}${record.id}`, 1, record.maxConcurrent, {
      ttlMs: IN_FLIGHT_TTL_MS,
    });
    if (result.allowed) return undefined;
    return { reason: `${record.maxConcurrent} concurrent requests`, retryAfterMs: 1000 };
  }

  /** Gives a slot taken by `enter` back. */
  async leave(id: string): Promise<void> {
    const key = `${IN_FLIGHT_PREFIX}${id}`;
    const left = await this.store.increment(key, -1, { ttlMs: IN_FLIGHT_TTL_MS });
    // The counter expired while the request ran (recreated at 0, now -1): put it back to 0 rather
    // than hand the key an extra slot.
    if (left < 0) await this.store.increment(key, -left, { ttlMs: IN_FLIGHT_TTL_MS });
  }
}
