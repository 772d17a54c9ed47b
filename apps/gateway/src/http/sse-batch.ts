/**
 * Coalesces a stream's SSE events into one socket write per turn of the event loop. Core hands the
 * events of one upstream read over together (a read of a fast stream holds hundreds of chunks);
 * writing each as it comes costs a chunked-encoding frame and a socket write per event, the largest
 * item of the gateway's CPU profile on a 1,000-chunk stream. Events pushed in the same turn are
 * joined and written once from `setImmediate` (right after the current I/O callbacks, no timer), and
 * `flush` writes at once where order or latency matters: the first event, an error, the end.
 */
import type { ServerResponse } from 'node:http';

export class SseBatch {
  readonly #raw: ServerResponse;
  #pending = '';
  #scheduled = false;

  constructor(raw: ServerResponse) {
    this.#raw = raw;
  }

  /** Queues `text` (whole SSE events) for the next write. */
  push(text: string): void {
    this.#pending += text;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flushScheduled);
  }

  /** Writes what is queued now (before `end`, trailers or an error event). */
  flush(): void {
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    if (!this.#raw.destroyed && !this.#raw.writableEnded) this.#raw.write(text);
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}
