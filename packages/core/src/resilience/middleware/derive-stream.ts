/**
 * How streams pass through middleware. A stream middleware returns a new `ChatStream` built by
 * `deriveStream` from an async generator of events: the generator may await (a budget check, a
 * cache lookup, a retry delay), call `next` for the inner stream, and re-yield, tee or replace its
 * events. The derived stream keeps the public contract: lazy start, single iteration, `response`
 * settles from the `finish` or `error` event, `abort()` reaches the HTTP request underneath.
 */

import type { SwitchboardError } from '../../errors/errors.js';
import { finishEvent } from '../../runtime/finish-event.js';
import { LazyStream } from '../../runtime/lazy-stream.js';
import type { ChatResponse, ChatStream, StreamEvent } from '../../types/requests.js';
import { DONE, noop } from './iterator-done.js';

/** Produces the events of a derived stream; `signal` aborts when the consumer aborts or stops early. */
export type StreamSource = (signal: AbortSignal) => AsyncIterable<StreamEvent>;

/** An empty response for a stream that failed before its first event. */
export function emptyResponse(provider: string, model: string): ChatResponse {
  return {
    text: '',
    toolCalls: [],
    finishReason: 'error',
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    model,
    provider,
    cached: false,
    latencyMs: 0,
    warnings: [],
    raw: undefined,
  };
}

function withPartial(error: unknown, partial: ChatResponse): Error {
  const out = error instanceof Error ? error : new Error(String(error));
  const holder = out as Partial<SwitchboardError>;
  if (holder.partial === undefined) {
    try {
      holder.partial = partial;
    } catch {
      // frozen error objects keep their shape
    }
  }
  return out;
}

class DerivedStream extends LazyStream implements ChatStream {
  private readonly controller = new AbortController();

  constructor(
    private readonly source: StreamSource,
    private readonly identity: { provider: string; model: string },
  ) {
    super();
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason ?? new DOMException('The stream was aborted', 'AbortError'));
  }

  private failEvent(error: unknown): StreamEvent {
    const partial =
      (error as Partial<SwitchboardError> | undefined)?.partial ??
      emptyResponse(this.identity.provider, this.identity.model);
    const out = withPartial(error, partial);
    this.settleWithError(out);
    return { type: 'error', error: out, partial };
  }

  /**
   * The events, through `DerivedEvents`: the same steps as the generator below, one promise step per
   * event instead of a generator's several (every middleware stage derives a stream; issue 11).
   *
   *   try { try { for await (e of source) { error: settle, yield, return; finish: settle, yield, return;
   *   else yield } } catch (x) { yield failEvent(x); return } if (!settled) yield failEvent(ended early) }
   *   finally { if (!settled) { abort(); failEvent(signal.reason) } }
   */
  protected run(): AsyncGenerator<StreamEvent> {
    return new DerivedEvents(this);
  }

  /** For `DerivedEvents`: opens the source (a throw is the iterator's to report). */
  openSource(): AsyncIterator<StreamEvent> {
    return this.source(this.controller.signal)[Symbol.asyncIterator]();
  }

  /** For `DerivedEvents`: an event passed on, settling `response` on finish and error. */
  passed(event: StreamEvent): boolean {
    if (event.type === 'error') {
      this.settleWithError(event.error);
      return true;
    }
    if (event.type === 'finish') {
      this.settle(event.response);
      return true;
    }
    return false;
  }

  /** For `DerivedEvents`: the error event for a failure of the source. */
  failed(error: unknown): StreamEvent {
    return this.failEvent(error);
  }

  /** For `DerivedEvents`: the source ended; an error event when it never finished. */
  endedEvent(): StreamEvent | undefined {
    return this.settled ? undefined : this.failEvent(new Error('The stream ended without a finish event'));
  }

  /** For `DerivedEvents`: the generator's `finally`. */
  closed(): void {
    if (!this.settled) {
      this.abort();
      this.failEvent(this.controller.signal.reason);
    }
  }
}

