/**
 * Errors raised by the state components (budgets). They extend core's `SwitchboardError` so callers
 * branch on `kind` exactly as for provider errors.
 */
import { SwitchboardError, type SwitchboardErrorOptions } from '../../errors/errors.js';

/** Which budget refused a call, and how far it was from its limit. */
export interface BudgetExceededDetails {
  /** The budget's scope as configured: `key:<id>`, `tag:<name>` or `global`. */
  budget: string;
  /** What ran out. */
  metric: 'tokens' | 'cost';
  /** The limit in the metric's unit (tokens, or US dollars for cost). */
  limit: number;
  /** Usage already recorded in the current period, in the same unit. */
  used: number;
  /** What the refused call asked for, in the same unit. */
  requested: number;
  /** The period as configured (`day`, `total`, `3600000ms`). */
  period: string;
  /** When the current period ends and the budget is available again (ms since epoch); absent for `total`. */
  resetAt?: number;
}

/**
 * A call would take a token or cost budget over its limit for the current period. Not retryable:
 * waiting a few seconds will not help; the period has to roll over or the limit has to be raised.
 * Kind `quota-exceeded`, like a provider's own billing-quota error, so fallback logic treats both alike.
 */
export class BudgetExceededError extends SwitchboardError {
  override name = 'BudgetExceededError';
  readonly budget: string;
  readonly metric: 'tokens' | 'cost';
  readonly limit: number;
  readonly used: number;
  readonly requested: number;
  readonly period: string;
  readonly resetAt?: number;

  constructor(message: string, details: BudgetExceededDetails, options: SwitchboardErrorOptions = {}) {
    super('quota-exceeded', message, { retryable: false, ...options });
    this.budget = details.budget;
    this.metric = details.metric;
    this.limit = details.limit;
    this.used = details.used;
    this.requested = details.requested;
    this.period = details.period;
    this.resetAt = details.resetAt;
  }
}
