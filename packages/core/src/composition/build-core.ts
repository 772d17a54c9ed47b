/**
 * What every call shares past the configuration (`clock`, `on`, `store`, `modelGroups`): time,
 * events, the state store, the model-group router and target resolution. The router asks the
 * health monitor, made later (it needs the breakers), through the health slot.
 */

import { toClock } from '../resilience/clock.js';
import { SwitchboardEvents } from '../resilience/middleware/events.js';
import { Router } from '../resilience/routing.js';
import { MemoryStore } from '../resilience/state/memory-store.js';
import type { RuntimeContext } from '../runtime/runtime-context.js';
import type { ConfigParts, CoreParts, HealthSlot, TransportParts } from './parts.js';
import { createTargetResolver } from './target-resolver.js';

/** Makes the shared services of calls. */
export function buildCore(parts: ConfigParts & TransportParts, runtime: RuntimeContext): CoreParts {
  const { options, logging, providers } = parts;
  const clock = toClock(options.clock);
  const events = new SwitchboardEvents(logging?.component('events'), options.on, parts.secrets);
  logging?.observe(events);
  const store = options.store ?? new MemoryStore();
  const health: HealthSlot = { monitor: undefined };
  const router = new Router(
    providers,
    options.modelGroups ?? {},
    clock.random,
    (scope) => health.monitor?.isHealthy(scope) ?? true,
    store,
  );
  return { ...parts, runtime, clock, events, store, health, router, targets: createTargetResolver(providers) };
}
