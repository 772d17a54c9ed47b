/**
 * The in-process telemetry view: what this process's calls did, per provider and model, without any
 * exporter. Success rates, latency percentiles (and time to first token), tokens, cost and cache hits
 * since start and over history windows (last minute, 5 minutes, hour by default), a bounded ring of
 * recent errors, and insights and alerts: error rate or p95 latency above a threshold, a budget nearly
 * spent. Export it as JSON (`JSON.stringify(view)`, or `toJSON()` for the plain object) or CSV.
 *
 * History lives in fixed time buckets (10 s by default) per model: memory is bounded by the longest
 * window, and each bucket keeps at most `samplesPerBucket` latencies (a uniform reservoir).
 */
import type { BudgetStatus } from '../../resilience/state/budget.js';

/** One finished call, as the telemetry middleware reports it. */
export interface CallObservation {
  operation: 'chat' | 'stream' | 'embed';
  provider: string;
  model: string;
  ok: boolean;
  /** Error kind (`rate-limit`, `timeout`, ...) when the call failed. */
  errorKind?: string;
  errorMessage?: string;
  status?: number;
  latencyMs: number;
  /** Streams: time until the first delta. */
  ttftMs?: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Answered from the response cache. */
  cached: boolean;
  /** Attempts made (retries and fallbacks included). */
  attempts: number;
  /** Clock time the call ended (ms since epoch). */
  at: number;
}

export interface TelemetryThresholds {
  /** Alert when a model's error rate over `window` is above this (default 0.2). */
  errorRate?: number;
  /** Alert when a model's p95 latency over `window` is above this many ms (default 10 000). */
  latencyP95Ms?: number;
  /** Alert when a budget's tokens or cost used reach this fraction of its limit (default 0.9). */
  budgetUsed?: number;
  /** The window alerts look at (default `'5m'`). */
  window?: string;
  /** Fewest calls in the window before rate and latency alerts fire (default 5). */
  minRequests?: number;
}

