/**
 * The live view the explorer page watches: one answer with everything its Live tab draws (providers'
 * health, breakers and rate-limit headroom; the last hour's telemetry per provider and model; recent
 * errors; budgets) plus a history of samples so the page can chart requests/s, latency and error rate
 * over the last hour from the moment it opens, not only from the moment it started polling.
 *
 * `GET /api/live` answers it once (short polling, static deployments); `GET /api/live/stream` pushes
 * it as Server-Sent Events every `interval` ms, so a browser tab costs one connection, not one request
 * per second. The history is sampled on a timer (`sampleMs`, 10 s by default, bounded to `historyMs`)
 * that only reads the in-process telemetry view: no call is made and nothing leaves the process.
 * Every answer is scrubbed of the upstream keys like the other operations routes.
 */
import type { BudgetStatus, Switchboard, TelemetrySnapshot } from '@switchboard/core';
import { scrubString } from '@switchboard/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderStatusEntry, TelemetryResponse } from '../api-types.js';
import type { GatewayContext, GatewayRoutes } from '../context.js';
import { badParameter, toApiFailure } from '../operations/api-error.js';
import { providerStatuses } from '../operations/provider-status.js';
import { telemetryReport } from '../operations/telemetry-report.js';
import { upstreamSecrets } from '../operations/upstream-secrets.js';

/** Cumulative counters of one provider at one sample. */
export interface LiveCounters {
  requests: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One history sample: cumulative counters since start (the page charts their differences) and the last minute's latency. */
export interface LivePoint extends LiveCounters {
  at: number;
  /** Latency percentiles of the calls of the minute before the sample, ms; null without calls. */
  p50Ms: number | null;
  p95Ms: number | null;
  providers: Record<string, LiveCounters>;
}

/** `GET /api/live` and each event of `GET /api/live/stream`. */
export interface LiveResponse {
  generatedAt: number;
  /** The history's sampling period, ms. */
  sampleMs: number;
  providers: ProviderStatusEntry[];
  /** The last hour's telemetry (since start when the process is younger); null when telemetry is off. */
  telemetry: TelemetryResponse | null;
  budgets: BudgetStatus[];
  /** Samples of the last hour, oldest first, ending with one taken for this answer. */
  history: LivePoint[];
}

export interface LiveRoutesOptions {
  /** History sampling period, ms (default 10 000). */
  sampleMs?: number;
  /** How much history is kept, ms (default one hour). */
  historyMs?: number;
}

/** Default push period of the stream, and its bounds (the `interval` query parameter). */
export const LIVE_DEFAULT_INTERVAL_MS = 2000;
const LIVE_MIN_INTERVAL_MS = 250;
const LIVE_MAX_INTERVAL_MS = 60_000;

/** One sample of the telemetry snapshot. */
function pointOf(snapshot: TelemetrySnapshot): LivePoint {
  const providers: Record<string, LiveCounters> = {};
  for (const stats of snapshot.providers)
    providers[stats.provider] = {
      requests: stats.requests,
      failures: stats.failures,
      inputTokens: stats.inputTokens,
      outputTokens: stats.outputTokens,
      costUsd: stats.costUsd,
    };
  // The last minute's percentiles, over every model: the highest p50/p95 of the models that had calls
  // (a conservative reading; per-model samples are not merged on the server).
  let p50: number | null = null;
  let p95: number | null = null;
  for (const model of snapshot.models) {
    const latency = model.windows['1m']?.latencyMs ?? null;
    if (latency === null) continue;
    p50 = Math.max(p50 ?? 0, latency.p50);
    p95 = Math.max(p95 ?? 0, latency.p95);
  }
  const totals = snapshot.totals;
  return {
    at: snapshot.generatedAt,
    requests: totals.requests,
    failures: totals.failures,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    costUsd: totals.costUsd,
    p50Ms: p50,
    p95Ms: p95,
    providers,
  };
}

/** The samples of the last `historyMs`, taken every `sampleMs` while the gateway runs. */
class LiveHistory {
  private readonly points: LivePoint[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly switchboard: Switchboard,
    readonly sampleMs: number,
    private readonly historyMs: number,
  ) {}

