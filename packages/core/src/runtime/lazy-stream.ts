/**
 * The shell every `ChatStream` implementation shares (the runtime's stream, a middleware's derived
 * stream, the streaming tool loop): it starts lazily, can be iterated once, and its `response`
 * settles exactly once from what the iteration produced. Awaiting `response` without iterating
 * drains the stream on the next turn. Subclasses write `run()` and call `settle` / `settleWithError`.
 */
import type { ChatResponse, StreamEvent } from '../types/requests.js';

export abstract class LazyStream {
  private readonly promise: Promise<ChatResponse>;
  private resolvePromise!: (response: ChatResponse) => void;
  private rejectPromise!: (error: unknown) => void;
  protected started = false;
  protected settled = false;

  constructor() {
    const promise = new Promise<ChatResponse>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    promise.catch(() => undefined);
    this.promise = promise;
  }

  /** Accessing `response` without iterating drains the stream on the next turn. */
  get response(): Promise<ChatResponse> {
    if (!this.started) setImmediate(() => this.drain());
    return this.promise;
  }

  private drain(): void {
    if (this.started) return;
    const iterator = this[Symbol.asyncIterator]();
    void (async () => {
      for (;;) if ((await iterator.next()).done) return;
    })();
  }

  [Symbol.asyncIterator](): AsyncGenerator<StreamEvent> {
    if (this.started) throw new Error('A chat stream can be iterated only once; await `response` for the result');
    this.started = true;
    return this.run();
  }

  abstract abort(reason?: unknown): void;

  /** The events; it settles `response` through `settle` or `settleWithError` before it returns. */
  protected abstract run(): AsyncGenerator<StreamEvent>;

  protected settle(response: ChatResponse): void {
    this.settled = true;
    this.resolvePromise(response);
  }

  protected settleWithError(error: unknown): void {
    this.settled = true;
    this.rejectPromise(error);
  }
}