export interface TelemetryViewOptions {
  /** Clock (ms since epoch); tests inject one. */
  now?: () => number;
  /** History windows by name (default `{ '1m': 60 000, '5m': 300 000, '1h': 3 600 000 }`). */
  windows?: Readonly<Record<string, number>>;
  /** Bucket width in ms (default 10 000). */
  bucketMs?: number;
  /** Latency samples kept per bucket (default 256) and for the since-start percentiles (default 1 000). */
  samplesPerBucket?: number;
  recentSamples?: number;
  /** Recent errors kept (default 50). */
  maxErrors?: number;
  thresholds?: TelemetryThresholds;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export interface WindowStats {
  requests: number;
  failures: number;
  /** 1 when there were no calls. */
  successRate: number;
  errorRate: number;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
}

export interface ModelStats extends WindowStats {
  provider: string;
  model: string;
  successes: number;
  /** Failures by error kind. */
  failuresByKind: Record<string, number>;
  lastError?: RecentError;
  windows: Record<string, WindowStats>;
}

export interface ProviderStats extends WindowStats {
  provider: string;
  successes: number;
  windows: Record<string, WindowStats>;
}

export interface RecentError {
  at: number;
  operation: string;
  provider: string;
  model: string;
  kind: string;
  message: string;
  status?: number;
}

export interface TelemetryAlert {
  level: 'warning' | 'critical';
  type: 'error-rate' | 'latency' | 'budget';
  /** `provider/model`, or the budget's name. */
  scope: string;
  message: string;
  value: number;
  threshold: number;
  window?: string;
}

export interface TelemetrySnapshot {
  generatedAt: number;
  since: number;
  totals: WindowStats & { successes: number };
  providers: ProviderStats[];
  models: ModelStats[];
  recentErrors: RecentError[];
  budgets: BudgetStatus[];
  insights: string[];
  alerts: TelemetryAlert[];
}

interface Bucket {
  index: number;
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
  latencies: number[];
  latencySeen: number;
  ttfts: number[];
  ttftSeen: number;
}

interface Series {
  provider: string;
  model: string;
  requests: number;
  successes: number;
  failures: number;
  failuresByKind: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
  recentLatencies: Ring;
  recentTtfts: Ring;
  buckets: Map<number, Bucket>;
  lastError?: RecentError;
}

/** A fixed-size ring of numbers. */
class Ring {
  private readonly values: number[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  push(value: number): void {
    if (this.values.length < this.size) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }
  all(): number[] {
    return [...this.values];
  }
}

const DEFAULT_WINDOWS: Readonly<Record<string, number>> = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };

/** Nearest-rank percentiles (and the mean) of samples; null when there are none. */
export function percentiles(samples: readonly number[]): Percentiles | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { p50: round(rank(0.5)), p95: round(rank(0.95)), p99: round(rank(0.99)), mean: round(mean) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Keeps a uniform sample of at most `cap` values (reservoir sampling with a deterministic step). */
function sample(into: number[], seen: number, value: number, cap: number): void {
  if (into.length < cap) into.push(value);
  else {
    // Deterministic replacement (no Math.random): spreads later values over the reservoir.
    const slot = (seen * 2654435761) % (seen + 1);
    if (slot < cap) into[slot] = value;
  }
}

function emptyWindow(): WindowStats {
  return {
    requests: 0,
    failures: 0,
    successRate: 1,
    errorRate: 0,
    latencyMs: null,
    ttftMs: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    cacheHits: 0,
  };
}

/** Folds buckets (or anything bucket-shaped) into window stats. */
function fold(buckets: readonly Bucket[]): WindowStats {
  const out = emptyWindow();
  const latencies: number[] = [];
  const ttfts: number[] = [];
  for (const bucket of buckets) {
    out.requests += bucket.requests;
    out.failures += bucket.failures;
    out.inputTokens += bucket.inputTokens;
    out.outputTokens += bucket.outputTokens;
    out.costUsd += bucket.costUsd;
    out.cacheHits += bucket.cacheHits;
    latencies.push(...bucket.latencies);
    ttfts.push(...bucket.ttfts);
  }
  return finish(out, latencies, ttfts);
}

function finish(out: WindowStats, latencies: number[], ttfts: number[]): WindowStats {
  out.errorRate = out.requests === 0 ? 0 : round(out.failures / out.requests);
  out.successRate = out.requests === 0 ? 1 : round(1 - out.failures / out.requests);
  out.latencyMs = percentiles(latencies);
  out.ttftMs = percentiles(ttfts);
  out.costUsd = Math.round(out.costUsd * 1e10) / 1e10;
  return out;
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The in-process telemetry view (`sb.telemetry`). */
export class TelemetryView {
  private readonly now: () => number;
  private readonly windows: Readonly<Record<string, number>>;
  private readonly bucketMs: number;
  private readonly retentionBuckets: number;
  private readonly samplesPerBucket: number;
  private readonly recentSamples: number;
  private readonly errorList: RecentError[] = [];
  private readonly maxErrors: number;
  private readonly thresholds: Required<TelemetryThresholds>;
  /** Every provider/model's series, in the order first seen (snapshots and sums read them in this order). */
  private readonly series: Series[] = [];
  /** The same series by provider, then model: found per call without building a key string. */
  private readonly seriesByProvider = new Map<string, Map<string, Series>>();
  private readonly since: number;
  private budgets: BudgetStatus[] = [];
  private budgetSource: (() => Promise<BudgetStatus[]>) | undefined;

  constructor(options: TelemetryViewOptions = {}) {
    this.now = options.now ?? Date.now;
    this.windows = options.windows ?? DEFAULT_WINDOWS;
    this.bucketMs = options.bucketMs ?? 10_000;
    const longest = Math.max(...Object.values(this.windows), this.bucketMs);
    this.retentionBuckets = Math.ceil(longest / this.bucketMs) + 1;
    this.samplesPerBucket = options.samplesPerBucket ?? 256;
    this.recentSamples = options.recentSamples ?? 1000;
    this.maxErrors = options.maxErrors ?? 50;
    this.thresholds = {
      errorRate: options.thresholds?.errorRate ?? 0.2,
      latencyP95Ms: options.thresholds?.latencyP95Ms ?? 10_000,
      budgetUsed: options.thresholds?.budgetUsed ?? 0.9,
      window: options.thresholds?.window ?? ('5m' in this.windows ? '5m' : (Object.keys(this.windows)[0] ?? '5m')),
      minRequests: options.thresholds?.minRequests ?? 5,
    };
    this.since = this.now();
  }

  /** Where budget statuses come from (the switchboard's budget tracker). */
  setBudgetSource(source: (() => Promise<BudgetStatus[]>) | undefined): void {
    this.budgetSource = source;
  }

  /** Reads the budgets' usage now (snapshots show the last values read; the switchboard refreshes after calls). */
  async refresh(): Promise<void> {
    if (this.budgetSource !== undefined) this.budgets = await this.budgetSource();
  }

  /** Records one finished call. */
  record(observation: CallObservation): void {
    let models = this.seriesByProvider.get(observation.provider);
    if (models === undefined) {
      models = new Map();
      this.seriesByProvider.set(observation.provider, models);
    }
    let series = models.get(observation.model);
    if (series === undefined) {
      series = {
        provider: observation.provider,
        model: observation.model,
        requests: 0,
        successes: 0,
        failures: 0,
        failuresByKind: {},
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        cacheHits: 0,
        recentLatencies: new Ring(this.recentSamples),
        recentTtfts: new Ring(this.recentSamples),
        buckets: new Map(),
      };
      models.set(observation.model, series);
      this.series.push(series);
    }
    series.requests += 1;
    series.inputTokens += observation.inputTokens;
    series.outputTokens += observation.outputTokens;
    series.costUsd += observation.costUsd;
    if (observation.cached) series.cacheHits += 1;
    series.recentLatencies.push(observation.latencyMs);
    if (observation.ttftMs !== undefined) series.recentTtfts.push(observation.ttftMs);
    if (observation.ok) series.successes += 1;
    else {
      series.failures += 1;
      const kind = observation.errorKind ?? 'unknown';
      series.failuresByKind[kind] = (series.failuresByKind[kind] ?? 0) + 1;
      const error: RecentError = {
        at: observation.at,
        operation: observation.operation,
        provider: observation.provider,
        model: observation.model,
        kind,
        message: observation.errorMessage ?? '',
      };
      if (observation.status !== undefined) error.status = observation.status;
      series.lastError = error;
      this.errorList.push(error);
      if (this.errorList.length > this.maxErrors) this.errorList.splice(0, this.errorList.length - this.maxErrors);
    }

    const index = Math.floor(observation.at / this.bucketMs);
    let bucket = series.buckets.get(index);
    if (bucket === undefined) {
      bucket = {
        index,
        requests: 0,
        failures: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        cacheHits: 0,
        latencies: [],
        latencySeen: 0,
        ttfts: [],
        ttftSeen: 0,
      };
      series.buckets.set(index, bucket);
      this.prune(series, index);
    }
    bucket.requests += 1;
    if (!observation.ok) bucket.failures += 1;
    bucket.inputTokens += observation.inputTokens;
    bucket.outputTokens += observation.outputTokens;
    bucket.costUsd += observation.costUsd;
    if (observation.cached) bucket.cacheHits += 1;
    sample(bucket.latencies, bucket.latencySeen++, observation.latencyMs, this.samplesPerBucket);
    if (observation.ttftMs !== undefined)
      sample(bucket.ttfts, bucket.ttftSeen++, observation.ttftMs, this.samplesPerBucket);
  }

  private prune(series: Series, current: number): void {
    for (const index of series.buckets.keys())
      if (index <= current - this.retentionBuckets) series.buckets.delete(index);
  }

  private windowOf(buckets: Iterable<Bucket>, windowMs: number, now: number): Bucket[] {
    // Buckets that overlap (now - windowMs, now]: the oldest one may be partly outside.
    const first = Math.floor((now - windowMs) / this.bucketMs) + 1;
    const last = Math.floor(now / this.bucketMs);
    const out: Bucket[] = [];
    for (const bucket of buckets) if (bucket.index >= first && bucket.index <= last) out.push(bucket);
    return out;
  }

  /** Everything the view knows, computed now. */
  snapshot(): TelemetrySnapshot {
    const now = this.now();
    const models: ModelStats[] = [];
    const byProvider = new Map<string, Series[]>();
    for (const series of this.series) {
      const total = finish(
        {
          ...emptyWindow(),
          requests: series.requests,
          failures: series.failures,
          inputTokens: series.inputTokens,
          outputTokens: series.outputTokens,
          costUsd: series.costUsd,
          cacheHits: series.cacheHits,
        },
        series.recentLatencies.all(),
        series.recentTtfts.all(),
      );
      const windows: Record<string, WindowStats> = {};
      for (const [name, ms] of Object.entries(this.windows))
        windows[name] = fold(this.windowOf(series.buckets.values(), ms, now));
      const stats: ModelStats = {
        provider: series.provider,
        model: series.model,
        ...total,
        successes: series.successes,
        failuresByKind: { ...series.failuresByKind },
        windows,
      };
      if (series.lastError !== undefined) stats.lastError = { ...series.lastError };
      models.push(stats);
      const list = byProvider.get(series.provider) ?? [];
      list.push(series);
      byProvider.set(series.provider, list);
    }
    models.sort((a, b) =>
      a.provider === b.provider ? a.model.localeCompare(b.model) : a.provider.localeCompare(b.provider),
    );

    const aggregate = (list: Series[]): WindowStats & { successes: number; windows: Record<string, WindowStats> } => {
      const latencies = list.flatMap((series) => series.recentLatencies.all());
      const ttfts = list.flatMap((series) => series.recentTtfts.all());
      const total = finish(
        {
          ...emptyWindow(),
          requests: list.reduce((sum, series) => sum + series.requests, 0),
          failures: list.reduce((sum, series) => sum + series.failures, 0),
          inputTokens: list.reduce((sum, series) => sum + series.inputTokens, 0),
          outputTokens: list.reduce((sum, series) => sum + series.outputTokens, 0),
          costUsd: list.reduce((sum, series) => sum + series.costUsd, 0),
          cacheHits: list.reduce((sum, series) => sum + series.cacheHits, 0),
        },
        latencies,
        ttfts,
      );
      const windows: Record<string, WindowStats> = {};
      for (const [name, ms] of Object.entries(this.windows))
        windows[name] = fold(list.flatMap((series) => this.windowOf(series.buckets.values(), ms, now)));
      return { ...total, successes: list.reduce((sum, series) => sum + series.successes, 0), windows };
    };
    const providers: ProviderStats[] = [...byProvider.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([provider, list]) => ({ provider, ...aggregate(list) }));
    const { windows: _windows, ...totals } = aggregate(this.series);

    const alerts = this.alerts(models);
    return {
      generatedAt: now,
      since: this.since,
      totals,
      providers,
      models,
      recentErrors: this.errorList.map((error) => ({ ...error })).reverse(),
      budgets: this.budgets.map((budget) => ({ ...budget })),
      insights: this.insights(models, totals, alerts),
      alerts,
    };
  }

  private alerts(models: readonly ModelStats[]): TelemetryAlert[] {
    const { errorRate, latencyP95Ms, budgetUsed, window, minRequests } = this.thresholds;
    const alerts: TelemetryAlert[] = [];
    for (const model of models) {
      const stats = model.windows[window];
      if (stats === undefined || stats.requests < minRequests) continue;
      const scope = `${model.provider}/${model.model}`;
      if (stats.errorRate > errorRate)
        alerts.push({
          level: stats.errorRate >= Math.min(1, errorRate * 2.5) ? 'critical' : 'warning',
          type: 'error-rate',
          scope,
          message: `${scope}: ${Math.round(stats.errorRate * 100)}% of calls failed in the last ${window} (${stats.failures} of ${stats.requests}), above ${Math.round(errorRate * 100)}%`,
          value: stats.errorRate,
          threshold: errorRate,
          window,
        });
      const p95 = stats.latencyMs?.p95;
      if (p95 !== undefined && p95 > latencyP95Ms)
        alerts.push({
          level: p95 >= latencyP95Ms * 2 ? 'critical' : 'warning',
          type: 'latency',
          scope,
          message: `${scope}: p95 latency ${Math.round(p95)} ms in the last ${window}, above ${latencyP95Ms} ms`,
          value: p95,
          threshold: latencyP95Ms,
          window,
        });
    }
    for (const budget of this.budgets) {
      const parts: [string, number, number][] = [];
      if (budget.tokens !== undefined) parts.push(['tokens', budget.tokens.used, budget.tokens.limit]);
      if (budget.cost !== undefined) parts.push(['cost', budget.cost.usedUsd, budget.cost.limitUsd]);
      for (const [what, used, limit] of parts) {
        if (limit <= 0) continue;
        const fraction = used / limit;
        if (fraction < budgetUsed) continue;
        const shown = what === 'cost' ? `$${round(used)} of $${limit}` : `${used} of ${limit} tokens`;
        alerts.push({
          level: fraction >= 1 ? 'critical' : 'warning',
          type: 'budget',
          scope: `${budget.budget} (${budget.period})`,
          message: `Budget ${budget.budget} (${budget.period}) ${fraction >= 1 ? 'spent' : 'nearly spent'}: ${shown} (${Math.round(fraction * 100)}%)`,
          value: round(fraction),
          threshold: budgetUsed,
        });
      }
    }
    return alerts;
  }

  private insights(
    models: readonly ModelStats[],
    totals: WindowStats & { successes: number },
    alerts: readonly TelemetryAlert[],
  ): string[] {
    const out: string[] = [];
    if (totals.requests === 0) return ['No calls yet.'];
    out.push(
      `${totals.requests} calls, ${Math.round(totals.successRate * 1000) / 10}% successful, $${round(totals.costUsd)} spent, ${totals.inputTokens} input and ${totals.outputTokens} output tokens.`,
    );
    const timed = models.filter((model) => model.latencyMs !== null && model.requests - model.cacheHits > 0);
    if (timed.length > 1) {
      const slowest = timed.reduce((a, b) => ((a.latencyMs?.p95 ?? 0) >= (b.latencyMs?.p95 ?? 0) ? a : b));
      const fastest = timed.reduce((a, b) => ((a.latencyMs?.p95 ?? 0) <= (b.latencyMs?.p95 ?? 0) ? a : b));
      out.push(
        `Slowest: ${slowest.provider}/${slowest.model} (p95 ${Math.round(slowest.latencyMs?.p95 ?? 0)} ms); fastest: ${fastest.provider}/${fastest.model} (p95 ${Math.round(fastest.latencyMs?.p95 ?? 0)} ms).`,
      );
    }
    const failing = models.filter((model) => model.failures > 0);
    if (failing.length > 0) {
      const worst = failing.reduce((a, b) => (a.errorRate >= b.errorRate ? a : b));
      const kinds = Object.entries(worst.failuresByKind)
        .sort((a, b) => b[1] - a[1])
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ');
      out.push(`Most errors: ${worst.provider}/${worst.model} (${Math.round(worst.errorRate * 100)}%: ${kinds}).`);
    }
    const priced = models.filter((model) => model.costUsd > 0);
    if (priced.length > 0) {
      const top = priced.reduce((a, b) => (a.costUsd >= b.costUsd ? a : b));
      out.push(
        `Largest spend: ${top.provider}/${top.model} ($${round(top.costUsd)}, ${Math.round((top.costUsd / totals.costUsd) * 100)}% of the total).`,
      );
    }
    if (totals.cacheHits > 0)
      out.push(
        `Cache answered ${totals.cacheHits} calls (${Math.round((totals.cacheHits / totals.requests) * 100)}%).`,
      );
    for (const alert of alerts) out.push(`Alert: ${alert.message}.`);
    return out;
  }

  /** The snapshot as a plain object, so `JSON.stringify(view)` exports it. */
  toJSON(): TelemetrySnapshot {
    return this.snapshot();
  }

  /**
   * One row per provider/model and window (`all` = since start, then each history window): requests,
   * failures, success rate, latency and TTFT percentiles, tokens, cost and cache hits.
   */
  toCSV(): string {
    const snapshot = this.snapshot();
    const header = [
      'provider',
      'model',
      'window',
      'requests',
      'failures',
      'success_rate',
      'latency_p50_ms',
      'latency_p95_ms',
      'latency_p99_ms',
      'ttft_p50_ms',
      'ttft_p95_ms',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'cache_hits',
    ];
    const rows = [header.join(',')];
    const row = (provider: string, model: string, window: string, stats: WindowStats) =>
      [
        provider,
        model,
        window,
        stats.requests,
        stats.failures,
        stats.successRate,
        stats.latencyMs?.p50,
        stats.latencyMs?.p95,
        stats.latencyMs?.p99,
        stats.ttftMs?.p50,
        stats.ttftMs?.p95,
        stats.inputTokens,
        stats.outputTokens,
        stats.costUsd,
        stats.cacheHits,
      ]
        .map(csvCell)
        .join(',');
    for (const model of snapshot.models) {
      rows.push(row(model.provider, model.model, 'all', model));
      for (const [name, stats] of Object.entries(model.windows))
        rows.push(row(model.provider, model.model, name, stats));
    }
    return `${rows.join('\n')}\n`;
  }

  /** Forgets everything recorded. */
  reset(): void {
    this.series.length = 0;
    this.seriesByProvider.clear();
    this.errorList.length = 0;
  }
}
