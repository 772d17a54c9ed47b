/**
 * The one interface behind every piece of state that several processes may need to share: response
 * cache entries, rate-limit windows, circuit-breaker state, budgets and sessions (DESIGN 6).
 *
 * Core ships an in-process memory store (the default); `@switchboard/redis` implements the same
 * interface on a real Redis server so many processes share one view. Every method that reads and
 * writes must be atomic with respect to other processes using the same store: the memory store is
 * trivially so, the Redis store uses Lua scripts.
 *
 * Keys are plain strings; components prefix theirs (`sb:cache:`, `sb:rl:`, `sb:cb:`, `sb:budget:`,
 * `sb:session:`) and the store adds its own namespace prefix on top. Values are strings (JSON where
 * structured). Nothing stored is ever an API key.
 */

/** Result of a sliding-window or reservation check. */
export interface WindowResult {
  /** Whether `amount` was admitted (and recorded). */
  allowed: boolean;
  /** The window's usage after this call (including `amount` when allowed). */
  current: number;
  limit: number;
  /** `limit - current`, never below 0. */
  remaining: number;
  /** Milliseconds until enough of the window has passed for `amount` to fit (0 when allowed). */
  retryAfterMs: number;
}

/** One limit of a `Store.admit` call. */
export type AdmitCheck =
  /** A sliding window, as `slidingWindow`. */
  | { type: 'window'; key: string; amount: number; limit: number; windowMs: number }
  /**
   * A counter capped by the number stored at `limitKey` (as `reserve`, with the limit read in the same
   * atomic step): skipped when `limitKey` is absent. A refusal's `retryAfterMs` is the time until
   * `limitKey` expires. A counter the call creates expires with `limitKey` (a server-reported cap that
   * holds until the provider's reset).
   */
  | { type: 'capped'; key: string; amount: number; limitKey: string };

/** What `Store.admit` decided. */
export interface AdmitResult {
  /** Whether every check admitted its amount (and all were recorded); when false nothing was recorded. */
  allowed: boolean;
  /** Index of the check that refused. */
  refused?: number;
  /**
   * Per check, by index: its result. Absent for a skipped `capped` check, and when refused, for every
   * check but the refusing one.
   */
  results: (WindowResult | undefined)[];
}

export interface SetOptions {
  /** Expiry in milliseconds; absent means no expiry. */
  ttlMs?: number;
}

export interface Store {
  /** `memory`, `redis`, ... for logs and stats. */
  readonly kind: string;

  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: SetOptions): Promise<void>;
  /** Returns whether the key existed. */
  delete(key: string): Promise<boolean>;
  /** Deletes every key starting with `prefix`; returns how many. */
  deletePrefix(prefix: string): Promise<number>;

  /**
   * Sets `key` to `next` only if its current value is `expected` (`undefined`: only if absent).
   * The building block for optimistic read-modify-write of small JSON documents (breaker state).
   */
  compareAndSet(key: string, expected: string | undefined, next: string, options?: SetOptions): Promise<boolean>;

  /** Adds `by` (may be negative) to a numeric counter, creating it at 0 with `ttlMs`; returns the new value. */
  increment(key: string, by: number, options?: SetOptions): Promise<number>;

  /**
   * Adds `amount` to the counter at `key` only if the result stays at or below `limit`; the counter is
   * created with `ttlMs` (a budget period). Atomic check-and-add.
   */
  reserve(key: string, amount: number, limit: number, options?: SetOptions): Promise<WindowResult>;

  /**
   * Sliding-window limit (requests or tokens per window): admits and records `amount` if the usage
   * over the last `windowMs` plus `amount` stays at or below `limit`. Implementations may use the
   * two-bucket sliding-window-counter approximation. `now` (ms since epoch) is injectable for tests.
   */
  slidingWindow(key: string, amount: number, limit: number, windowMs: number, now?: number): Promise<WindowResult>;

  /**
   * Several limits at once, all or nothing, as one atomic step (one round trip to a remote store):
   * the checks are evaluated in order; if each admits its amount, all are recorded; the first that
   * refuses stops the call and nothing is recorded. The rate limiter's admission (server-reported
   * caps, requests per minute and per day, tokens per minute) is one `admit`.
   */
  admit(checks: readonly AdmitCheck[], now?: number): Promise<AdmitResult>;

  /** Adds `delta` (may be negative: an estimate corrected from real usage) to the current window. */
  adjustWindow(key: string, delta: number, windowMs: number, now?: number): Promise<void>;

  /** Usage over the last `windowMs` without recording anything. */
  peekWindow(key: string, windowMs: number, now?: number): Promise<number>;

  /** Releases connections and timers. */
  close(): Promise<void>;
}
