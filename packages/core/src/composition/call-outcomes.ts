/**
 * Every attempt's outcome per provider (`health.windowMs`), for `sb.providerHealth()`: a bounded
 * ring per provider, fed by the terminal stages.
 */

import { SwitchboardError } from '../errors/errors.js';
import { countsAsBreakerFailure } from '../resilience/breaker.js';
import { CallHealth } from '../resilience/call-health.js';
import type { CoreParts } from './parts.js';

/** The outcomes and the function that records one. */
export interface CallOutcomes {
  readonly calls: CallHealth;
  /** Records an attempt that started at `started` (`performance.now()`); no error: it succeeded. */
  readonly note: (provider: string, started: number, error: unknown) => void;
}

/** Makes the outcome record. */
export function createCallOutcomes(parts: CoreParts): CallOutcomes {
  const calls = new CallHealth(parts.clock.now, parts.options.health?.windowMs);
  const note = (provider: string, started: number, error: unknown): void => {
    // The caller's abort says nothing of the provider.
    if (error instanceof SwitchboardError && error.kind === 'aborted') return;
    calls.record(provider, error === undefined || !countsAsBreakerFailure(error), performance.now() - started);
  };
  return { calls, note };
}
