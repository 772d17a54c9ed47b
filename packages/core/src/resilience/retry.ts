/**
 * Retries: a failed attempt is tried again when its error is retryable (the adapters already fold
 * `x-should-retry` into `error.retryable`), after the delay the provider asked for (`retry-after`,
 * `retry-after-ms`, Gemini's `retryDelay`, all in `error.retryAfterMs`) or an exponential (default)
 * or linear backoff with jitter. Each attempt may have its own timeout; the call's overall deadline
 * cuts retries short. A stream is retried only while none of its events has been delivered, so no
 * text is ever duplicated.
 */

import { SwitchboardError, TimeoutError } from '../errors/errors.js';
import type { RetrySpec } from '../types/catalog.js';
import type {
  CallTarget,
  ChatCall,
  EmbedCall,
  Middleware,
  MiddlewareCall,
  StreamCall,
  StreamNext,
} from '../types/middleware.js';
import type { ChatRequest, EmbedRequest, StreamEvent } from '../types/requests.js';
import type { RetryOptions } from '../types/retry.js';
import type { Clock } from './clock.js';
import { describeError, recordAttempt } from './middleware/attempts.js';
import { deriveStream, follow } from './middleware/derive-stream.js';
import { DONE, noop } from './middleware/iterator-done.js';

/** Retry settings with every default filled. */
export interface ResolvedRetryOptions {
  maxRetries: number;
  backoff: 'exponential' | 'linear';
  initialDelayMs: number;
  maxDelayMs: number;
  jitter: number;
  attemptTimeoutMs: number | undefined;
  retryableStatuses: readonly number[] | undefined;
  maxRetryAfterMs: number;
  shouldRetry: RetryOptions['shouldRetry'];
}

/** Core's defaults (those of the Stainless SDKs): 2 retries, 0.5 s growing to 8 s, 25 % jitter. */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  maxRetries: 2,
  backoff: 'exponential',
  initialDelayMs: 500,
  maxDelayMs: 8000,
  jitter: 0.25,
  attemptTimeoutMs: undefined,
  retryableStatuses: undefined,
  maxRetryAfterMs: 60_000,
  shouldRetry: undefined,
};

/** Merges layers over the defaults, later layers winning; `false` in a layer means no retries. */
export function mergeRetryOptions(...layers: (RetryOptions | RetrySpec | false | undefined)[]): ResolvedRetryOptions {
  const out: ResolvedRetryOptions = { ...DEFAULT_RETRY_OPTIONS };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer === false) {
      out.maxRetries = 0;
      continue;
    }
    for (const [key, value] of Object.entries(layer))
      if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Whether `error` deserves another attempt under these options. */
export function isRetryable(error: unknown, attempt: number, options: ResolvedRetryOptions): boolean {
  const decided = options.shouldRetry?.(error, attempt);
  if (decided !== undefined) return decided;
  if (!(error instanceof SwitchboardError) || !error.retryable) return false;
  if (options.retryableStatuses !== undefined && error.status !== undefined)
    return options.retryableStatuses.includes(error.status);
  return true;
}

/**
 * The wait before retrying after failed attempt number `attempt` (1-based): the provider's
 * `retryAfterMs` when it gave one (no jitter), else the backoff with jitter. Undefined when the
 * provider asked for longer than `maxRetryAfterMs`.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number,
): number | undefined {
  const asked = error instanceof SwitchboardError ? error.retryAfterMs : undefined;
  if (asked !== undefined && asked >= 0) return asked <= options.maxRetryAfterMs ? asked : undefined;
  const base =
    options.backoff === 'linear'
      ? options.initialDelayMs * attempt
      : options.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, options.maxDelayMs);
  return Math.max(0, capped * (1 - options.jitter * random()));
}

/** What the retry middleware needs from the switchboard. */
export interface RetryDependencies {
  clock: Clock;
  /** The options for a target and a call's `retry` field. */
  optionsFor(target: CallTarget, perCall: RetryOptions | false | undefined): ResolvedRetryOptions;
}

