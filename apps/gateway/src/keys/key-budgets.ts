/**
 * A virtual key's budget and tokens-per-minute on the switchboard's own budget stage. Keys are created
 * while the gateway runs, so their limits cannot be listed in `createSwitchboard({ budgets })` up
 * front: this tracker (pass it as `budgets`) looks up the key behind a call's budget key (`vk:<id>`,
 * what `Caller.budget` holds) and adds its limits to the configured ones. The budget stage then does
 * what it does for any budget: reserves the estimate before the call (refusing with a
 * `BudgetExceededError`, a 429 with the reason, when it would go over), corrects it to the real cost
 * after the call, gives it back when the call failed. Counters live in the shared Store under the
 * same names on every instance, so spend is one total however many gateways serve the key.
 *
 * Tokens per minute ride on the same reservation: the estimate is admitted by core's `RateLimiter`
 * before the call and corrected to the real usage after it.
 */
import {
  type BudgetCheck,
  type BudgetCost,
  type BudgetLimit,
  type BudgetReservation,
  type BudgetStatus,
  BudgetTracker,
  type BudgetUsage,
  type RateLimitPermit,
} from '@switchboard/core';
import type { KeyLimits } from './key-limits.js';
import type { VirtualKeyRecord } from './key-settings.js';

/** Prefix of a virtual key's budget key (`vk:<id>`), so it cannot collide with a configured budget key. */
export const VIRTUAL_BUDGET_PREFIX = 'vk:';

/** The budget key of a virtual key id. */
export function budgetKeyOf(id: string): string {
  return `${VIRTUAL_BUDGET_PREFIX}${id}`;
}

/** A reservation that also holds the key's tokens-per-minute permit. */
interface KeyReservation extends BudgetReservation {
  readonly tokenPermits: readonly RateLimitPermit[];
  readonly inner: BudgetReservation;
}

export interface VirtualKeyBudgetsOptions {
  /** Budgets configured for the whole gateway (per tag, global, or per fixed key). */
  limits: readonly BudgetLimit[];
  store: import('@switchboard/core').Store;
  /** Finds a key's record by id (cached by the caller). */
  lookup(id: string): Promise<VirtualKeyRecord | undefined>;
  limiter: KeyLimits;
  now?: () => number;
}

export class VirtualKeyBudgets extends BudgetTracker {
  readonly #options: VirtualKeyBudgetsOptions;

  constructor(options: VirtualKeyBudgetsOptions) {
    super({ limits: [...options.limits], store: options.store, ...(options.now ? { now: options.now } : {}) });
    this.#options = options;
  }

  /** The configured limits plus those of the virtual keys in `scope`. */
  async #trackerFor(scope: {
    key?: string;
    keys?: string[];
  }): Promise<{ tracker: BudgetTracker; records: VirtualKeyRecord[] }> {
    const records: VirtualKeyRecord[] = [];
    for (const key of [...(scope.keys ?? []), ...(scope.key === undefined ? [] : [scope.key])]) {
      if (!key.startsWith(VIRTUAL_BUDGET_PREFIX)) continue;
      const record = await this.#options.lookup(key.slice(VIRTUAL_BUDGET_PREFIX.length));
      if (record !== undefined) records.push(record);
    }
    const extra: BudgetLimit[] = records.flatMap((record) =>
      record.budget === undefined
        ? []
        : [{ key: budgetKeyOf(record.id), maxCostUsd: record.budget.maxCostUsd, period: record.budget.period }],
    );
    if (extra.length === 0) return { tracker: this, records };
    const tracker = new BudgetTracker({
      limits: [...this.limits, ...extra],
      store: this.store,
      ...(this.#options.now ? { now: this.#options.now } : {}),
    });
    return { tracker, records };
  }

  override async check(request: BudgetCheck): Promise<BudgetReservation> {
    const { tracker, records } = await this.#trackerFor(request);
    const inner = tracker === this ? await super.check(request) : await tracker.check(request);
    const tokenPermits: RateLimitPermit[] = [];
    try {
      for (const record of records) {
        const permit = await this.#options.limiter.acquireTokens(record, request.estimatedTokens ?? 0);
        if (permit !== undefined) tokenPermits.push(permit);
      }
    } catch (error) {
      await Promise.all(tokenPermits.map((permit) => permit.release()));
      await super.release(inner);
      throw error;
    }
    const reservation: KeyReservation = { ...inner, inner, tokenPermits };
    return reservation;
  }

  override async record(
    reservation: BudgetReservation,
    actualUsage: BudgetUsage,
    actualCost?: BudgetCost,
  ): Promise<void> {
    const { inner, tokenPermits } = unwrap(reservation);
    const tokens =
      typeof actualUsage === 'number'
        ? actualUsage
        : 'totalTokens' in actualUsage
          ? actualUsage.totalTokens
          : actualUsage.inputTokens + actualUsage.outputTokens;
    await Promise.all([
      super.record(inner, actualUsage, actualCost),
      ...tokenPermits.map((permit) => permit.commit(tokens)),
    ]);
  }

  override async release(reservation: BudgetReservation): Promise<void> {
    const { inner, tokenPermits } = unwrap(reservation);
    await Promise.all([super.release(inner), ...tokenPermits.map((permit) => permit.release())]);
  }

  override async status(scope: Parameters<BudgetTracker['status']>[0]): Promise<BudgetStatus[]> {
    const resolved = typeof scope === 'string' ? { key: scope } : scope;
    const { tracker } = await this.#trackerFor(resolved);
    return tracker === this ? super.status(scope) : tracker.status(scope);
  }
}

function unwrap(reservation: BudgetReservation): {
  inner: BudgetReservation;
  tokenPermits: readonly RateLimitPermit[];
} {
  const wrapped = reservation as Partial<KeyReservation>;
  return { inner: wrapped.inner ?? reservation, tokenPermits: wrapped.tokenPermits ?? [] };
}
