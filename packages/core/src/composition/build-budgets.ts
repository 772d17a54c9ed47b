/** Token and cost budgets (`budgets`): the tracker, kept in the shared store. */
import { BudgetTracker } from '../resilience/state/budget.js';
import type { CoreParts } from './parts.js';

/** The budget tracker, or undefined without budgets. */
export function buildBudgets(parts: CoreParts): BudgetTracker | undefined {
  const option = parts.options.budgets;
  if (option === undefined) return undefined;
  if (option instanceof BudgetTracker) return option;
  return new BudgetTracker({ limits: [...option], store: parts.store, now: parts.clock.now });
}
