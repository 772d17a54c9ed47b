/**
 * One AbortSignal per call that fires on the user's `signal`, the call's time limit, the stream's
 * idle limit, or the stream's own `abort()`; and the mapping from whatever the transport threw to
 * core's error kinds, so a timeout is always a TimeoutError and a dropped connection a NetworkError.
 *
 * Every call now has a limit (runtime/timeouts.ts), so this is on the chat hot path: one
 * AbortController and one unref'd timer per call, cleared by `release()` when the call is done
 * (about 0.3 µs; `AbortSignal.timeout` costs ~2 µs and leaves its timer pending for the full
 * duration, 10 minutes by default, after the call ended). The timer callback is a module function
 * given the call as its argument: no closure per call.
 *
 * The caller's signals are linked to that controller by an 'abort' listener (the CallSignal itself,
 * as an EventListener object: no closure), removed by `release()`. Not `AbortSignal.any`: its
 * composite signal makes undici refresh the composite's sources on every request (~3.5 % of a
 * gateway's CPU under load), and every gateway request carries a disconnect signal.
 */
import { abortedError, NetworkError, SwitchboardError, TimeoutError } from '../errors/errors.js';
import { MAX_TIMER_MS } from './timeouts.js';

/** Which limit ended a call. */
export type CallExpiry = 'request' | 'idle';

function onRequestTimeout(call: CallSignal): void {
  call.expire('request');
}

/** The combined signal of a call and its time limit. */
export class CallSignal {
  /** What the transport gets; undefined only for a call with nothing to wait for. */
  readonly signal: AbortSignal | undefined;
  /** The call's limit in ms, when it has one. */
  readonly timeoutMs: number | undefined;
  /** The limit that ended the call, once one did (a user abort leaves it undefined). */
  expired: CallExpiry | undefined = undefined;
  /** The stream idle limit that ended the call (for the message). */
  idleMs: number | undefined = undefined;
  private readonly controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The caller's signals this call listens to until `release()` (one in the usual case). */
  private linked: AbortSignal | AbortSignal[] | undefined;

  constructor(timeoutMs: number | undefined, signals: readonly (AbortSignal | undefined)[], idle = false) {
    const limited = timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs);
    this.timeoutMs = limited ? timeoutMs : undefined;
    let given: AbortSignal | undefined;
    let count = 0;
    for (const signal of signals) {
      if (signal === undefined) continue;
      count += 1;
      given ??= signal;
    }
    if (!limited && !idle && count <= 1) {
      // Nothing of its own to add: the caller's one signal (or none) is the call's.
      this.controller = undefined;
      this.signal = given;
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.signal = controller.signal;
    for (const signal of signals) {
      if (signal === undefined) continue;
      if (signal.aborted) {
        // Aborted before the call started: the call is aborted with its reason, nothing to wait for.
        this.unlink();
        controller.abort(signal.reason);
        return;
      }
      signal.addEventListener('abort', this);
      if (this.linked === undefined) this.linked = signal;
      else if (Array.isArray(this.linked)) this.linked.push(signal);
      else this.linked = [this.linked, signal];
    }
    if (limited) {
      const timer = setTimeout(onRequestTimeout, Math.min(timeoutMs, MAX_TIMER_MS), this);
      timer.unref();
      this.timer = timer;
    }
  }

  /** A caller's signal fired: the call is aborted with that signal's reason (as `AbortSignal.any` did). */
  handleEvent(event: Event): void {
    const source = event.target as AbortSignal;
    this.release();
    this.controller?.abort(source.reason);
  }

  /** Ends the call with a timeout: the transport's request and body are aborted. */
  expire(kind: CallExpiry, idleMs?: number): void {
    if (this.expired !== undefined || this.controller === undefined || this.controller.signal.aborted) return;
    this.expired = kind;
    if (idleMs !== undefined) this.idleMs = idleMs;
    this.release();
    // A DOMException like AbortSignal.timeout's, not a core error: `toTransportError` builds the
    // TimeoutError with the provider and model from `expired`.
    this.controller.abort(
      new DOMException(
        kind === 'idle' ? `No data for ${idleMs} ms` : `Request timed out after ${this.timeoutMs} ms`,
        'TimeoutError',
      ),
    );
  }

  /**
   * The call is done: stops the timer and stops listening to the caller's signals (a long-lived
   * signal shared by many calls must not collect one listener per call).
   */
  release(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.unlink();
  }

  private unlink(): void {
    const linked = this.linked;
    if (linked === undefined) return;
    this.linked = undefined;
    if (Array.isArray(linked)) for (const signal of linked) signal.removeEventListener('abort', this);
    else linked.removeEventListener('abort', this);
  }
}

/** Shared by calls with nothing to wait for: without a controller it never changes, so sharing is safe. */
const NO_SIGNAL = new CallSignal(undefined, []);

/**
 * Combines the caller's signals with a time limit (`timeoutMs`: any value that is not a positive
 * finite number means none; callers check user input with `validateTimeouts` first). Call `release()`
 * when the call is done. `idle`: the call may be ended by a stream idle limit later.
 */
export function createCallSignal(timeoutMs: number | undefined, ...signals: (AbortSignal | undefined)[]): CallSignal {
  if (timeoutMs === undefined && (signals.length === 0 || (signals.length === 1 && signals[0] === undefined)))
    return NO_SIGNAL;
  return new CallSignal(timeoutMs, signals);
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
 * Maps a transport failure to core's errors. A caller's abort (its signal, or a stream's `abort()`)
 * becomes an `AbortedError`: kind `aborted`, `name === 'AbortError'` as before, the signal's reason
 * as `cause`.
 */
export function toTransportError(
  error: unknown,
  call: CallSignal,
  context: { provider?: string; model?: string },
): unknown {
  if (error instanceof SwitchboardError) return error;
  if (call.expired === 'request') {
    return new TimeoutError(`Request timed out after ${call.timeoutMs} ms`, { ...context, cause: error });
  }
  if (call.expired === 'idle') {
    return new TimeoutError(
      `The stream sent no data for ${call.idleMs} ms (comments and pings do not count): stalled`,
      { ...context, code: 'STREAM_IDLE_TIMEOUT', cause: error },
    );
  }
  if (call.signal?.aborted) return abortedError(call.signal.reason ?? error, context);
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

/**
 * The error a call rejects with when its caller stopped it: an `AbortedError` (kind `aborted`) in
 * place of the bare AbortError a backoff sleep, a rate-limit wait or a tool handler threw; any
 * other error as it is. Applied once where `sb.chat` and `sb.embed` hand their result back.
 */
export function asCallerAbort(error: unknown, signal: AbortSignal | undefined): unknown {
  if (error instanceof SwitchboardError) return error;
  if (signal?.aborted === true || (error instanceof Error && error.name === 'AbortError')) return abortedError(error);
  return error;
}
