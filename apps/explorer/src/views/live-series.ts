/**
 * Turns the live view's cumulative samples into the rates the charts draw: requests per second,
 * error rate and tokens per interval between consecutive samples. A counter that went down (the
 * telemetry was reset) starts a new baseline instead of drawing a negative rate.
 */
import type { LivePoint } from '@switchboard/gateway';

/** The last hour of samples: the gateway's history plus the points this page received, oldest first. */
export function mergePoints(kept: readonly LivePoint[], received: readonly LivePoint[], now: number): LivePoint[] {
  const byTime = new Map<number, LivePoint>();
  for (const point of [...kept, ...received]) byTime.set(point.at, point);
  return [...byTime.values()].filter((point) => point.at >= now - 3_600_000).sort((a, b) => a.at - b.at);
}

/** Chart columns: x in seconds since epoch, then each series. */
export interface RateSeries {
  x: number[];
  requestsPerSecond: (number | null)[];
  errorRate: (number | null)[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  byProvider: Record<string, (number | null)[]>;
}

/** Rates between consecutive samples, placed at the later sample's time. */
export function rates(points: readonly LivePoint[]): RateSeries {
  const out: RateSeries = { x: [], requestsPerSecond: [], errorRate: [], p50Ms: [], p95Ms: [], byProvider: {} };
  const providers = [...new Set(points.flatMap((point) => Object.keys(point.providers)))].sort();
  for (const provider of providers) out.byProvider[provider] = [];
  for (let index = 1; index < points.length; index++) {
    const before = points[index - 1] as LivePoint;
    const after = points[index] as LivePoint;
    const seconds = (after.at - before.at) / 1000;
    if (seconds <= 0) continue;
    const requests = after.requests - before.requests;
    const failures = after.failures - before.failures;
    out.x.push(after.at / 1000);
    out.requestsPerSecond.push(requests < 0 ? null : requests / seconds);
    out.errorRate.push(requests <= 0 || failures < 0 ? null : failures / requests);
    out.p50Ms.push(after.p50Ms);
    out.p95Ms.push(after.p95Ms);
    for (const provider of providers) {
      const now = after.providers[provider]?.requests ?? 0;
      const then = before.providers[provider]?.requests ?? 0;
      out.byProvider[provider]?.push(now < then ? null : (now - then) / seconds);
    }
  }
  return out;
}
