/**
 * Finished calls waiting to be recorded. Recording a call (prom-client histograms, the view's
 * buckets, the history's sums) costs a few µs; done when the call ends, it runs before the call's
 * promise resolves, i.e. before a gateway can write the answer. So a call's end only queues its
 * record, and the queue is drained in one `setImmediate` per batch (after the answers of that turn
 * went out), or earlier by any read: every reader calls `drain()` first, so a read right after
 * `await sb.chat()` still sees the call.
 */

/** How many records may wait before one is drained on the spot (bounds memory if turns are starved). */
export const MAX_QUEUED = 4096;

function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), { code: 'SWITCHBOARD_TELEMETRY' });
}

export class RecordingQueue<Entry> {
  private queued: Entry[] = [];
  private scheduled = false;
  private readonly drainLater = (): void => {
    this.scheduled = false;
    this.drain();
  };

  /**
   * @param record Records one entry (in the order the calls ended).
   * @param afterBatch Runs once after each drained batch (work worth doing once per batch, not per call).
   */
  constructor(
    private readonly record: (entry: Entry) => void,
    private readonly afterBatch: () => void = () => undefined,
  ) {}

  /** Queues one finished call's record; it is recorded in the next turn, or by the next read. */
  push(entry: Entry): void {
    this.queued.push(entry);
    if (this.queued.length >= MAX_QUEUED) this.drain();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drainLater);
    }
  }

  /**
   * Records everything queued, now. Safe to call from inside a record (a reader that a record
   * triggers): the batch is taken off the queue first, so none is recorded twice. A record that
   * throws does not stop the others, nor (drained in a turn of its own) crash the process: it is
   * reported as a process warning, as telemetry must never take the application down.
   */
  drain(): void {
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    for (const entry of batch)
      try {
        this.record(entry);
      } catch (error) {
        warn(error);
      }
    try {
      this.afterBatch();
    } catch (error) {
      warn(error);
    }
  }

  /** Records waiting (tests check batching and the bound). */
  get size(): number {
    return this.queued.length;
  }
}
