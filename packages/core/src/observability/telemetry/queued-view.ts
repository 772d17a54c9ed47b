/**
 * The view a switchboard's telemetry hands out (`sb.telemetry.view`): a `TelemetryView` fed from the
 * recording queue (recording-queue.ts), which drains that queue before every read, so whoever reads
 * it (a snapshot, CSV, JSON, the gateway's dashboard) sees every call that has ended, recorded or
 * still queued. It is still a `TelemetryView` (same methods, `instanceof` holds).
 */
import { type CallObservation, TelemetryView, type TelemetryViewOptions } from './view.js';

export class QueuedView extends TelemetryView {
  /**
   * @param drain Records the queued calls now (into this view among the rest, by `recordQueued`).
   */
  constructor(
    options: TelemetryViewOptions,
    private readonly drain: () => void,
  ) {
    super(options);
  }

  /** Records a call taken off the queue (the queue's own path: no drain, it is the drain). */
  recordQueued(observation: CallObservation): void {
    super.record(observation);
  }

  /** A call recorded by hand goes after the queued ones, in the order the calls ended. */
  override record(observation: CallObservation): void {
    this.drain();
    super.record(observation);
  }

  /** `toJSON` and `toCSV` read through this too. */
  override snapshot(): ReturnType<TelemetryView['snapshot']> {
    this.drain();
    return super.snapshot();
  }

  /** Queued calls ended before the reset: they are recorded first (metrics and history keep them), then forgotten here. */
  override reset(): void {
    this.drain();
    super.reset();
  }
}
