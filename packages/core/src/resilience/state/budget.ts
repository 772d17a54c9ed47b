/**
 * Token and cost budgets per key, per tag or for everything, over an hour, a day, a calendar month,
 * a custom period or all time (DESIGN 6). A call reserves its estimate before it is sent (atomic
 * check-and-add in the `Store`, so concurrent calls and other processes cannot overshoot together)
 * and is rejected with a `BudgetExceededError` when it would go over; after the call the reservation
 * is corrected to the real usage and cost.
 *
 * Cost is counted in integer micro-dollars so counters stay integral in every store.
 */

import type { Store } from '../../types/store.js';
import { type NowFn, systemNow } from './clock.js';
import { BudgetExceededError } from './errors.js';
import { MemoryStore } from './memory-store.js';

/** Calendar periods are UTC. `{ ms }` periods are aligned to multiples of `ms` since the epoch. */
export type BudgetPeriod = 'hour' | 'day' | 'month' | 'total' | { ms: number };

/** One budget. With neither `key` nor `tag` it applies to every call. */
export interface BudgetLimit {
  /** Applies to calls made with this key id (a name you choose, never an API key). */
  key?: string;
  /** Applies to calls carrying this tag. */
  tag?: string;
  /** Most tokens (input plus output) in one period. */
  maxTokens?: number;
  /** Most spend in one period, US dollars. */
  maxCostUsd?: number;
  period: BudgetPeriod;
}

export interface BudgetTrackerOptions {
  limits: BudgetLimit[];
  /** Where usage is counted (default: a private `MemoryStore`); a Redis store shares budgets between processes. */
  store?: Store;
  /** Store key prefix (default `sb:budget:`). */
  prefix?: string;
  now?: NowFn;
}

/** Who a call is billed to. */
export interface BudgetScope {
  key?: string;
  keys?: string[];
  tags?: string[];
}

export interface BudgetCheck extends BudgetScope {
  /** Tokens the call is expected to use; at least 1 is reserved, so an exhausted budget refuses every call. */
  estimatedTokens?: number;
  /** Expected cost in US dollars; at least one micro-dollar is reserved against cost budgets. */
  estimatedCost?: number;
}

interface ReservedCounter {
  counter: string;
  metric: 'tokens' | 'cost';
  /** Tokens, or micro-dollars. */
  amount: number;
  /** ms since epoch; undefined for `total`. */
  periodEnd?: number;
}

/** What `check` reserved; pass it to `record` (or `release`) once the call is done. */
export interface BudgetReservation {
  readonly counters: readonly ReservedCounter[];
  readonly estimatedTokens: number;
  readonly estimatedCost: number;
}

/** Usage as a number of tokens or anything with `totalTokens` (a response's `usage`). */
export type BudgetUsage = number | { totalTokens: number } | { inputTokens: number; outputTokens: number };
/** Cost as US dollars or anything with `total` (a response's `cost`). */
export type BudgetCost = number | { total: number };

export interface BudgetStatus {
  /** `key:<id>`, `tag:<name>` or `global`. */
  budget: string;
  period: string;
  /** Start of the current period (ms since epoch; 0 for `total`). */
  periodStart: number;
  /** End of the current period; undefined for `total`. */
  resetAt?: number;
  tokens?: { used: number; limit: number; remaining: number };
  cost?: { usedUsd: number; limitUsd: number; remainingUsd: number };
}

const MICRO = 1_000_000;

/** Budgets over a `Store`. */
export class BudgetTracker {
  readonly store: Store;
  readonly limits: readonly BudgetLimit[];
  readonly #prefix: string;
  readonly #now: NowFn;

  constructor(options: BudgetTrackerOptions) {
    for (const limit of options.limits) validate(limit);
    this.limits = [...options.limits];
    this.store = options.store ?? new MemoryStore({ now: options.now });
    this.#prefix = options.prefix ?? 'sb:budget:';
    this.#now = options.now ?? systemNow;
  }

