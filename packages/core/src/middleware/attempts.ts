/**
 * The attempt log of one call (`res.attempts`, `AllTargetsFailedError.attempts`): retry records every
 * try it makes; fallback records refusals that never reached a try (open breaker, rate limit).
 */
import { SwitchboardError } from '../runtime/errors.js';
import type { AttemptRecord, CallTarget, MiddlewareCall } from './types.js';

const recorded = new WeakSet<object>();

/** Appends one attempt to the call's log. */
export function recordAttempt(
  call: MiddlewareCall<unknown>,
  target: CallTarget,
  attempt: number,
  latencyMs: number,
  error?: unknown,
): void {
  const record: AttemptRecord = { provider: target.provider, model: target.modelId, attempt, latencyMs };
  if (target.deployment !== undefined) record.deployment = target.deployment;
  if (error !== undefined) {
    record.error = describeError(error);
    if (typeof error === 'object' && error !== null) recorded.add(error);
  }
  call.attempts.push(record);
}

/** True when this error is already in some call's log. */
export function isRecorded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && recorded.has(error);
}

/** Kind, message and status of any thrown value. */
export function describeError(error: unknown): { kind: string; message: string; status?: number } {
  if (error instanceof SwitchboardError) {
    const out: { kind: string; message: string; status?: number } = { kind: error.kind, message: error.message };
    if (error.status !== undefined) out.status = error.status;
    return out;
  }
  if (error instanceof Error)
    return { kind: error.name === 'AbortError' ? 'aborted' : 'unknown', message: error.message };
  return { kind: 'unknown', message: String(error) };
}
