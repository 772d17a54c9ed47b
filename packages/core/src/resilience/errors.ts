/**
 * Errors the resilience middleware raise themselves: a call refused by an open circuit, and the
 * summary error when no target of a fallback chain or model group could serve.
 */

import { SwitchboardError, type SwitchboardErrorOptions } from '../errors/errors.js';
import type { ErrorKind } from '../types/catalog.js';
import type { AttemptRecord } from '../types/middleware.js';

/**
 * The circuit breaker of a provider or model is open: the call was not sent. Kind `provider`, not
 * retryable against the same target (`retryAfterMs` says when a trial call will be let through);
 * fallback moves on to the next target.
 */
export class CircuitOpenError extends SwitchboardError {
  override name = 'CircuitOpenError';
  /** The breaker that refused: `provider` or `provider/model`. */
  readonly breaker: string;
  constructor(message: string, options: SwitchboardErrorOptions & { breaker: string }) {
    super('provider', message, { ...options, retryable: false });
    this.breaker = options.breaker;
  }
}

/**
 * Every target of a fallback chain or model group failed. `kind` is the last failure's kind; the
 * message and `attempts` list everything that was tried, and `cause` is the last error.
 */
export class AllTargetsFailedError extends SwitchboardError {
  override name = 'AllTargetsFailedError';
  override readonly attempts: AttemptRecord[];
  /** The last error of each target, in the order tried. */
  readonly errors: Error[];
  constructor(
    kind: ErrorKind,
    message: string,
    options: SwitchboardErrorOptions & { attempts: AttemptRecord[]; errors: Error[] },
  ) {
    super(kind, message, { ...options, retryable: false });
    this.attempts = options.attempts;
    this.errors = options.errors;
  }
}
