/**
 * The attempt log of one call (`res.attempts`, `AllTargetsFailedError.attempts`): retry records every
 * try it makes; fallback records refusals that never reached a try (open breaker, rate limit) and
 * notes on a target's last attempt why the call left it or stayed (`fallback`).
 */
import { SwitchboardError } from '../../errors/errors.js';
import type { AttemptRecord, CallTarget, FallbackDecision, MiddlewareCall } from '../../types/middleware.js';

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

/** The last attempt this call made at `target`, if any. */
export function lastAttemptAt(call: MiddlewareCall<unknown>, target: CallTarget): AttemptRecord | undefined {
  for (let index = call.attempts.length - 1; index >= 0; index -= 1) {
    const record = call.attempts[index] as AttemptRecord;
    if (
      record.provider === target.provider &&
      record.model === target.modelId &&
      record.deployment === target.deployment
    )
      return record;
  }
  return undefined;
}

/** Writes the fallback decision on the last attempt at `target` (the one whose error ended it). */
export function noteFallback(call: MiddlewareCall<unknown>, target: CallTarget, decision: FallbackDecision): void {
  const record = lastAttemptAt(call, target);
  if (record !== undefined) record.fallback = decision;
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
