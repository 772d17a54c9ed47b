/**
 * The default `Store`: everything in one process's memory. Atomic by construction (every method
 * does its read-modify-write synchronously before its promise settles, so nothing can interleave),
 * which is also what makes it the reference implementation for the shared contract suite
 * (`store-contract.ts`).
 */

import type { AdmitCheck, AdmitResult, SetOptions, Store, WindowResult } from '../../types/store.js';
import { type NowFn, systemNow } from './clock.js';
import { rollWindow, type WindowBuckets, windowEstimate, windowRetryAfter } from './sliding-window.js';

export interface MemoryStoreOptions {
  /** Clock (ms since epoch) for expiries and windows; tests inject a fake one. Default `Date.now`. */
  now?: NowFn;
  /**
   * How often expired entries are swept, in ms; the timer is unref'd so it never keeps a process
   * alive. `0` or `false` disables the sweep (expiry is still checked lazily on every read).
   * Default 60 000.
   */
  sweepIntervalMs?: number | false;
}

/** Floating-point slack when comparing a window estimate with its limit. */
const EPSILON = 1e-9;

interface Entry {
  value: string;
  /** ms since epoch; absent: never expires. */
  expiresAt?: number;
}

interface WindowEntry {
  buckets: WindowBuckets;
  windowMs: number;
}

