/**
 * What recent calls say about a provider's health, next to the last health check: per provider, the
 * outcome and latency of the last calls (a fixed ring, so memory is bounded whatever the traffic),
 * read over a recent window as an error rate and latency percentiles. Every attempt at a provider
 * counts (a retried failure is a failure the provider gave).
 */

/** Calls of one provider over the recent window. */
export interface RecentCallHealth {
  /** The window the figures cover, ms. */
  windowMs: number;
  requests: number;
  failures: number;
  /** failures / requests (0 with no calls). */
  errorRate: number;
  /** Latency percentiles of the calls in the window, ms (null with no calls). */
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

/** Samples kept per provider. */
const DEFAULT_CAPACITY = 512;

/** One provider's ring of samples. */
class Ring {
  readonly at: Float64Array;
  readonly latency: Float64Array;
  readonly ok: Uint8Array;
  next = 0;
  size = 0;
  constructor(capacity: number) {
    this.at = new Float64Array(capacity);
    this.latency = new Float64Array(capacity);
    this.ok = new Uint8Array(capacity);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round((sorted[index] as number) * 10) / 10;
}

/** The recent call outcomes of every provider. */
export class CallHealth {
  private readonly rings = new Map<string, Ring>();

  constructor(
    private readonly now: () => number,
    readonly windowMs = 300_000,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** Records one attempt's outcome (cheap: three array writes). */
  record(provider: string, ok: boolean, latencyMs: number): void {
    let ring = this.rings.get(provider);
    if (ring === undefined) {
      ring = new Ring(this.capacity);
      this.rings.set(provider, ring);
    }
    const slot = ring.next;
    ring.at[slot] = this.now();
    ring.latency[slot] = latencyMs;
    ring.ok[slot] = ok ? 1 : 0;
    ring.next = (slot + 1) % this.capacity;
    if (ring.size < this.capacity) ring.size += 1;
  }

  /** The figures of one provider over the window. */
  recent(provider: string): RecentCallHealth {
    const ring = this.rings.get(provider);
    const since = this.now() - this.windowMs;
    const latencies: number[] = [];
    let failures = 0;
    if (ring !== undefined)
      for (let i = 0; i < ring.size; i += 1) {
        if ((ring.at[i] as number) <= since) continue;
        latencies.push(ring.latency[i] as number);
        if (ring.ok[i] === 0) failures += 1;
      }
    const requests = latencies.length;
    latencies.sort((a, b) => a - b);
    return {
      windowMs: this.windowMs,
      requests,
      failures,
      errorRate: requests === 0 ? 0 : failures / requests,
      latencyMs:
        requests === 0
          ? null
          : { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
    };
  }
}
