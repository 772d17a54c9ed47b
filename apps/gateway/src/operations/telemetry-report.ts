/**
 * `GET /api/telemetry?provider=&model=&hours=`: the switchboard's in-process telemetry view, narrowed
 * to a provider and/or model and to a period. The view keeps history in named windows (`1m`, `5m`,
 * `1h` by default) plus since-start totals, so `hours` picks the figures that cover it: since start
 * when the process (or the last reset) is younger than the period, which is then exact; else a
 * window of exactly that length; else the shortest longer window, or since start, marked inexact.
 */
import type { ModelStats, TelemetrySnapshot, WindowStats } from '@switchboard/core';
import type { TelemetryPeriod, TelemetryResponse } from '../api-types.js';
import { badParameter } from './api-error.js';

/** The parameters `GET /api/telemetry` takes. */
export const TELEMETRY_QUERY_PARAMETERS = ['provider', 'model', 'hours'] as const;

const HOUR_MS = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS };

/** What the query asks for. */
export interface TelemetryQuery {
  provider?: string;
  /** A model id, or `provider/model`. */
  model?: string;
  hours?: number;
}

type QueryValue = string | string[] | undefined;

/** Checks the query of `GET /api/telemetry`. */
export function parseTelemetryQuery(query: Record<string, QueryValue>): TelemetryQuery {
  const parsed: TelemetryQuery = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(TELEMETRY_QUERY_PARAMETERS as readonly string[]).includes(name))
      throw badParameter(
        name,
        `Unknown query parameter ${JSON.stringify(name)}; GET /api/telemetry takes ${TELEMETRY_QUERY_PARAMETERS.join(', ')}`,
      );
    if (Array.isArray(value))
      throw badParameter(name, `Query parameter ${name} is given ${value.length} times; give it once`);
    if (value === undefined || value.trim() === '') continue;
    if (name === 'hours') {
      const hours = Number(value);
      if (!Number.isFinite(hours) || hours <= 0)
        throw badParameter('hours', `Query parameter hours must be a positive number, got ${JSON.stringify(value)}`);
      parsed.hours = hours;
    } else parsed[name as 'provider' | 'model'] = value.trim();
  }
  return parsed;
}

/** A window name's length in ms (`90s`, `5m`, `1h`, `7d`), or undefined for names of another form. */
export function windowLengthMs(name: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(name);
  if (match === null) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** The window whose figures answer `hours` (see the file header). */
export function choosePeriod(
  snapshot: TelemetrySnapshot,
  windowNames: readonly string[],
  hours: number | undefined,
): TelemetryPeriod {
  if (hours === undefined) return { hours: null, window: 'all', exact: true };
  const wanted = hours * HOUR_MS;
  if (snapshot.generatedAt - snapshot.since <= wanted) return { hours, window: 'all', exact: true };
  const windows = windowNames
    .map((name) => ({ name, ms: windowLengthMs(name) }))
    .filter((window): window is { name: string; ms: number } => window.ms !== undefined)
    .sort((a, b) => a.ms - b.ms);
  const exact = windows.find((window) => window.ms === wanted);
  if (exact !== undefined) return { hours, window: exact.name, exact: true };
  const longer = windows.find((window) => window.ms > wanted);
  return { hours, window: longer?.name ?? 'all', exact: false };
}

/** A stats object's figures for the chosen window. */
function statsFor(
  stats: WindowStats & { windows: Record<string, WindowStats> },
  window: string,
): WindowStats | undefined {
  if (window === 'all') {
    const {
      requests,
      failures,
      successRate,
      errorRate,
      latencyMs,
      ttftMs,
      inputTokens,
      outputTokens,
      costUsd,
      cacheHits,
    } = stats;
    return {
      requests,
      failures,
      successRate,
      errorRate,
      latencyMs,
      ttftMs,
      inputTokens,
      outputTokens,
      costUsd,
      cacheHits,
    };
  }
  return stats.windows[window];
}

/** Rates to three decimals, as core's view gives them. */
function roundRate(rate: number): number {
  return Math.round(rate * 1000) / 1000;
}

/** Sums counts over several series; percentiles only when there is one series (they cannot be merged). */
function sumStats(list: readonly WindowStats[]): WindowStats {
  const requests = list.reduce((sum, stats) => sum + stats.requests, 0);
  const failures = list.reduce((sum, stats) => sum + stats.failures, 0);
  const single = list.length === 1 ? list[0] : undefined;
  return {
    requests,
    failures,
    successRate: requests === 0 ? 1 : roundRate((requests - failures) / requests),
    errorRate: requests === 0 ? 0 : roundRate(failures / requests),
    latencyMs: single?.latencyMs ?? null,
    ttftMs: single?.ttftMs ?? null,
    inputTokens: list.reduce((sum, stats) => sum + stats.inputTokens, 0),
    outputTokens: list.reduce((sum, stats) => sum + stats.outputTokens, 0),
    costUsd: list.reduce((sum, stats) => sum + stats.costUsd, 0),
    cacheHits: list.reduce((sum, stats) => sum + stats.cacheHits, 0),
  };
}

/** Whether a model's stats match the `model` filter (an id, or `provider/model`). */
function modelMatches(stats: ModelStats, model: string): boolean {
  return stats.model === model || `${stats.provider}/${stats.model}` === model;
}

/** The history windows a snapshot holds (every series has the same ones). */
function windowNamesOf(snapshot: TelemetrySnapshot): string[] {
  return Object.keys(snapshot.providers[0]?.windows ?? {});
}

/** The report for a query, from a snapshot of the view. */
export function telemetryReport(snapshot: TelemetrySnapshot, query: TelemetryQuery): TelemetryResponse {
  const period = choosePeriod(snapshot, windowNamesOf(snapshot), query.hours);
  const models = snapshot.models.filter(
    (stats) =>
      (query.provider === undefined || stats.provider === query.provider) &&
      (query.model === undefined || modelMatches(stats, query.model)),
  );
  const providerIds = new Set(models.map((stats) => stats.provider));
  const providers = snapshot.providers.filter(
    (stats) =>
      (query.provider === undefined || stats.provider === query.provider) &&
      (query.model === undefined || providerIds.has(stats.provider)),
  );
  const periodStart = period.hours === null ? Number.NEGATIVE_INFINITY : snapshot.generatedAt - period.hours * HOUR_MS;
  const recentErrors = snapshot.recentErrors.filter(
    (error) =>
      error.at >= periodStart &&
      (query.provider === undefined || error.provider === query.provider) &&
      (query.model === undefined || error.model === query.model || `${error.provider}/${error.model}` === query.model),
  );
  // One provider selected without a model filter: its own aggregate has merged percentiles.
  const onlyProvider = query.model === undefined && providers.length === 1 ? providers[0] : undefined;
  const totals =
    onlyProvider !== undefined
      ? (statsFor(onlyProvider, period.window) ?? sumStats([]))
      : sumStats(models.flatMap((stats) => statsFor(stats, period.window) ?? []));
  const scopes = new Set(models.map((stats) => `${stats.provider}/${stats.model}`));
  return {
    generatedAt: snapshot.generatedAt,
    since: snapshot.since,
    period,
    totals,
    providers,
    models,
    recentErrors,
    alerts: snapshot.alerts.filter((alert) => alert.type === 'budget' || scopes.has(alert.scope)),
    insights: query.provider === undefined && query.model === undefined ? snapshot.insights : [],
  };
}