/**
 * In-process `Store`. Keys expire by timestamp, checked lazily on access and by an unref'd sweep
 * timer. Sliding windows use the two-bucket sliding-window-counter approximation
 * (`estimate = previous * (1 - elapsed / windowMs) + current`, see `sliding-window.ts`); a window key
 * is dropped once two full windows have passed without traffic.
 *
 * Window keys live in their own map (they are not strings), but `delete` and `deletePrefix` cover them.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly #now: NowFn;
  readonly #entries = new Map<string, Entry>();
  readonly #windows = new Map<string, WindowEntry>();
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? systemNow;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval !== false && interval > 0) {
      this.#sweepTimer = setInterval(() => this.sweep(), interval);
      this.#sweepTimer.unref?.();
    }
  }

  /** Number of live (unexpired) string keys and window keys; for tests and stats. */
  get size(): number {
    this.sweep();
    return this.#entries.size + this.#windows.size;
  }

  /** Removes every expired entry now (the timer calls this; tests may too). */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.#entries.delete(key);
    }
    for (const [key, window] of this.#windows) {
      if (window.buckets.start + 2 * window.windowMs <= now) this.#windows.delete(key);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    this.#entries.set(key, { value, expiresAt: this.#expiry(options) });
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#entries.delete(key);
    const window = this.#windows.delete(key);
    return existed || window;
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith(prefix) && this.#live(key) !== undefined) {
        this.#entries.delete(key);
        count++;
      }
    }
    for (const key of [...this.#windows.keys()]) {
      if (key.startsWith(prefix)) {
        this.#windows.delete(key);
        count++;
      }
    }
    return count;
  }

  async compareAndSet(key: string, expected: string | undefined, next: string, options?: SetOptions): Promise<boolean> {
    if (this.#live(key)?.value !== expected) return false;
    this.#entries.set(key, { value: next, expiresAt: this.#expiry(options) });
    return true;
  }

  async increment(key: string, by: number, options?: SetOptions): Promise<number> {
    const entry = this.#live(key);
    if (entry === undefined) {
      this.#entries.set(key, { value: String(by), expiresAt: this.#expiry(options) });
      return by;
    }
    const value = toNumber(key, entry.value) + by;
    entry.value = String(value);
    return value;
  }

  async reserve(key: string, amount: number, limit: number, options?: SetOptions): Promise<WindowResult> {
    const entry = this.#live(key);
    const current = entry === undefined ? 0 : toNumber(key, entry.value);
    if (current + amount > limit) {
      const retryAfterMs = entry?.expiresAt === undefined ? 0 : Math.max(0, entry.expiresAt - this.#now());
      return { allowed: false, current, limit, remaining: Math.max(0, limit - current), retryAfterMs };
    }
    const next = current + amount;
    if (entry === undefined) this.#entries.set(key, { value: String(next), expiresAt: this.#expiry(options) });
    else entry.value = String(next);
    return { allowed: true, current: next, limit, remaining: Math.max(0, limit - next), retryAfterMs: 0 };
  }

  async slidingWindow(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    now: number = this.#now(),
  ): Promise<WindowResult> {
    const buckets = rollWindow(this.#windows.get(key)?.buckets, windowMs, now);
    const estimate = windowEstimate(buckets, windowMs, now);
    if (estimate + amount > limit + EPSILON) {
      this.#windows.set(key, { buckets, windowMs });
      return {
        allowed: false,
        current: estimate,
        limit,
        remaining: Math.max(0, limit - estimate),
        retryAfterMs: windowRetryAfter(buckets, amount, limit, windowMs, now),
      };
    }
    buckets.current += amount;
    this.#windows.set(key, { buckets, windowMs });
    const current = estimate + amount;
    return { allowed: true, current, limit, remaining: Math.max(0, limit - current), retryAfterMs: 0 };
  }

  async admit(checks: readonly AdmitCheck[], now: number = this.#now()): Promise<AdmitResult> {
    const results: (WindowResult | undefined)[] = [];
    // Pass 1 decides (nothing changes); pass 2 records. Both run before the promise settles: atomic.
    const plans: (
      | { buckets: WindowBuckets; windowMs: number }
      | { limitEntry: Entry; counter: Entry | undefined }
      | undefined
    )[] = [];
    for (let i = 0; i < checks.length; i += 1) {
      const check = checks[i] as AdmitCheck;
      if (check.type === 'window') {
        const buckets = rollWindow(this.#windows.get(check.key)?.buckets, check.windowMs, now);
        const estimate = windowEstimate(buckets, check.windowMs, now);
        if (estimate + check.amount > check.limit + EPSILON) {
          const refusal: WindowResult = {
            allowed: false,
            current: estimate,
            limit: check.limit,
            remaining: Math.max(0, check.limit - estimate),
            retryAfterMs: windowRetryAfter(buckets, check.amount, check.limit, check.windowMs, now),
          };
          return { allowed: false, refused: i, results: refusedAt(i, refusal) };
        }
        const current = estimate + check.amount;
        results.push({
          allowed: true,
          current,
          limit: check.limit,
          remaining: Math.max(0, check.limit - current),
          retryAfterMs: 0,
        });
        plans.push({ buckets, windowMs: check.windowMs });
        continue;
      }
      const limitEntry = this.#live(check.limitKey);
      if (limitEntry === undefined) {
        results.push(undefined);
        plans.push(undefined);
        continue;
      }
      const limit = toNumber(check.limitKey, limitEntry.value);
      const counter = this.#live(check.key);
      const used = counter === undefined ? 0 : toNumber(check.key, counter.value);
      if (used + check.amount > limit) {
        const retryAfterMs = limitEntry.expiresAt === undefined ? 0 : Math.max(0, limitEntry.expiresAt - this.#now());
        const refusal = { allowed: false, current: used, limit, remaining: Math.max(0, limit - used), retryAfterMs };
        return { allowed: false, refused: i, results: refusedAt(i, refusal) };
      }
      const current = used + check.amount;
      results.push({ allowed: true, current, limit, remaining: Math.max(0, limit - current), retryAfterMs: 0 });
      plans.push({ limitEntry, counter });
    }
    for (let i = 0; i < checks.length; i += 1) {
      const check = checks[i] as AdmitCheck;
      const plan = plans[i];
      if (plan === undefined) continue;
      if ('buckets' in plan) {
        plan.buckets.current += check.amount;
        this.#windows.set(check.key, plan);
      } else if (plan.counter === undefined) {
        this.#entries.set(check.key, { value: String(check.amount), expiresAt: plan.limitEntry.expiresAt });
      } else plan.counter.value = String(toNumber(check.key, plan.counter.value) + check.amount);
    }
    return { allowed: true, results };
  }

  async adjustWindow(key: string, delta: number, windowMs: number, now: number = this.#now()): Promise<void> {
    const buckets = rollWindow(this.#windows.get(key)?.buckets, windowMs, now);
    // A bucket never goes below 0: a refund larger than what this bucket holds (the estimate was
    // recorded in the previous bucket) is dropped, erring on the side of admitting less.
    buckets.current = Math.max(0, buckets.current + delta);
    this.#windows.set(key, { buckets, windowMs });
  }

  async peekWindow(key: string, windowMs: number, now: number = this.#now()): Promise<number> {
    const stored = this.#windows.get(key);
    if (stored === undefined) return 0;
    return windowEstimate(rollWindow(stored.buckets, windowMs, now), windowMs, now);
  }

  async close(): Promise<void> {
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#closed = true;
  }

  /** Whether `close()` was called (the store keeps working; only the sweep timer stops). */
  get closed(): boolean {
    return this.#closed;
  }

  #expiry(options: SetOptions | undefined): number | undefined {
    return options?.ttlMs === undefined ? undefined : this.#now() + options.ttlMs;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

function refusedAt(index: number, result: WindowResult): (WindowResult | undefined)[] {
  const results: (WindowResult | undefined)[] = new Array(index + 1).fill(undefined);
  results[index] = result;
  return results;
}

function toNumber(key: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`Store key '${key}' does not hold a number`);
  return n;
}