/** Where `DerivedEvents` stands: before the source, reading it, after a last event, finished. */
type DerivedState = 'idle' | 'reading' | 'closing' | 'ended' | 'done';

/**
 * `DerivedStream`'s iterator, written out (see `DerivedStream.run` for the generator it replaces):
 * after a finish or error event the next call closes the source (its `finally` blocks run), as
 * leaving a `for await` does; `return` closes the source, then runs the stream's `finally`.
 */
class DerivedEvents implements AsyncGenerator<StreamEvent, undefined> {
  private state: DerivedState = 'idle';
  private source: AsyncIterator<StreamEvent> | undefined;

  constructor(private readonly stream: DerivedStream) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  private readonly onResult = (result: IteratorResult<StreamEvent>): IteratorResult<StreamEvent, undefined> => {
    if (this.state !== 'reading') return DONE;
    if (result.done === true) {
      this.state = 'ended';
      const event = this.stream.endedEvent();
      if (event !== undefined) return { done: false, value: event };
      return this.finish();
    }
    if (this.stream.passed(result.value)) this.state = 'closing';
    return result;
  };

  private readonly onError = (error: unknown): IteratorResult<StreamEvent, undefined> => {
    this.state = 'ended';
    return { done: false, value: this.stream.failed(error) };
  };

  private finish(): IteratorReturnResult<undefined> {
    this.state = 'done';
    this.stream.closed();
    return DONE;
  }

  /** Leaves the source as `for await` does on `return`/`break`: its `return`, errors ignored. */
  private closeSource(): Promise<void> {
    const source = this.source;
    if (source?.return === undefined) return Promise.resolve();
    try {
      return Promise.resolve(source.return()).then(noop, noop);
    } catch {
      return Promise.resolve();
    }
  }

  next(): Promise<IteratorResult<StreamEvent, undefined>> {
    switch (this.state) {
      case 'reading':
        return (this.source as AsyncIterator<StreamEvent>).next().then(this.onResult, this.onError);
      case 'idle':
        this.state = 'reading';
        try {
          this.source = this.stream.openSource();
        } catch (error) {
          return Promise.resolve(this.onError(error));
        }
        return this.source.next().then(this.onResult, this.onError);
      case 'closing':
        this.state = 'ended';
        return this.closeSource().then(() => this.finish());
      case 'ended':
        return Promise.resolve(this.finish());
      default:
        return Promise.resolve(DONE);
    }
  }

  return(): Promise<IteratorResult<StreamEvent, undefined>> {
    switch (this.state) {
      case 'idle':
        this.state = 'done';
        return Promise.resolve(DONE);
      case 'reading':
      case 'closing':
        this.state = 'ended';
        return this.closeSource().then(() => this.finish());
      case 'ended':
        return Promise.resolve(this.finish());
      default:
        return Promise.resolve(DONE);
    }
  }

  throw(error: unknown): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.state !== 'reading' && this.state !== 'closing') {
      if (this.state === 'ended') this.finish();
      this.state = 'done';
      return Promise.reject(error);
    }
    this.state = 'ended';
    return this.closeSource().then(() => this.onError(error));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

/** Builds a lazy `ChatStream` from an event source; `identity` names the call in errors before any event. */
export function deriveStream(source: StreamSource, identity: { provider: string; model: string }): ChatStream {
  return new DerivedStream(source, identity);
}

/**
 * Iterates an inner stream, aborting it when `signal` aborts (the outer consumer aborted or stopped).
 * Use it inside a `deriveStream` source: `for await (const event of follow(next(call), signal))`.
 *
 * It hands the inner stream's own iterator through (see `FollowedStream`) instead of re-yielding
 * from a generator: every middleware stage follows its inner stream, and one generator layer per
 * stage and event was a measurable part of the cost of a streamed chunk (issue 11).
 */
export function follow(inner: ChatStream, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  return new FollowedStream(() => inner, signal, undefined);
}