  start(): void {
    if (this.switchboard.telemetry?.view === undefined) return;
    this.timer = setInterval(() => this.record(), this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The kept samples plus one taken now (not kept). */
  withCurrent(snapshot: TelemetrySnapshot): LivePoint[] {
    return [...this.points, pointOf(snapshot)];
  }

  private record(): void {
    const telemetry = this.switchboard.telemetry;
    if (telemetry?.view === undefined) return;
    const point = pointOf(telemetry.snapshot());
    this.points.push(point);
    while (this.points.length > 0 && (this.points[0] as LivePoint).at < point.at - this.historyMs) this.points.shift();
  }
}

/** Builds the live routes; `liveRoutes` is them with the defaults. */
export function createLiveRoutes(options: LiveRoutesOptions = {}): GatewayRoutes {
  const sampleMs = options.sampleMs ?? 10_000;
  const historyMs = options.historyMs ?? 3_600_000;
  return async (app: FastifyInstance, context: GatewayContext) => {
    const { switchboard } = context;
    const history = new LiveHistory(switchboard, sampleMs, historyMs);
    const scrub = (text: string) => scrubString(text, upstreamSecrets(switchboard));
    const streams = new Set<FastifyReply>();
    history.start();

    /** The answer, as scrubbed JSON text. */
    async function liveText(): Promise<string> {
      const telemetry = switchboard.telemetry;
      const snapshot = telemetry?.view === undefined ? undefined : telemetry.snapshot();
      const providers = await providerStatuses(switchboard, scrub);
      const answer: LiveResponse = {
        generatedAt: Date.now(),
        sampleMs,
        providers: providers.data,
        telemetry: snapshot === undefined ? null : telemetryReport(snapshot, { hours: 1 }),
        budgets: snapshot?.budgets ?? [],
        history: snapshot === undefined ? [] : history.withCurrent(snapshot),
      };
      return scrub(JSON.stringify(answer));
    }

    app.addHook('preClose', async () => {
      history.stop();
      // Open streams would otherwise hold the close open until the drain deadline.
      for (const reply of streams) reply.raw.end();
      streams.clear();
    });

    await app.register(async (scope) => {
      scope.setErrorHandler((error, _request, reply) => {
        const failure = toApiFailure(error, upstreamSecrets(switchboard), {});
        return reply.code(failure.status).send(failure.body);
      });

      scope.get('/api/live', async (_request, reply) =>
        reply
          .type('application/json; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(await liveText()),
      );

      scope.get('/api/live/stream', async (request, reply) => {
        const intervalMs = parseInterval(request.query as Record<string, string | string[] | undefined>);
        const first = await liveText();
        // Fastify has set the CORS and request-id headers on the reply; carry them over to the raw stream.
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(reply.getHeaders()))
          if (typeof value === 'string') headers[name] = value;
        reply.hijack();
        reply.raw.writeHead(200, {
          ...headers,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        streams.add(reply);
        reply.raw.write(`retry: ${intervalMs}\nevent: live\ndata: ${first}\n\n`);
        let sending = false;
        const timer = setInterval(() => {
          if (sending) return; // a slow client or status read: skip a beat rather than queue
          sending = true;
          liveText()
            .then((text) => {
              if (!reply.raw.writableEnded) reply.raw.write(`event: live\ndata: ${text}\n\n`);
            })
            .catch(() => reply.raw.end())
            .finally(() => {
              sending = false;
            });
        }, intervalMs);
        request.raw.on('close', () => {
          clearInterval(timer);
          streams.delete(reply);
        });
      });
    });
  };
}

/** The stream's `interval` query parameter (ms), checked. */
function parseInterval(query: Record<string, string | string[] | undefined>): number {
  for (const name of Object.keys(query))
    if (name !== 'interval')
      throw badParameter(name, `Unknown query parameter ${JSON.stringify(name)}; GET /api/live/stream takes interval`);
  const value = query.interval;
  if (value === undefined || value === '') return LIVE_DEFAULT_INTERVAL_MS;
  const parsed = Number(value);
  if (
    Array.isArray(value) ||
    !Number.isInteger(parsed) ||
    parsed < LIVE_MIN_INTERVAL_MS ||
    parsed > LIVE_MAX_INTERVAL_MS
  )
    throw badParameter(
      'interval',
      `Query parameter interval must be an integer number of ms from ${LIVE_MIN_INTERVAL_MS} to ${LIVE_MAX_INTERVAL_MS}, got ${JSON.stringify(value)}`,
    );
  return parsed;
}

/** The live routes with the default sampling (10 s, one hour kept). */
export const liveRoutes: GatewayRoutes = createLiveRoutes();
