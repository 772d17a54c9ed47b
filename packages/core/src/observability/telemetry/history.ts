/**
 * Request history for dashboards (`sb.telemetry.history({ hours, bucketMs })`): request, error,
 * latency, token and cost series for up to 24 hours. Calls are summed into fixed buckets (one minute
 * by default), so memory is bounded by 24 hours of buckets whatever the traffic.
 *
 * With a shared store (`createSwitchboard({ store })`, Redis) each bucket also lives in the store,
 * as one small JSON document merged with compare-and-set: this process's sums are added in the
 * background every `flushMs` (and before every read), so the instances of a gateway report one
 * history. Without one, the history is this process's.
 */
import { ConfigurationError, InvalidRequestError } from '../../errors/errors.js';
import type { Store } from '../../types/store.js';
import type { CallObservation } from './view.js';

/** One bucket's sums. */
interface BucketSums {
  requests: number;
  errors: number;
  latencyMsSum: number;
  latencyMsMax: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One point of a history series. */
export interface HistoryPoint {
  /** Start of the bucket (ms since epoch). */
  at: number;
  requests: number;
  errors: number;
  /** errors / requests (0 with no calls). */
  errorRate: number;
  /** Mean and slowest latency of the bucket's calls, ms (null with no calls). */
  latencyMs: { mean: number; max: number } | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** What `history()` returns. */
export interface TelemetryHistory {
  from: number;
  to: number;
  bucketMs: number;
  /** `store` when read from the shared store (every process's calls), `memory` for this process's. */
  source: 'memory' | 'store';
  /** One point per bucket, oldest first, empty buckets included. */
  points: HistoryPoint[];
}

/** Options of one read. */
export interface HistoryQuery {
  /** How far back (default 1, at most 24). */
  hours?: number;
  /** Width of a point, ms: a multiple of the history's own bucket (default the history's bucket). */
  bucketMs?: number;
}

export interface HistoryOptions {
  /** The finest bucket, ms (default 60 000; 24 hours of them are kept). */
  bucketMs?: number;
  /** How often this process's sums are added to the shared store, ms (default 5000). */
  flushMs?: number;
}

const HOUR_MS = 3_600_000;
const MAX_HOURS = 24;
const PREFIX = 'sb:hist:';
const CAS_TRIES = 16;

const empty = (): BucketSums => ({
  requests: 0,
  errors: 0,
  latencyMsSum: 0,
  latencyMsMax: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
});

function add(into: BucketSums, from: BucketSums): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.latencyMsSum += from.latencyMsSum;
  into.latencyMsMax = Math.max(into.latencyMsMax, from.latencyMsMax);
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.costUsd += from.costUsd;
}

/** Adds one call to a bucket's sums (in place: no object per call). */
function addCall(into: BucketSums, call: CallObservation): void {
  into.requests += 1;
  if (!call.ok) into.errors += 1;
  into.latencyMsSum += call.latencyMs;
  if (call.latencyMs > into.latencyMsMax) into.latencyMsMax = call.latencyMs;
  into.inputTokens += call.inputTokens;
  into.outputTokens += call.outputTokens;
  into.costUsd += call.costUsd;
}

function point(at: number, sums: BucketSums): HistoryPoint {
  return {
    at,
    requests: sums.requests,
    errors: sums.errors,
    errorRate: sums.requests === 0 ? 0 : sums.errors / sums.requests,
    latencyMs:
      sums.requests === 0
        ? null
        : {
            mean: Math.round((sums.latencyMsSum / sums.requests) * 10) / 10,
            max: Math.round(sums.latencyMsMax * 10) / 10,
          },
    inputTokens: sums.inputTokens,
    outputTokens: sums.outputTokens,
    costUsd: Math.round(sums.costUsd * 1e9) / 1e9,
  };
}

/** The bounded history of one switchboard. */
export class RequestHistory {
  readonly bucketMs: number;
  private readonly flushMs: number;
  /** This process's sums per bucket start (the last 24 hours). */
  private readonly buckets = new Map<number, BucketSums>();
  /** Sums not yet added to the store, per bucket start. */
  private readonly pending = new Map<number, BucketSums>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly now: () => number,
    private readonly store: Store | undefined,
    options: HistoryOptions = {},
  ) {
    const bucketMs = options.bucketMs ?? 60_000;
    if (!(Number.isInteger(bucketMs) && bucketMs >= 1000 && bucketMs <= HOUR_MS))
      throw new ConfigurationError(
        `telemetry.history.bucketMs must be a whole number of ms from 1000 to 3600000, got ${String(bucketMs)}`,
        { setting: 'telemetry.history.bucketMs' },
      );
    this.bucketMs = bucketMs;
    this.flushMs = options.flushMs ?? 5000;
  }