/** The delay before the next attempt, or undefined when the error should go up now. */
export function planRetry(
  deps: RetryDependencies,
  call: MiddlewareCall<unknown>,
  options: ResolvedRetryOptions,
  attempt: number,
  error: unknown,
): number | undefined {
  if (attempt > options.maxRetries || !isRetryable(error, attempt, options)) return undefined;
  const delay = retryDelay(error, attempt, options, deps.clock.random);
  if (delay === undefined) return undefined;
  if (call.deadline !== undefined && deps.clock.now() + delay >= call.deadline) return undefined;
  return delay;
}

/** The call for one attempt: its timeout is the attempt timeout, bounded by what is left of the deadline. */
export function attemptCall<R extends ChatRequest | EmbedRequest>(
  deps: RetryDependencies,
  call: MiddlewareCall<R>,
  options: ResolvedRetryOptions,
  attempt: number,
): MiddlewareCall<R> {
  let timeout = options.attemptTimeoutMs;
  if (call.deadline !== undefined) {
    const left = call.deadline - deps.clock.now();
    if (left <= 0) {
      const target = call.target;
      throw new TimeoutError(`The call's overall timeout of ${call.request.timeout} ms ran out`, {
        ...(target === undefined ? {} : { provider: target.provider, model: target.modelId }),
      });
    }
    timeout = timeout === undefined ? left : Math.min(timeout, left);
  }
  if (timeout === undefined && attempt === 1) return call;
  const request = timeout === undefined ? call.request : { ...call.request, timeout };
  return { ...call, request, attempt };
}

function requireTarget(call: MiddlewareCall<unknown>): CallTarget {
  if (call.target === undefined) throw new Error('The retry middleware must run inside fallback/routing');
  return call.target;
}

export function emitRetry(
  call: MiddlewareCall<unknown>,
  target: CallTarget,
  attempt: number,
  delayMs: number,
  error: unknown,
) {
  if (!call.events.has('retry')) return;
  call.events.emit('retry', {
    provider: target.provider,
    model: target.modelId,
    attempt,
    delayMs,
    error: error instanceof Error ? error : new Error(describeError(error).message),
  });
}

function sleepSignal(own: AbortSignal | undefined, request: AbortSignal | undefined): AbortSignal | undefined {
  if (own === undefined) return request;
  if (request === undefined) return own;
  return AbortSignal.any([own, request]);
}

/** The retry middleware (per target, innermost of the defaults). */
export function retryMiddleware(deps: RetryDependencies): Middleware {
  async function run<R extends ChatRequest | EmbedRequest, T>(
    call: MiddlewareCall<R>,
    next: (call: MiddlewareCall<R>) => Promise<T>,
  ): Promise<T> {
    const target = requireTarget(call);
    const options = deps.optionsFor(target, call.request.retry);
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const result = await next(attemptCall(deps, call, options, attempt));
        recordAttempt(call, target, attempt, performance.now() - started);
        return result;
      } catch (error) {
        recordAttempt(call, target, attempt, performance.now() - started, error);
        const delay = planRetry(deps, call, options, attempt, error);
        if (delay === undefined) throw error;
        emitRetry(call, target, attempt, delay, error);
        await deps.clock.sleep(delay, call.request.signal);
      }
    }
  }
  return {
    name: 'retry',
    chat: (call: ChatCall, next) => run(call, next),
    embed: (call: EmbedCall, next) => run(call, next),
    stream(call, next) {
      const target = requireTarget(call);
      return deriveStream((signal) => new RetriedEvents(deps, call, target, next, signal), {
        provider: target.provider,
        model: target.modelId,
      });
    },
  };
}

/**
 * The events of a retried stream, written out as an iterator (one promise step per event, where the
 * async generator it replaces took several at every stage; issue 11). It is this generator:
 *
 *   attempts: for (attempt = 1; ; attempt++) { delivered = false;
 *     for await (event of follow(next(attemptCall(...)), signal)) {
 *       error: record; delay = delivered || aborted ? undefined : planRetry(...);
 *              delay: emitRetry, sleep, continue attempts (the attempt's stream is closed); else yield, return
 *       else: delivered = true; finish: record; yield }
 *     return }
 *
 * Until an event was delivered an error may start the next attempt; after it the events pass
 * through as they come and only a finish or an error is looked at.
 */