/** What `followObserved` reports, synchronously: each event as it passes, and the end. */
export interface StreamObserver {
  /**
   * An event of the inner stream, before it is handed on. A promise holds the event back until it
   * settles (a breaker records the outcome before the consumer sees the end); it rejects the stream.
   */
  event(event: StreamEvent): void | Promise<void>;
  /** Once, when the inner stream ended, failed or was left (after its own `return`). */
  end(): void;
}

/**
 * `follow` for a stage that only watches the events (telemetry): `open` runs on the first `next` (the
 * stage's own start, as at the top of a generator source), and the observer sees each event with no
 * generator of the stage's own in between. Use it as a `deriveStream` source:
 * `deriveStream((signal) => followObserved(() => next(call), signal, observer), identity)`.
 */
export function followObserved(
  open: () => ChatStream,
  signal: AbortSignal,
  observer: StreamObserver,
): AsyncGenerator<StreamEvent> {
  return new FollowedStream(open, signal, observer);
}

/**
 * `follow`'s iterator: like `async function* () { yield* inner }` with the abort listener added on the
 * first `next` and removed when the inner stream ends, throws or is returned, but one promise step
 * per event instead of a generator's several.
 */
class FollowedStream implements AsyncGenerator<StreamEvent, undefined> {
  private inner: ChatStream | undefined;
  private iterator: AsyncIterator<StreamEvent> | undefined;
  private finished = false;

  constructor(
    private readonly open: () => ChatStream,
    private readonly signal: AbortSignal,
    private readonly observer: StreamObserver | undefined,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  private readonly onAbort = (): void => this.inner?.abort(this.signal.reason);

  private start(): AsyncIterator<StreamEvent> {
    const inner = this.open();
    this.inner = inner;
    if (this.signal.aborted) this.onAbort();
    else this.signal.addEventListener('abort', this.onAbort, { once: true });
    this.iterator = inner[Symbol.asyncIterator]();
    return this.iterator;
  }

  private stop(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.iterator !== undefined) this.signal.removeEventListener('abort', this.onAbort);
    this.observer?.end();
  }

  private readonly passed = (
    result: IteratorResult<StreamEvent>,
  ): IteratorResult<StreamEvent, undefined> | Promise<IteratorResult<StreamEvent, undefined>> => {
    if (result.done !== true) {
      const pending = this.observer?.event(result.value);
      return pending === undefined ? result : pending.then(() => result);
    }
    this.stop();
    return DONE;
  };

  private readonly failed = (error: unknown): never => {
    this.stop();
    throw error;
  };

  next(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.finished) return Promise.resolve(DONE);
    let iterator = this.iterator;
    if (iterator === undefined) {
      try {
        iterator = this.start();
      } catch (error) {
        this.stop();
        return Promise.reject(error);
      }
    }
    return iterator.next().then(this.passed, this.failed);
  }

  return(): Promise<IteratorResult<StreamEvent, undefined>> {
    const iterator = this.iterator;
    if (this.finished || iterator === undefined || iterator.return === undefined) {
      this.stop();
      return Promise.resolve(DONE);
    }
    return iterator.return().then(() => {
      this.stop();
      return DONE;
    }, this.failed);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  throw(error: unknown): Promise<IteratorResult<StreamEvent, undefined>> {
    const iterator = this.iterator;
    if (this.finished || iterator === undefined || iterator.throw === undefined) {
      this.stop();
      return Promise.reject(error);
    }
    return iterator.throw(error).then(this.passed, this.failed);
  }
}

/**
 * The events that replay a finished response as a stream (cache hits): its reasoning, its text,
 * its tool calls and the finish event, all from memory.
 */
export function replayEvents(response: ChatResponse, textChunks?: readonly string[]): StreamEvent[] {
  const events: StreamEvent[] = [];
  if (response.reasoning !== undefined && response.reasoning !== '')
    events.push({ type: 'reasoning-delta', text: response.reasoning });
  if (textChunks !== undefined) for (const text of textChunks) events.push({ type: 'text-delta', text });
  else if (response.text !== '') events.push({ type: 'text-delta', text: response.text });
  for (const toolCall of response.toolCalls) events.push({ type: 'tool-call', toolCall });
  events.push(finishEvent(response));
  return events;
}
