/**
 * The operations methods over resilience and state: breaker status and manual controls, health
 * checks and reports, routing statistics, rate-limit and budget status.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { CircuitBreakers } from '../resilience/breaker.js';
import type { HealthMonitor } from '../resilience/health.js';
import type { BudgetTracker } from '../resilience/state/budget.js';
import { type RateLimiter, unlimitedRateLimitStatus } from '../resilience/state/rate-limiter.js';
import { breakerKey } from './breaker-key.js';
import type { CoreParts } from './parts.js';
import type { Switchboard } from './switchboard-types.js';

/** What the controls read. */
export interface ControlledParts {
  readonly breakers: CircuitBreakers;
  readonly health: HealthMonitor;
  readonly rateLimiter: RateLimiter | undefined;
  readonly budgets: BudgetTracker | undefined;
}

type Controls = Pick<
  Switchboard,
  | 'breakerStatus'
  | 'resetBreaker'
  | 'openBreaker'
  | 'checkHealth'
  | 'healthStatus'
  | 'providerHealth'
  | 'healthyProviders'
  | 'routingStats'
  | 'rateLimitStatus'
  | 'budgetStatus'
>;

/** Builds the control and status methods. */
export function buildControls(parts: CoreParts, controlled: ControlledParts): Controls {
  const { providers, router } = parts;
  const { breakers, health, rateLimiter, budgets } = controlled;
  return {
    breakerStatus: (provider, model) => breakers.status(model === undefined ? provider : `${provider}/${model}`),
    resetBreaker: async (provider, model) => breakers.close(breakerKey(providers, provider, model)),
    openBreaker: async (provider, model, openOptions) =>
      breakers.open(breakerKey(providers, provider, model), openOptions),
    checkHealth: (provider) => health.check(provider),
    healthStatus: () => health.status(),
    providerHealth: () => health.report(),
    healthyProviders: async () =>
      (await health.report()).filter((entry) => entry.healthy).map((entry) => entry.provider),
    routingStats: () => router.stats(),
    rateLimitStatus: (provider, statusOptions) => {
      // Rate limiting off: nothing is counted or limited, which is an answer, not an error.
      if (rateLimiter === undefined) return Promise.resolve(unlimitedRateLimitStatus(provider, statusOptions?.key));
      return rateLimiter.status(provider, statusOptions);
    },
    budgetStatus: (scope) => {
      if (budgets === undefined)
        throw new ConfigurationError('No budgets: pass `budgets` to createSwitchboard', { setting: 'budgets' });
      return budgets.status(scope);
    },
  };
}