class RetriedEvents implements AsyncGenerator<StreamEvent, undefined> {
  private readonly options: ResolvedRetryOptions;
  private attempt = 0;
  private started = 0;
  private delivered = false;
  private inner: AsyncGenerator<StreamEvent> | undefined;
  /** `closing`: the last event was handed on, the next step closes the attempt's stream. */
  private state: 'open' | 'closing' | 'done' = 'open';

  constructor(
    private readonly deps: RetryDependencies,
    private readonly call: StreamCall,
    private readonly target: CallTarget,
    private readonly nextStage: StreamNext,
    private readonly signal: AbortSignal,
  ) {
    this.options = deps.optionsFor(target, call.request.retry);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private open(): AsyncGenerator<StreamEvent> {
    this.attempt += 1;
    this.started = performance.now();
    this.delivered = false;
    const inner = follow(this.nextStage(attemptCall(this.deps, this.call, this.options, this.attempt)), this.signal);
    this.inner = inner;
    return inner;
  }

  private readonly onResult = (
    result: IteratorResult<StreamEvent>,
  ): IteratorResult<StreamEvent, undefined> | Promise<IteratorResult<StreamEvent, undefined>> => {
    if (result.done === true) {
      this.state = 'done';
      return DONE;
    }
    const event = result.value;
    if (event.type === 'error') {
      const { call, target, attempt } = this;
      recordAttempt(call, target, attempt, performance.now() - this.started, event.error);
      const delay =
        this.delivered || this.signal.aborted
          ? undefined
          : planRetry(this.deps, call, this.options, attempt, event.error);
      if (delay === undefined) {
        this.state = 'closing';
        return result;
      }
      emitRetry(call, target, attempt, delay, event.error);
      return this.deps.clock.sleep(delay, sleepSignal(this.signal, call.request.signal)).then(
        () => this.closeInner(false).then(() => this.nextAttempt()),
        (error: unknown) =>
          this.closeInner(true).then(() => {
            this.state = 'done';
            throw error;
          }),
      );
    }
    this.delivered = true;
    if (event.type === 'finish') recordAttempt(this.call, this.target, this.attempt, performance.now() - this.started);
    return result;
  };

  private readonly onError = (error: unknown): never => {
    this.state = 'done';
    throw error;
  };

  /** Opens the next attempt and reads its first event (a stage that throws rejects, as in a generator). */
  private nextAttempt(): Promise<IteratorResult<StreamEvent, undefined>> {
    let inner: AsyncGenerator<StreamEvent>;
    try {
      inner = this.open();
    } catch (error) {
      this.state = 'done';
      return Promise.reject(error);
    }
    return inner.next().then(this.onResult, this.onError);
  }

  /**
   * Leaves the attempt's stream as leaving a `for await` does: its `return`, whose failure counts
   * unless the loop is left by an error of its own (`ignoreErrors`).
   */
  private closeInner(ignoreErrors: boolean): Promise<void> {
    const inner = this.inner;
    if (inner === undefined) return Promise.resolve();
    return ignoreErrors ? inner.return(undefined).then(noop, noop) : inner.return(undefined).then(noop);
  }

  next(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.state === 'open') {
      const inner = this.inner;
      return inner === undefined ? this.nextAttempt() : inner.next().then(this.onResult, this.onError);
    }
    if (this.state === 'closing') {
      this.state = 'done';
      return this.closeInner(false).then(() => DONE);
    }
    return Promise.resolve(DONE);
  }

  return(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.state === 'done' || this.inner === undefined) {
      this.state = 'done';
      return Promise.resolve(DONE);
    }
    this.state = 'done';
    return this.closeInner(false).then(() => DONE);
  }

  throw(error: unknown): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.state === 'done' || this.inner === undefined) {
      this.state = 'done';
      return Promise.reject(error);
    }
    this.state = 'done';
    return this.closeInner(true).then(() => Promise.reject(error));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

export type { RetryOptions } from '../types/retry.js';
