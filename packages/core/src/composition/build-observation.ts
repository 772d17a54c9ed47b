/**
 * What a switchboard shows of itself and how it ends: events (`sb.on`), pool statistics, the
 * telemetry view and metrics, and `close` (health timer, telemetry history, cache, own store).
 */

import { ConfigurationError } from '../errors/errors.js';
import type { TelemetryInstall } from '../observability/telemetry/telemetry.js';
import type { HealthMonitor } from '../resilience/health.js';
import { readDispatcherStats } from '../runtime/dispatcher.js';
import type { CacheParts } from './build-cache.js';
import type { CoreParts } from './parts.js';
import type { Switchboard } from './switchboard-types.js';

/** Builds the observation methods and `close`. */
export function buildObservation(
  parts: CoreParts,
  telemetry: TelemetryInstall | undefined,
  cache: CacheParts,
  health: HealthMonitor,
): Pick<Switchboard, 'on' | 'dispatcherStats' | 'telemetry' | 'metrics' | 'close'> {
  const { options, events, store } = parts;
  return {
    on: (event, listener) => events.on(event, listener),
    dispatcherStats: () => readDispatcherStats(parts.dispatcher()),
    telemetry: telemetry?.telemetry,
    metrics: () =>
      telemetry === undefined
        ? Promise.reject(
            new ConfigurationError('Telemetry is off: pass `telemetry` to createSwitchboard', { setting: 'telemetry' }),
          )
        : telemetry.telemetry.metrics(),
    async close() {
      health.stop();
      await telemetry?.telemetry.flushHistory().catch(() => undefined);
      await cache.created()?.close();
      if (options.store === undefined) await store.close();
    },
  };
}
