/**
 * Prometheus metrics over prom-client (an optional peer dependency, loaded only when metrics are
 * on). Names follow Prometheus conventions with a `switchboard_` prefix; durations are in seconds.
 *
 *   switchboard_requests_total{provider,model,operation,status}        calls (status: success | error)
 *   switchboard_successes_total{provider,model,operation}              successful calls
 *   switchboard_in_flight_requests{provider,model}                     calls started and not yet ended
 *   switchboard_pool_active_connections{origin}                        sockets with a request in flight
 *   switchboard_pool_idle_connections{origin}                          open keep-alive sockets with none
 *   switchboard_pool_pending_requests{origin}                          requests waiting for a socket
 *   switchboard_failures_total{provider,model,operation,kind}          failed calls by error kind
 *   switchboard_request_duration_seconds{provider,model,operation}     call latency (histogram)
 *   switchboard_time_to_first_token_seconds{provider,model}            streams (histogram)
 *   switchboard_tokens_total{provider,model,type}                      type: input | output
 *   switchboard_cost_usd_total{provider,model}
 *   switchboard_cache_hits_total{operation} / switchboard_cache_misses_total{operation}
 *   switchboard_retries_total{provider,model,kind}
 *   switchboard_fallbacks_total{from,to}
 *   switchboard_breaker_state{key,provider}                            0 closed, 1 half-open, 2 open
 *   switchboard_breaker_transitions_total{provider,to}
 *   switchboard_rate_limit_waits_total{provider}                       acquires that had to wait
 *   switchboard_rate_limit_wait_seconds{provider}                      how long they waited (histogram)
 */
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConfigurationError } from '../../errors/errors.js';
import type { BreakerEvent, FallbackEvent, RetryEvent } from '../../resilience/middleware/events.js';
import type { MetricsRegistry } from '../../types/telemetry.js';
import { loadPromClient } from './optional.js';
import { errorType } from './semconv.js';
import type { CallObservation } from './view.js';

export interface MetricsOptions {
  /** The registry to register in (default: a fresh one; pass `prom-client`'s `register` for the global one). */
  registry?: MetricsRegistry;
  /** Metric name prefix (default `switchboard_`). */
  prefix?: string;
  /** Buckets of the latency histogram, seconds. */
  latencyBuckets?: number[];
  /** Buckets of the time-to-first-token histogram, seconds. */
  ttftBuckets?: number[];
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
const TTFT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];
const BREAKER_STATE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** A prom-client histogram child bound to one label set (`histogram.labels(...)`), made once per series. */
type Observer = Pick<ReturnType<Histogram<string>['labels']>, 'observe'>;

/** Failed calls of one series with one error kind since the last scrape, and their labels (built once). */
interface FailureCount {
  readonly labels: Record<string, string>;
  count: number;
}

/**
 * What one (provider, model, operation) has counted since the last scrape, and its label objects,
 * built once. A finished call adds plain numbers here; each counter adds them to prom-client when
 * it is collected (scraped). prom-client hashes and validates the labels of every `inc`/`observe`
 * (about 2 µs each, seven per call): summed per series, that work is done once per scrape instead.
 * Histograms need every value: they are observed per call through children bound to the labels.
 */