  /** Adds one finished call (a couple of additions; the store is written in the background). */
  record(call: CallObservation): void {
    const start = Math.floor(call.at / this.bucketMs) * this.bucketMs;
    let sums = this.buckets.get(start);
    if (sums === undefined) {
      sums = empty();
      this.buckets.set(start, sums);
      this.evict(start);
    }
    addCall(sums, call);
    if (this.store === undefined) return;
    let pending = this.pending.get(start);
    if (pending === undefined) {
      pending = empty();
      this.pending.set(start, pending);
    }
    addCall(pending, call);
    if (this.timer === undefined && this.flushMs > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), this.flushMs);
      this.timer.unref?.();
    }
  }

  /** Drops buckets older than 24 hours (bounded memory). */
  private evict(newest: number): void {
    const oldest = newest - MAX_HOURS * HOUR_MS;
    for (const start of this.buckets.keys()) if (start <= oldest) this.buckets.delete(start);
  }

  /** Adds this process's pending sums to the shared store (one compare-and-set per bucket). */
  flush(): Promise<void> {
    if (this.store === undefined || this.pending.size === 0) return this.flushing ?? Promise.resolve();
    const store = this.store;
    const batch = [...this.pending];
    this.pending.clear();
    const previous = this.flushing ?? Promise.resolve();
    const run = previous.then(async () => {
      for (const [start, sums] of batch) {
        const key = `${PREFIX}${this.bucketMs}:${start}`;
        let merged = false;
        for (let i = 0; i < CAS_TRIES && !merged; i += 1) {
          const raw = await store.get(key);
          const doc = raw === undefined ? empty() : (JSON.parse(raw) as BucketSums);
          add(doc, sums);
          merged = await store.compareAndSet(key, raw, JSON.stringify(doc), { ttlMs: MAX_HOURS * HOUR_MS + HOUR_MS });
        }
        // Too much contention: the sums go back to be added at the next flush.
        if (!merged) add(this.pending.get(start) ?? this.pendingFor(start), sums);
      }
    });
    const tracked = run.finally(() => {
      if (this.flushing === tracked) this.flushing = undefined;
    });
    this.flushing = tracked;
    return tracked;
  }

  private pendingFor(start: number): BucketSums {
    const sums = empty();
    this.pending.set(start, sums);
    return sums;
  }

  /**
   * The series of the last `hours` (default 1, at most 24) in points of `bucketMs` (a multiple of the
   * history's bucket). With a shared store: every process's calls (this one's pending sums flushed first).
   */
  async read(query: HistoryQuery = {}): Promise<TelemetryHistory> {
    const hours = query.hours ?? 1;
    if (typeof hours !== 'number' || !(hours > 0 && hours <= MAX_HOURS))
      throw new InvalidRequestError(
        `history: \`hours\` must be a number above 0 and at most ${MAX_HOURS}, got ${String(hours)}`,
        { retryable: false },
      );
    const width = query.bucketMs ?? this.bucketMs;
    if (!(Number.isInteger(width) && width >= this.bucketMs && width % this.bucketMs === 0))
      throw new InvalidRequestError(
        `history: \`bucketMs\` must be a multiple of the history's bucket (${this.bucketMs} ms), got ${String(width)}`,
        { retryable: false },
      );
    const now = this.now();
    const to = Math.floor(now / width) * width + width;
    const from = Math.max(to - Math.ceil((hours * HOUR_MS) / width) * width, 0);
    const starts: number[] = [];
    for (let start = from; start < to; start += this.bucketMs) starts.push(start);
    let sumsAt: (start: number) => BucketSums | undefined;
    if (this.store !== undefined) {
      await this.flush();
      const store = this.store;
      const docs = await Promise.all(starts.map((start) => store.get(`${PREFIX}${this.bucketMs}:${start}`)));
      const byStart = new Map<number, BucketSums>();
      docs.forEach((raw, index) => {
        if (raw !== undefined) byStart.set(starts[index] as number, JSON.parse(raw) as BucketSums);
      });
      sumsAt = (start) => byStart.get(start);
    } else sumsAt = (start) => this.buckets.get(start);
    const points: HistoryPoint[] = [];
    for (let at = from; at < to; at += width) {
      const sums = empty();
      for (let start = at; start < at + width; start += this.bucketMs) {
        const found = sumsAt(start);
        if (found !== undefined) add(sums, found);
      }
      points.push(point(at, sums));
    }
    return { from, to, bucketMs: width, source: this.store === undefined ? 'memory' : 'store', points };
  }

  /** Stops the flush timer after a last flush. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Buckets held in memory (tests check the bound). */
  get size(): number {
    return this.buckets.size;
  }
}
