/**
 * Coalesces a stream's SSE events into one socket write per turn of the event loop. Core hands the
 * events of one upstream read over together (a read of a fast stream holds hundreds of chunks);
 * writing each as it comes costs a chunked-encoding frame and a socket write per event, the largest
 * item of the gateway's CPU profile on a 1,000-chunk stream. Events pushed in the same turn are
 * joined and written once from `setImmediate` (right after the current I/O callbacks, no timer), and
 * `flush` writes at once where order or latency matters: the first event, an error, the end.
 *
 * The events are encoded as they come into the batch's own buffer, which is written as it is: a
 * batch joined as one string had to be flattened, measured (`Buffer.byteLength` for the chunk
 * header) and encoded again by the socket write, three passes over a batch of hundreds of events.
 */
import type { ServerResponse } from 'node:http';

/** Smallest and largest size a batch's buffer starts with: the previous batch's bytes, within these. */
const MIN_BATCH_BYTES = 4096;
const MAX_START_BYTES = 256 * 1024;

export class SseBatch {
  readonly #raw: ServerResponse;
  /** The batch's bytes so far (a fresh buffer per batch: a written one belongs to the socket). */
  #buffer: Buffer | undefined;
  #length = 0;
  /** The size the next batch's buffer starts with. */
  #nextSize = MIN_BATCH_BYTES;
  #scheduled = false;

  constructor(raw: ServerResponse) {
    this.#raw = raw;
  }

  /** Queues `text` (whole SSE events) for the next write. */
  push(text: string): void {
    // At most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair's 4 bytes are 2 units).
    const most = text.length * 3;
    let buffer = this.#buffer;
    if (buffer === undefined || buffer.length - this.#length < most) buffer = this.#grow(most);
    this.#length += buffer.write(text, this.#length);
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
    const buffer = this.#buffer;
    if (buffer === undefined || this.#length === 0) return;
    const bytes = buffer.subarray(0, this.#length);
    this.#buffer = undefined;
    this.#nextSize = Math.min(MAX_START_BYTES, Math.max(MIN_BATCH_BYTES, this.#length));
    this.#length = 0;
    if (this.#raw.destroyed || this.#raw.writableEnded) return;
    this.#raw.write(bytes);
    const socket = this.#raw.socket;
    if (socket !== null && socket.writableCorked > 0) socket.uncork();
  }

  /** A buffer with room for `most` more bytes, holding what the batch has so far. */
  #grow(most: number): Buffer {
    const old = this.#buffer;
    const size = Math.max(this.#nextSize, (this.#length + most) * 2);
    const buffer = Buffer.allocUnsafe(size);
    if (old !== undefined) old.copy(buffer, 0, 0, this.#length);
    this.#buffer = buffer;
    return buffer;
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };
}