interface Series {
  readonly base: Record<string, string>;
  readonly success: Record<string, string>;
  readonly error: Record<string, string>;
  readonly pair: Record<string, string>;
  readonly input: Record<string, string>;
  readonly output: Record<string, string>;
  /** Latency (`provider, model, operation`) and time-to-first-token (`provider, model`) children. */
  readonly duration: Observer;
  readonly ttft: Observer;
  /** Pending failures by error kind. */
  readonly failures: Map<string, FailureCount>;
  /** Pending sums, one field per counter (each counter zeroes only its own when collected). */
  requestsSucceeded: number;
  requestsFailed: number;
  successes: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

function newSeries(
  provider: string,
  model: string,
  operation: string,
  duration: Histogram<string>,
  ttft: Histogram<string>,
): Series {
  const base = { provider, model, operation };
  const pair = { provider, model };
  return {
    base,
    success: { provider, model, operation, status: 'success' },
    error: { provider, model, operation, status: 'error' },
    pair,
    input: { provider, model, type: 'input' },
    output: { provider, model, type: 'output' },
    duration: duration.labels(base),
    ttft: ttft.labels(pair),
    failures: new Map(),
    requestsSucceeded: 0,
    requestsFailed: 0,
    successes: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
}

/**
 * Calls started minus calls ended of one (provider, model) since the last scrape. A call keeps its
 * own for its life: it adds 1 when it starts and takes 1 off when it ends, with no lookup.
 */
export interface InFlightCount {
  delta: number;
}

interface InFlight extends InFlightCount {
  readonly labels: Record<string, string>;
}

/** Cache hits and misses of one operation since the last scrape, and their labels (built once). */
interface CacheCount {
  readonly labels: Record<string, string>;
  hits: number;
  misses: number;
}

/**
 * Runs `flush` before `metric` is collected, keeping a collect function it had (a metric reused
 * from a registry another switchboard registered it in keeps that switchboard's flush too).
 */
function beforeCollect(metric: unknown, flush: () => void): void {
  const target = metric as { collect?: (this: unknown) => unknown };
  const previous = target.collect;
  target.collect = function collect(this: unknown) {
    flush();
    return previous?.call(this);
  };
}

/**
 * What the telemetry needs of its metrics beyond their public methods. Kept off the class's public
 * surface (which the public-exports snapshot pins): `metricsInternals` hands it out, once per install.
 */
export interface MetricsInternals {
  /** The in-flight count of a provider and model, for a call to add 1 to and take 1 off without lookups. */
  inFlightCount(provider: string, model: string): InFlightCount;
  /**
   * Runs `drain` before any metric a call feeds is collected (`registry.metrics()`, a single
   * metric's `get()`, whoever reads the registry): calls whose records are still queued are counted.
   */
  beforeRead(drain: () => void): void;
}

const internals = new WeakMap<SwitchboardMetrics, MetricsInternals>();

/** The internals of `metrics` (see MetricsInternals). */
export function metricsInternals(metrics: SwitchboardMetrics): MetricsInternals {
  return internals.get(metrics) as MetricsInternals;
}

/** The switchboard's metrics in one registry. */
export class SwitchboardMetrics {
  readonly registry: MetricsRegistry;
  private readonly requests: Counter<string>;
  private readonly successes: Counter<string>;
  private readonly inFlight: Gauge<string>;
  /** Reads the pool's counts per origin at scrape time (set by `watchPool`). */
  private poolSource: (() => Record<string, { active: number; idle: number; pending: number }>) | undefined;
  private readonly failures: Counter<string>;
  private readonly duration: Histogram<string>;
  private readonly ttft: Histogram<string>;
  private readonly tokens: Counter<string>;
  private readonly cost: Counter<string>;
  private readonly cacheHits: Counter<string>;
  private readonly cacheMisses: Counter<string>;
  private readonly retries: Counter<string>;
  private readonly fallbacks: Counter<string>;
  private readonly breakerState: Gauge<string>;
  private readonly breakerTransitions: Counter<string>;
  private readonly rateLimitWaits: Counter<string>;
  private readonly rateLimitWaitSeconds: Histogram<string>;
  /** Sums per series not yet handed to prom-client, keyed provider -> model -> operation. */
  private readonly series = new Map<string, Map<string, Map<string, Series>>>();
  private readonly inFlightDeltas = new Map<string, Map<string, InFlight>>();
  private readonly cacheCounts = new Map<string, CacheCount>();

  constructor(options: MetricsOptions = {}) {
    const prom = loadPromClient();
    if (prom === undefined)
      throw new ConfigurationError('Metrics need prom-client: install it (`npm i prom-client`) or turn metrics off', {
        setting: 'telemetry.metrics',
      });
    const registry = (options.registry as Registry | undefined) ?? new prom.Registry();
    this.registry = registry;
    const prefix = options.prefix ?? 'switchboard_';
    // Two switchboards may share a registry: a metric registered already is reused.
    const make = <M>(name: string, create: (config: { name: string; registers: Registry[] }) => M): M => {
      const full = `${prefix}${name}`;
      const existing = registry.getSingleMetric(full);
      return (existing as M | undefined) ?? create({ name: full, registers: [registry] });
    };
    const counter = (name: string, help: string, labelNames: string[]) =>
      make(name, (config) => new prom.Counter({ ...config, help, labelNames }));
    const histogram = (name: string, help: string, labelNames: string[], buckets: number[]) =>
      make(name, (config) => new prom.Histogram({ ...config, help, labelNames, buckets }));

    this.requests = counter('requests_total', 'LLM calls by provider, model, operation and outcome', [
      'provider',
      'model',
      'operation',
      'status',
    ]);
    this.successes = counter('successes_total', 'Successful LLM calls by provider, model and operation', [
      'provider',
      'model',
      'operation',
    ]);
    this.inFlight = make(
      'in_flight_requests',
      (config) =>
        new prom.Gauge({ ...config, help: 'LLM calls started and not yet ended', labelNames: ['provider', 'model'] }),
    );
    const self = this;
    const poolGauge = (name: string, help: string, field: 'active' | 'idle' | 'pending') =>
      make(
        name,
        (config) =>
          new prom.Gauge({
            ...config,
            help,
            labelNames: ['origin'],
            // Read when scraped: the pool's own counters, nothing to keep in step.
            collect(this: Gauge<string>) {
              const source = self.poolSource;
              if (source === undefined) return;
              this.reset();
              for (const [origin, counts] of Object.entries(source())) this.set({ origin }, counts[field]);
            },
          }),
      );
    poolGauge('pool_active_connections', 'HTTP pool: sockets with a request in flight, per origin', 'active');
    poolGauge('pool_idle_connections', 'HTTP pool: open keep-alive sockets with no request, per origin', 'idle');
    poolGauge('pool_pending_requests', 'HTTP pool: requests waiting for a socket, per origin', 'pending');
    this.failures = counter('failures_total', 'Failed LLM calls by error kind', [
      'provider',
      'model',
      'operation',
      'kind',
    ]);
    this.duration = histogram(
      'request_duration_seconds',
      'LLM call latency, seconds (streams: until the last event)',
      ['provider', 'model', 'operation'],
      options.latencyBuckets ?? LATENCY_BUCKETS,
    );
    this.ttft = histogram(
      'time_to_first_token_seconds',
      'Streams: time until the first delta, seconds',
      ['provider', 'model'],
      options.ttftBuckets ?? TTFT_BUCKETS,
    );
    this.tokens = counter('tokens_total', 'Tokens by type (input, output)', ['provider', 'model', 'type']);
    this.cost = counter('cost_usd_total', 'Spend in US dollars (catalog prices)', ['provider', 'model']);
    this.cacheHits = counter('cache_hits_total', 'Calls answered from the response cache', ['operation']);
    this.cacheMisses = counter('cache_misses_total', 'Calls that used the response cache and missed', ['operation']);
    this.retries = counter('retries_total', 'Retried attempts by the error that caused them', [
      'provider',
      'model',
      'kind',
    ]);
    this.fallbacks = counter('fallbacks_total', 'Moves to the next target of a fallback chain', ['from', 'to']);
    this.breakerState = make(
      'breaker_state',
      (config) =>
        new prom.Gauge({
          ...config,
          help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
          labelNames: ['key', 'provider'],
        }),
    );
    this.breakerTransitions = counter('breaker_transitions_total', 'Circuit breaker state changes', ['provider', 'to']);
    this.rateLimitWaits = counter('rate_limit_waits_total', 'Calls the client-side rate limiter held back', [
      'provider',
    ]);
    this.rateLimitWaitSeconds = histogram(
      'rate_limit_wait_seconds',
      'How long held-back calls waited for the rate limiter, seconds',
      ['provider'],
      WAIT_BUCKETS,
    );
    beforeCollect(this.requests, () =>
      this.eachSeries((series) => {
        if (series.requestsSucceeded > 0) this.requests.inc(series.success, series.requestsSucceeded);
        if (series.requestsFailed > 0) this.requests.inc(series.error, series.requestsFailed);
        series.requestsSucceeded = 0;
        series.requestsFailed = 0;
      }),
    );
    beforeCollect(this.successes, () =>
      this.eachSeries((series) => {
        if (series.successes > 0) this.successes.inc(series.base, series.successes);
        series.successes = 0;
      }),
    );
    beforeCollect(this.tokens, () =>
      this.eachSeries((series) => {
        if (series.inputTokens > 0) this.tokens.inc(series.input, series.inputTokens);
        if (series.outputTokens > 0) this.tokens.inc(series.output, series.outputTokens);
        series.inputTokens = 0;
        series.outputTokens = 0;
      }),
    );
    beforeCollect(this.cost, () =>
      this.eachSeries((series) => {
        if (series.costUsd > 0) this.cost.inc(series.pair, series.costUsd);
        series.costUsd = 0;
      }),
    );
    beforeCollect(this.failures, () =>
      this.eachSeries((series) => {
        for (const failure of series.failures.values()) {
          if (failure.count > 0) this.failures.inc(failure.labels, failure.count);
          failure.count = 0;
        }
      }),
    );
    beforeCollect(this.cacheHits, () => {
      for (const counts of this.cacheCounts.values()) {
        if (counts.hits > 0) this.cacheHits.inc(counts.labels, counts.hits);
        counts.hits = 0;
      }
    });
    beforeCollect(this.cacheMisses, () => {
      for (const counts of this.cacheCounts.values()) {
        if (counts.misses > 0) this.cacheMisses.inc(counts.labels, counts.misses);
        counts.misses = 0;
      }
    });
    internals.set(this, {
      inFlightCount: (provider, model) => this.inFlightCount(provider, model),
      beforeRead: (drain) => this.beforeRead(drain),
    });
    beforeCollect(this.inFlight, () => {
      for (const models of this.inFlightDeltas.values())
        for (const entry of models.values()) {
          // Even a zero: a provider and model that had calls shows 0, as it did when counted live.
          this.inFlight.inc(entry.labels, entry.delta);
          entry.delta = 0;
        }
    });
  }

  /** Hands every series to `take` (a counter's flush, which zeroes the fields it added). */
  private eachSeries(take: (series: Series) => void): void {
    for (const models of this.series.values())
      for (const operations of models.values()) for (const series of operations.values()) take(series);
  }

  private seriesOf(provider: string, model: string, operation: string): Series {
    let models = this.series.get(provider);
    if (models === undefined) {
      models = new Map();
      this.series.set(provider, models);
    }
    let operations = models.get(model);
    if (operations === undefined) {
      operations = new Map();
      models.set(model, operations);
    }
    let series = operations.get(operation);
    if (series === undefined) {
      series = newSeries(provider, model, operation, this.duration, this.ttft);
      operations.set(operation, series);
    }
    return series;
  }

  private cacheCountOf(operation: string): CacheCount {
    let counts = this.cacheCounts.get(operation);
    if (counts === undefined) {
      counts = { labels: { operation }, hits: 0, misses: 0 };
      this.cacheCounts.set(operation, counts);
    }
    return counts;
  }

  /**
   * Records one finished call. Requests, successes, failures, cache use, tokens and cost are summed
   * and reach prom-client when scraped; the histograms are observed now, through the series' children.
   */
  observe(call: CallObservation, cacheUsed: boolean): void {
    const series = this.seriesOf(call.provider, call.model, call.operation);
    if (call.ok) {
      series.requestsSucceeded += 1;
      series.successes += 1;
    } else {
      series.requestsFailed += 1;
      const kind = call.errorKind ?? 'unknown';
      let failure = series.failures.get(kind);
      if (failure === undefined) {
        failure = { labels: { ...series.base, kind }, count: 0 };
        series.failures.set(kind, failure);
      }
      failure.count += 1;
    }
    if (cacheUsed) {
      const counts = this.cacheCountOf(call.operation);
      if (call.cached) counts.hits += 1;
      else counts.misses += 1;
    }
    if (call.cached) return;
    series.duration.observe(call.latencyMs / 1000);
    if (call.ttftMs !== undefined) series.ttft.observe(call.ttftMs / 1000);
    if (call.inputTokens > 0) series.inputTokens += call.inputTokens;
    if (call.outputTokens > 0) series.outputTokens += call.outputTokens;
    if (call.costUsd > 0) series.costUsd += call.costUsd;
  }

  /** A call started (1) or ended (-1): the in-flight gauge of its provider and model (applied when scraped). */
  callInFlight(provider: string, model: string, delta: 1 | -1): void {
    this.inFlightCount(provider, model).delta += delta;
  }

  /** See MetricsInternals.inFlightCount. */
  private inFlightCount(provider: string, model: string): InFlightCount {
    let models = this.inFlightDeltas.get(provider);
    if (models === undefined) {
      models = new Map();
      this.inFlightDeltas.set(provider, models);
    }
    let entry = models.get(model);
    if (entry === undefined) {
      entry = { labels: { provider, model }, delta: 0 };
      models.set(model, entry);
    }
    return entry;
  }

  /** See MetricsInternals.beforeRead. Installed after the metrics' own flushes, so it runs first. */
  private beforeRead(drain: () => void): void {
    for (const metric of [
      this.requests,
      this.successes,
      this.inFlight,
      this.failures,
      this.duration,
      this.ttft,
      this.tokens,
      this.cost,
      this.cacheHits,
      this.cacheMisses,
    ])
      beforeCollect(metric, drain);
  }

  /** Where the connection-pool gauges read their counts per origin. */
  watchPool(source: () => Record<string, { active: number; idle: number; pending: number }>): void {
    this.poolSource = source;
  }

  retry(event: RetryEvent): void {
    this.retries.inc({ provider: event.provider, model: event.model, kind: errorType(event.error) });
  }

  fallback(event: FallbackEvent): void {
    this.fallbacks.inc({ from: event.from, to: event.to });
  }

  breaker(event: BreakerEvent): void {
    this.breakerState.set({ key: event.key, provider: event.provider }, BREAKER_STATE[event.to]);
    this.breakerTransitions.inc({ provider: event.provider, to: event.to });
  }

  rateLimitWait(provider: string, waitedMs: number): void {
    if (waitedMs <= 0) return;
    this.rateLimitWaits.inc({ provider });
    this.rateLimitWaitSeconds.observe({ provider }, waitedMs / 1000);
  }

  /** The registry in Prometheus text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

export type { MetricsRegistry } from '../../types/telemetry.js';
