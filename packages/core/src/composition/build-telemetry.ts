/**
 * Telemetry (`telemetry`): spans, metrics and the in-process view, over the events, budgets and
 * pool statistics. Off unless asked.
 */

import { createTelemetry, type TelemetryInstall } from '../observability/telemetry/telemetry.js';
import type { BudgetTracker } from '../resilience/state/budget.js';
import { readOriginStats } from '../runtime/dispatcher.js';
import type { CacheParts } from './build-cache.js';
import type { CoreParts } from './parts.js';

/** The telemetry install, or undefined when telemetry is off. */
export function buildTelemetry(
  parts: CoreParts,
  cache: CacheParts,
  budgets: BudgetTracker | undefined,
): TelemetryInstall | undefined {
  const { options } = parts;
  if (options.telemetry === undefined || options.telemetry === false) return undefined;
  return createTelemetry(options.telemetry, {
    events: parts.events,
    now: parts.clock.now,
    resolveTarget: parts.targets.resolve,
    cacheByDefault: cache.byDefault,
    secrets: parts.secrets,
    ...(budgets === undefined ? {} : { budgets }),
    // A store the caller gave (Redis) also keeps the history, so every process reports one.
    ...(options.store === undefined ? {} : { sharedStore: options.store }),
    poolStats: () => readOriginStats(parts.dispatcher()),
  });
}
