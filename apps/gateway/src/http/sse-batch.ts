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

  /**
   * Writes what is queued now (the first event, before `end`, trailers or an error event). node:http
   * corks the socket on a write and uncorks it on the next tick, which comes only after the promise
   * jobs that are running: core hands a read's hundreds of events over in one run of promise jobs, so
   * a corked first event waited for all of them (most of the gateway's added time to first token,
   * issue 11). The socket is uncorked here so the bytes leave now.
   */
  flush(): void {
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    if (this.#raw.destroyed || this.#raw.writableEnded) return;
    this.#raw.write(text);
    const socket = this.#raw.socket;
    if (socket !== null && socket.writableCorked > 0) socket.uncork();
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}
