/**
 * Health checks (`health`): the monitor over the breakers and the recorded call outcomes, started
 * (its interval runs when `health.intervalMs` is set) and put in the slot the router reads.
 */
import type { CircuitBreakers } from '../resilience/breaker.js';
import { HealthMonitor } from '../resilience/health.js';
import type { CallOutcomes } from './call-outcomes.js';
import type { CoreParts } from './parts.js';

/** Makes and starts the health monitor. */
export function buildHealth(parts: CoreParts, breakers: CircuitBreakers, outcomes: CallOutcomes): HealthMonitor {
  const { options } = parts;
  const monitor = new HealthMonitor(
    parts.runtime,
    parts.clock,
    parts.events,
    options.breaker === false ? undefined : breakers,
    options.health,
    outcomes.calls,
  );
  parts.health.monitor = monitor;
  monitor.start();
  return monitor;
}
