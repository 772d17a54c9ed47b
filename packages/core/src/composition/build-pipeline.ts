/**
 * The middleware pipeline (`retry`, `breaker`, `perProvider`, `fallbacks`, `fallbackOn`,
 * `middleware`, and the stages of `rateLimit`, `budgets`, `cache`, `telemetry`): the default stack
 * around the terminal stages, in a request scope when a logger is set.
 */

import { type TelemetryInstall, telemetryStages } from '../observability/telemetry/telemetry.js';
import { budgetMiddleware } from '../resilience/middleware/budget.js';
import { compose, type Pipeline } from '../resilience/middleware/compose.js';
import { rateLimitMiddleware } from '../resilience/middleware/rate-limit.js';
import { buildStack, type Stack, type StackInput } from '../resilience/stack.js';
import type { BudgetTracker } from '../resilience/state/budget.js';
import type { RateLimiter } from '../resilience/state/rate-limiter.js';
import type { CallTarget } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../types/requests.js';
import type { CacheParts } from './build-cache.js';
import type { CoreParts } from './parts.js';

/** The stages a pipeline is built from, beyond the core parts. */
export interface PipelineStages {
  readonly cache: CacheParts;
  readonly rateLimiter: RateLimiter | undefined;
  readonly budgets: BudgetTracker | undefined;
  readonly telemetry: TelemetryInstall | undefined;
  readonly terminal: StackInput['terminal'];
}

/** The built stack, and the pipeline calls enter (scoped when logging). */
export interface PipelineParts {
  readonly stack: Stack;
  readonly pipeline: Pipeline;
}

/** Builds the stack and its entry. */
export function buildPipeline(parts: CoreParts, stages: PipelineStages): PipelineParts {
  const { options, providers, router, logging } = parts;
  const { rateLimiter, budgets, telemetry } = stages;
  const resolveTarget = parts.targets.resolve;
  // Telemetry without middleware of the caller's: its call stage goes around the stack and its
  // attempt stage around the terminal, the very places `telemetry.middleware()` puts them in the
  // composed order (first and last), so the stack stays exactly the defaults and chat calls keep
  // its fused fast path (issue 11: the gateway runs with telemetry on).
  const wrapped = telemetry === undefined || options.middleware !== undefined ? undefined : telemetryStages(telemetry);
  const stack = buildStack({
    ...(rateLimiter === undefined
      ? {}
      : { rateLimit: rateLimitMiddleware(telemetry?.instrumentLimiter(rateLimiter) ?? rateLimiter) }),
    ...(budgets === undefined ? {} : { budget: budgetMiddleware({ tracker: budgets, primaryTarget }) }),
    store: parts.store,
    clock: parts.clock,
    events: parts.events,
    router,
    retry: options.retry,
    breaker: options.breaker,
    perProvider: options.perProvider ?? {},
    fallbacks: options.fallbacks ?? {},
    ...(options.fallbackOn === undefined ? {} : { fallbackOn: options.fallbackOn }),
    catalogRetry: (provider) => providers.get(provider)?.definition?.descriptor.retry,
    resolveTarget,
    cache: { get: stages.cache.get, byDefault: stages.cache.byDefault },
    middleware:
      wrapped !== undefined || telemetry === undefined ? options.middleware : telemetry.middleware(options.middleware),
    // With a logger every call goes through the composed stages.
    fastPath: logging === undefined,
    terminal: wrapped === undefined ? stages.terminal : compose([wrapped.attempt], stages.terminal),
  });
  const entry = wrapped === undefined ? stack.pipeline : compose([wrapped.call], stack.pipeline);
  // With a logger, every call runs in a request scope (one request id on all its lines).
  const pipeline = logging === undefined ? entry : logging.scope(entry);
  return { stack, pipeline };

  /** The budget stage's target of a request: none for a group (its deployment is chosen later) or a failure. */
  function primaryTarget(request: ChatRequest | EmbedRequest): CallTarget | undefined {
    try {
      return typeof request.model === 'string' && router.names.has(request.model.replace(/^group:/, ''))
        ? undefined
        : resolveTarget(request.model);
    } catch {
      return undefined;
    }
  }
}