  /**
   * Reserves the call's estimate against every budget that applies. Throws a `BudgetExceededError`
   * (nothing stays reserved) when one would go over its limit.
   */
  async check(request: BudgetCheck): Promise<BudgetReservation> {
    const now = this.#now();
    const tokens = Math.max(1, Math.ceil(request.estimatedTokens ?? 0));
    const micros = Math.max(1, toMicros(request.estimatedCost ?? 0));
    const reserved: ReservedCounter[] = [];
    for (const limit of this.#applicable(request)) {
      const { start, end } = periodBounds(limit.period, now);
      const base = this.#counterBase(limit, start);
      const ttl = end === undefined ? undefined : { ttlMs: Math.max(1, end - now) };
      const checks: [ReservedCounter['metric'], number | undefined, number][] = [
        ['tokens', limit.maxTokens, tokens],
        ['cost', limit.maxCostUsd === undefined ? undefined : limitMicros(limit.maxCostUsd), micros],
      ];
      for (const [metric, max, amount] of checks) {
        if (max === undefined) continue;
        const counter = `${base}:${metric === 'tokens' ? 'tok' : 'usd'}`;
        const result = await this.store.reserve(counter, amount, max, ttl);
        if (!result.allowed) {
          await this.#undo(reserved);
          throw exceeded(limit, metric, max, result.current, amount, end);
        }
        reserved.push({ counter, metric, amount, ...(end === undefined ? {} : { periodEnd: end }) });
      }
    }
    return { counters: reserved, estimatedTokens: tokens, estimatedCost: micros / MICRO };
  }

  /**
   * Corrects a reservation to the real usage and cost (by the difference). Without `actualCost` the
   * cost estimate stands. Counters of a period that has already ended are left alone.
   */
  async record(reservation: BudgetReservation, actualUsage: BudgetUsage, actualCost?: BudgetCost): Promise<void> {
    const now = this.#now();
    const tokens = Math.max(0, Math.ceil(usageTokens(actualUsage)));
    const micros = actualCost === undefined ? undefined : Math.max(0, toMicros(costUsd(actualCost)));
    await Promise.all(
      reservation.counters.map(async (entry) => {
        const actual = entry.metric === 'tokens' ? tokens : micros;
        if (actual === undefined || actual === entry.amount) return;
        if (entry.periodEnd !== undefined && entry.periodEnd <= now) return;
        const ttl = entry.periodEnd === undefined ? undefined : { ttlMs: entry.periodEnd - now };
        await this.store.increment(entry.counter, actual - entry.amount, ttl);
      }),
    );
  }

  /** Gives a reservation back (the call was never made). */
  async release(reservation: BudgetReservation): Promise<void> {
    await this.#undo(reservation.counters.filter((c) => c.periodEnd === undefined || c.periodEnd > this.#now()));
  }

  /**
   * Usage of every budget that applies to a key id (string) or a scope; `{}` gives the global budgets only.
   */
  async status(scope: string | (BudgetScope & { tag?: string })): Promise<BudgetStatus[]> {
    const resolved: BudgetScope =
      typeof scope === 'string'
        ? { key: scope }
        : { ...scope, tags: [...(scope.tags ?? []), ...(scope.tag === undefined ? [] : [scope.tag])] };
    const now = this.#now();
    const out: BudgetStatus[] = [];
    for (const limit of this.#applicable(resolved)) {
      const { start, end } = periodBounds(limit.period, now);
      const base = this.#counterBase(limit, start);
      const status: BudgetStatus = { budget: scopeName(limit), period: periodName(limit.period), periodStart: start };
      if (end !== undefined) status.resetAt = end;
      if (limit.maxTokens !== undefined) {
        const used = Number((await this.store.get(`${base}:tok`)) ?? 0);
        status.tokens = { used, limit: limit.maxTokens, remaining: Math.max(0, limit.maxTokens - used) };
      }
      if (limit.maxCostUsd !== undefined) {
        // Subtracted in integer micro-dollars and divided once: `0.01 - 0.0099` in dollars is
        // 0.0000999999999999994, in micro-dollars 100.
        const usedMicros = Number((await this.store.get(`${base}:usd`)) ?? 0);
        const remainingMicros = Math.max(0, limitMicros(limit.maxCostUsd) - usedMicros);
        status.cost = {
          usedUsd: usedMicros / MICRO,
          limitUsd: limit.maxCostUsd,
          remainingUsd: remainingMicros / MICRO,
        };
      }
      out.push(status);
    }
    return out;
  }

