/**
 * Throughput of one target under autocannon (a well-kept HTTP load generator; it runs in the
 * benchmark's process, so on a small box it competes with the gateway for the same cores, and the
 * figures are only comparable side by side in one run). Every non-2xx answer or socket error fails
 * the run: a gateway answering errors fast would otherwise look fast.
 */
import { createRequire } from 'node:module';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  body: string;
  /** Requests per second over all connections (autocannon's `overallRate`); unset: as fast as answered. */
  overallRate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** autocannon records whole milliseconds; fine at concurrency 32+, too coarse for one connection. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
}

/** The part of autocannon's result this file reads. */
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

// autocannon is CommonJS without types: required, and typed by the interface above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Runs autocannon once against `options.url`; throws when any request failed. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0)
    throw new Error(
      `${options.url}: ${failed} failed requests (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    );
  return {
    requestsPerSecond: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}
