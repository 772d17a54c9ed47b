/**
 * One AbortSignal per call that fires on the user's `signal`, the per-call `timeout`, or the
 * stream's own `abort()`; and the mapping from whatever the transport threw to core's error kinds,
 * so a timeout is always a TimeoutError and a dropped connection a NetworkError.
 */
import { NetworkError, SwitchboardError, TimeoutError } from './errors.js';

/** The combined signal and the timeout part of it (to tell a timeout from a user abort). */
export interface CallSignal {
  signal: AbortSignal | undefined;
  timeoutSignal: AbortSignal | undefined;
  timeoutMs: number | undefined;
}

const NO_SIGNAL: CallSignal = Object.freeze({ signal: undefined, timeoutSignal: undefined, timeoutMs: undefined });

/** Combines the caller's signals with a timeout. Returns `signal: undefined` when there is nothing to wait for. */
export function createCallSignal(timeoutMs: number | undefined, ...signals: (AbortSignal | undefined)[]): CallSignal {
  // The usual call: no timeout, no signal. Frozen, so sharing it between calls is safe.
  if (timeoutMs === undefined && (signals.length === 0 || (signals.length === 1 && signals[0] === undefined)))
    return NO_SIGNAL;
  const timeoutSignal =
    timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const all: AbortSignal[] = [];
  for (const signal of signals) if (signal !== undefined) all.push(signal);
  if (timeoutSignal !== undefined) all.push(timeoutSignal);
  const signal = all.length === 0 ? undefined : all.length === 1 ? all[0] : AbortSignal.any(all);
  return { signal, timeoutSignal, timeoutMs };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_DESTROYED',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a transport failure to core's errors. A user abort is returned as the signal's reason (an
 * `AbortError`), untouched, so callers see the abort they asked for.
 */
export function toTransportError(
  error: unknown,
  call: CallSignal,
  context: { provider?: string; model?: string },
): unknown {
  if (error instanceof SwitchboardError) return error;
  if (call.timeoutSignal?.aborted) {
    return new TimeoutError(`Request timed out after ${call.timeoutMs} ms`, { ...context, cause: error });
  }
  if (call.signal?.aborted) return call.signal.reason ?? error;
  const code = codeOf(error);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new TimeoutError(`Request timed out (${code})`, { ...context, code, cause: error });
  }
  if (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    error instanceof TypeError ||
    (error instanceof Error && /socket|network|fetch failed|terminated/i.test(error.message))
  ) {
    const detail = error instanceof Error ? error.message : String(error);
    return new NetworkError(`Network error: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`, {
      ...context,
      code,
      cause: error,
    });
  }
  return error;
}