  #applicable(scope: BudgetScope): BudgetLimit[] {
    const keys = new Set([...(scope.keys ?? []), ...(scope.key === undefined ? [] : [scope.key])]);
    const tags = new Set(scope.tags ?? []);
    return this.limits.filter((limit) => {
      if (limit.key === undefined && limit.tag === undefined) return true;
      return (limit.key !== undefined && keys.has(limit.key)) || (limit.tag !== undefined && tags.has(limit.tag));
    });
  }

  #counterBase(limit: BudgetLimit, periodStart: number): string {
    const scope =
      limit.key !== undefined
        ? `key:${encodeURIComponent(limit.key)}`
        : limit.tag !== undefined
          ? `tag:${encodeURIComponent(limit.tag)}`
          : 'global';
    return `${this.#prefix}${scope}:${periodName(limit.period)}:${periodStart}`;
  }

  async #undo(counters: readonly ReservedCounter[]): Promise<void> {
    await Promise.all(counters.map((c) => this.store.increment(c.counter, -c.amount)));
  }
}

/** Start and end (exclusive) of the period containing `now`; no end for `total`. */
export function periodBounds(period: BudgetPeriod, now: number): { start: number; end?: number } {
  if (period === 'total') return { start: 0 };
  if (typeof period === 'object') {
    const start = Math.floor(now / period.ms) * period.ms;
    return { start, end: start + period.ms };
  }
  const d = new Date(now);
  if (period === 'hour') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    return { start, end: start + 3_600_000 };
  }
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return {
    start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}

function periodName(period: BudgetPeriod): string {
  return typeof period === 'object' ? `${period.ms}ms` : period;
}

function scopeName(limit: BudgetLimit): string {
  return limit.key !== undefined ? `key:${limit.key}` : limit.tag !== undefined ? `tag:${limit.tag}` : 'global';
}

function validate(limit: BudgetLimit): void {
  if (limit.maxTokens === undefined && limit.maxCostUsd === undefined) {
    throw new TypeError(`Budget ${scopeName(limit)} needs maxTokens or maxCostUsd`);
  }
  if (typeof limit.period === 'object' && !(limit.period.ms > 0)) {
    throw new TypeError(`Budget ${scopeName(limit)}: period.ms must be positive`);
  }
}

function usageTokens(usage: BudgetUsage): number {
  if (typeof usage === 'number') return usage;
  if ('totalTokens' in usage) return usage.totalTokens;
  return usage.inputTokens + usage.outputTokens;
}

/**
 * Dollars to whole micro-dollars, rounded up (a call is never charged less than it cost). The product
 * is first rounded to a thousandth of a micro-dollar, so float noise (`0.0001 * 1e6` is
 * 100.00000000000001) does not round a whole amount up by one.
 */
function toMicros(usd: number): number {
  return Math.ceil(Math.round(usd * MICRO * 1000) / 1000);
}

/** A budget's limit in micro-dollars (nearest). */
function limitMicros(usd: number): number {
  return Math.round(usd * MICRO);
}

function costUsd(cost: BudgetCost): number {
  return typeof cost === 'number' ? cost : cost.total;
}

function exceeded(
  limit: BudgetLimit,
  metric: 'tokens' | 'cost',
  max: number,
  current: number,
  amount: number,
  end: number | undefined,
): BudgetExceededError {
  const budget = scopeName(limit);
  const period = periodName(limit.period);
  const cost = metric === 'cost';
  const fmt = (n: number) =>
    cost ? `$${(n / MICRO).toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}` : `${n} tokens`;
  const when =
    limit.period === 'total'
      ? 'in total'
      : typeof limit.period === 'object'
        ? `this ${period} period`
        : `this ${period}`;
  const reset = end === undefined ? 'it does not reset (period total)' : `resets at ${new Date(end).toISOString()}`;
  const message = `Budget ${budget} exceeded: ${fmt(current)} of ${fmt(max)} used ${when}, this call needs ~${fmt(amount)}; ${reset}`;
  return new BudgetExceededError(message, {
    budget,
    metric,
    limit: cost ? max / MICRO : max,
    used: cost ? current / MICRO : current,
    requested: cost ? amount / MICRO : amount,
    period,
    ...(end === undefined ? {} : { resetAt: end }),
  });
}
