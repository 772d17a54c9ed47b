/**
 * The idle limit of a stream: the longest time the provider may go without sending a data event.
 *
 * It is measured on decoded protocol events (the batches the stream decoders produce), not on raw
 * bytes: SSE comments (`: ping`), Anthropic's `event: ping`, blank NDJSON lines and other keep-alives
 * decode to nothing, so a server that only keeps the connection warm still stalls out. The clock
 * runs only while the stream waits for the provider: while the consumer holds a batch (slow
 * consumer, back-pressure) it is paused, so a slow reader is never mistaken for a stalled provider.
 *
 * One timer per stream, re-armed lazily: a batch only records a timestamp; when the timer fires it
 * checks how long the stream has really been waiting and sleeps again for the rest.
 */
import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import type { CallSignal } from './call-signal.js';
import { MAX_TIMER_MS } from './timeouts.js';

function onIdleTimer(watch: IdleWatch): void {
  watch.check();
}

/** The waiting clock of one stream. */
export class IdleWatch {
  private since = 0;
  private waiting = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly call: CallSignal,
    private readonly idleMs: number,
  ) {}

  /** The stream starts waiting for the provider's next data event. */
  wait(): void {
    this.since = performance.now();
    this.waiting = true;
    if (this.timer === undefined && !this.stopped) this.arm(this.idleMs);
  }

  /** A data event arrived; the consumer has it. */
  pause(): void {
    this.waiting = false;
  }

  stop(): void {
    this.stopped = true;
    this.waiting = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  check(): void {
    this.timer = undefined;
    if (!this.waiting || this.stopped) return;
    const left = this.idleMs - (performance.now() - this.since);
    // Timers fire on the event loop's cached clock, a little early or late: sleep for what is left.
    if (left > 0) this.arm(Math.ceil(left));
    else this.call.expire('idle', this.idleMs);
  }

  private arm(ms: number): void {
    const timer = setTimeout(onIdleTimer, Math.min(ms, MAX_TIMER_MS), this);
    timer.unref();
    this.timer = timer;
  }
}

/**
 * Passes the batches of `source` through, ending the call (`call.expire('idle')`, which aborts the
 * HTTP body, so the pending read rejects and the stream ends with a `timeout` error keeping its
 * partial output) when the provider sends no data event for the watch's limit. The call's overall
 * timer keeps running meanwhile: it bounds the whole stream. HTTP streams run the same watch inline
 * in their body loop (`call-engine.ts`: one async layer less per batch); this wrapper serves custom
 * providers and the mock protocol.
 */
export async function* watchIdle(
  source: AsyncIterable<ProtocolStreamEvent[]>,
  watch: IdleWatch,
): AsyncGenerator<ProtocolStreamEvent[]> {
  try {
    watch.wait();
    for await (const batch of source) {
      watch.pause();
      yield batch;
      watch.wait();
    }
  } finally {
    watch.stop();
  }
}
