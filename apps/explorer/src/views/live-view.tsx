/**
 * The Live tab: what the gateway is doing now. Providers with their health, breaker state and
 * rate-limit headroom; requests/s, p50/p95 latency and error rate over the last hour as charts;
 * tokens and cost per provider and model; recent errors with their kind; budgets and their use.
 * It follows the gateway's `/api/live/stream` (Server-Sent Events, one connection); when the stream
 * cannot be opened (a proxy that buffers, an old gateway) it falls back to polling `/api/live`.
 */
import type { LivePoint, LiveResponse } from '@switchboard/gateway';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { liveSnapshot, liveStreamURL } from '../api.js';
import { Chart, type ChartSeries } from '../chart.js';
import { formatMoney, formatMs, formatNumber, formatPercent, formatTime, formatTokens } from '../format.js';
import { ScrollRegion } from '../scroll-region.js';
import { mergePoints, rates } from './live-series.js';

/** How often the gateway pushes (and the fallback polls), ms. */
const LIVE_INTERVAL_MS = 1000;
const SERIES_COLORS = ['--series-1', '--series-2', '--series-3', '--series-4', '--series-5'];

/** Follows the live stream; returns the latest answer, the points received and the connection state. */
function useLive(): { live: LiveResponse | undefined; received: LivePoint[]; mode: string; error: string | undefined } {
  const [live, setLive] = useState<LiveResponse | undefined>(undefined);
  const [received, setReceived] = useState<LivePoint[]>([]);
  const [mode, setMode] = useState('connecting');
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let poller: ReturnType<typeof setInterval> | undefined;
    const accept = (answer: LiveResponse) => {
      if (stopped) return;
      setLive(answer);
      setError(undefined);
      const current = answer.history[answer.history.length - 1];
      if (current !== undefined) setReceived((points) => [...points.slice(-3599), current]);
    };
    const poll = () => {
      setMode('polling');
      const tick = () => liveSnapshot().then(accept, (failure: unknown) => setError(String(failure)));
      tick();
      poller = setInterval(tick, LIVE_INTERVAL_MS * 2);
    };
    let source: EventSource | undefined;
    if (typeof EventSource === 'undefined') poll();
    else {
      source = new EventSource(liveStreamURL(LIVE_INTERVAL_MS));
      source.addEventListener('live', (event) => {
        setMode('streaming');
        accept(JSON.parse((event as MessageEvent<string>).data) as LiveResponse);
      });
      source.onerror = () => {
        // A stream that never opened, or that the gateway closed for good: poll instead.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          source = undefined;
          poll();
        }
      };
    }
    return () => {
      stopped = true;
      source?.close();
      clearInterval(poller);
    };
  }, []);
  return { live, received, mode, error };
}

function Headroom(props: { remaining: number | undefined; limit: number | undefined; label: string }) {
  if (props.limit === undefined || props.remaining === undefined) return <span class="muted">no limit</span>;
  return (
    <span class="headroom">
      <meter
        min={0}
        max={props.limit}
        value={props.remaining}
        low={props.limit * 0.2}
        optimum={props.limit}
        aria-label={props.label}
      />{' '}
      {formatNumber(props.remaining)} / {formatNumber(props.limit)}
    </span>
  );
}

export function LiveView() {
  const { live, received, mode, error } = useLive();
  const points = useMemo(
    () => mergePoints(live?.history.slice(0, -1) ?? [], received, live?.generatedAt ?? Date.now()),
    [live, received],
  );
  const series = useMemo(() => rates(points), [points]);
  const providerNames = Object.keys(series.byProvider);
  const requestSeries: ChartSeries[] = useMemo(
    () => [
      { label: 'all providers', colorVariable: '--series-1', values: series.requestsPerSecond },
      ...providerNames.map((provider, index) => ({
        label: provider,
        colorVariable: SERIES_COLORS[(index + 1) % SERIES_COLORS.length] as string,
        values: series.byProvider[provider] ?? [],
      })),
    ],
    [series],
  );
  const latencySeries: ChartSeries[] = useMemo(
    () => [
      { label: 'p50', colorVariable: '--series-1', values: series.p50Ms },
      { label: 'p95', colorVariable: '--series-3', values: series.p95Ms },
    ],
    [series],
  );
  const errorSeries: ChartSeries[] = useMemo(
    () => [
      {
        label: 'error rate',
        colorVariable: '--series-4',
        values: series.errorRate.map((rate) => (rate === null ? null : rate * 100)),
      },
    ],
    [series],
  );
  const telemetry = live?.telemetry ?? null;
  const totals = telemetry?.totals;
  const lastRate = series.requestsPerSecond[series.requestsPerSecond.length - 1] ?? null;
  const maxCost = Math.max(0, ...(telemetry?.models ?? []).map((model) => model.costUsd));
  const maxTokens = Math.max(0, ...(telemetry?.models ?? []).map((model) => model.inputTokens + model.outputTokens));

  return (
    <section aria-labelledby="live-title">
      <h1 id="live-title">Live</h1>
      <p class="muted small" aria-live="off">
        {mode === 'streaming'
          ? 'Streaming from the gateway'
          : mode === 'polling'
            ? 'Polling the gateway'
            : 'Connecting…'}
        {live !== undefined && ` · updated ${formatTime(live.generatedAt)}`}
        {telemetry !== null && telemetry.period.window === 'all' ? ' · since the gateway started' : ' · last hour'}
      </p>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {live !== undefined && telemetry === null && <p>Telemetry is off in this gateway’s configuration.</p>}
      {totals !== undefined && (
        <dl class="stats" id="live-totals">
          <div>
            <dt>Requests</dt>
            <dd id="total-requests">{formatNumber(totals.requests)}</dd>
          </div>
          <div>
            <dt>Requests/s</dt>
            <dd>{lastRate === null ? '—' : formatNumber(lastRate)}</dd>
          </div>
          <div>
            <dt>Error rate</dt>
            <dd id="total-error-rate">{formatPercent(totals.errorRate)}</dd>
          </div>
          <div>
            <dt>p50 / p95</dt>
            <dd>
              {formatMs(points[points.length - 1]?.p50Ms)} / {formatMs(points[points.length - 1]?.p95Ms)}
            </dd>
          </div>
          <div>
            <dt>Tokens in / out</dt>
            <dd>
              {formatTokens(totals.inputTokens)} / {formatTokens(totals.outputTokens)}
            </dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{formatMoney(totals.costUsd)}</dd>
          </div>
        </dl>
      )}
      <div class="charts">
        <div>
          <h2>Requests per second</h2>
          <Chart
            label="Requests per second over the last hour, all providers and each provider"
            x={series.x}
            series={requestSeries}
            time
            yLabel="req/s"
            height={180}
          />
        </div>
        <div>
          <h2>Latency</h2>
          <Chart
            label="p50 and p95 latency in milliseconds over the last hour"
            x={series.x}
            series={latencySeries}
            time
            yLabel="ms"
            height={180}
          />
        </div>
        <div>
          <h2>Error rate</h2>
          <Chart
            label="Error rate in percent over the last hour"
            x={series.x}
            series={errorSeries}
            time
            yLabel="%"
            height={180}
          />
        </div>
      </div>

      <h2>Providers</h2>
      <ScrollRegion label="Providers">
        <table class="data" id="live-providers">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Health</th>
              <th scope="col">Breaker</th>
              <th scope="col">Requests headroom</th>
              <th scope="col">Tokens headroom</th>
              <th scope="col" class="num">
                Requests
              </th>
              <th scope="col" class="num">
                Error rate
              </th>
              <th scope="col" class="num">
                p50 / p95
              </th>
              <th scope="col" class="num">
                Tokens
              </th>
              <th scope="col" class="num">
                Cost
              </th>
            </tr>
          </thead>
          <tbody>
            {(live?.providers ?? []).map((provider) => {
              const stats = telemetry?.providers.find((entry) => entry.provider === provider.id);
              const breakerState = provider.breaker.state;
              return (
                <tr key={provider.id}>
                  <th scope="row">
                    {provider.name}
                    <div class="muted small">
                      {provider.id}
                      {provider.configured ? '' : ' · not configured'}
                    </div>
                  </th>
                  <td>
                    {provider.health === null ? (
                      <span class="badge">not checked</span>
                    ) : provider.health.healthy ? (
                      <span class="badge ok">healthy</span>
                    ) : (
                      <span class="badge bad" title={provider.health.error}>
                        unhealthy
                      </span>
                    )}
                  </td>
                  <td>
                    <span
                      class={`badge ${breakerState === 'closed' ? 'ok' : breakerState === 'open' ? 'bad' : 'warn'}`}
                    >
                      {breakerState}
                    </span>
                    {provider.breaker.failures > 0 && <span class="small"> {provider.breaker.failures} failures</span>}
                  </td>
                  <td>
                    <Headroom
                      remaining={provider.rateLimit.requests.remaining}
                      limit={provider.rateLimit.requests.limit}
                      label={`Requests headroom of ${provider.id}`}
                    />
                  </td>
                  <td>
                    <Headroom
                      remaining={provider.rateLimit.tokens.remaining}
                      limit={provider.rateLimit.tokens.limit}
                      label={`Tokens headroom of ${provider.id}`}
                    />
                  </td>
                  <td class="num">{formatNumber(stats?.requests ?? 0)}</td>
                  <td class="num">{formatPercent(stats?.errorRate ?? 0)}</td>
                  <td class="num">
                    {formatMs(stats?.latencyMs?.p50)} / {formatMs(stats?.latencyMs?.p95)}
                  </td>
                  <td class="num">{formatTokens((stats?.inputTokens ?? 0) + (stats?.outputTokens ?? 0))}</td>
                  <td class="num">{formatMoney(stats?.costUsd ?? 0)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>

      <h2>Models</h2>
      {(telemetry?.models ?? []).length === 0 ? (
        <p class="muted">No calls yet.</p>
      ) : (
        <ScrollRegion label="Models in use">
          <table class="data" id="live-models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" class="num">
                  Requests
                </th>
                <th scope="col" class="num">
                  Error rate
                </th>
                <th scope="col" class="num">
                  p50 / p95
                </th>
                <th scope="col">Tokens</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {(telemetry?.models ?? []).map((model) => {
                const tokens = model.inputTokens + model.outputTokens;
                return (
                  <tr key={`${model.provider}/${model.model}`}>
                    <th scope="row">
                      {model.provider}/{model.model}
                    </th>
                    <td class="num">{formatNumber(model.requests)}</td>
                    <td class="num">{formatPercent(model.errorRate)}</td>
                    <td class="num">
                      {formatMs(model.latencyMs?.p50)} / {formatMs(model.latencyMs?.p95)}
                    </td>
                    <td>
                      <span
                        class="bar"
                        style={{ width: `${maxTokens === 0 ? 0 : (tokens / maxTokens) * 100}%` }}
                        aria-hidden="true"
                      />
                      {formatTokens(tokens)}
                    </td>
                    <td>
                      <span
                        class="bar cost"
                        style={{ width: `${maxCost === 0 ? 0 : (model.costUsd / maxCost) * 100}%` }}
                        aria-hidden="true"
                      />
                      {formatMoney(model.costUsd)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}

      <h2>Recent errors</h2>
      {(telemetry?.recentErrors ?? []).length === 0 ? (
        <p class="muted">No errors.</p>
      ) : (
        <ScrollRegion label="Recent errors">
          <table class="data" id="live-errors">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Model</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {[...(telemetry?.recentErrors ?? [])].reverse().map((failure, index) => (
                <tr key={`${failure.at}-${index}`}>
                  <td>{formatTime(failure.at)}</td>
                  <td>
                    {failure.provider}/{failure.model}
                  </td>
                  <td>
                    <span class="badge bad">{failure.kind}</span>
                  </td>
                  <td>{failure.status ?? '—'}</td>
                  <td class="small message">{failure.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}

      {(telemetry?.alerts ?? []).length > 0 && (
        <>
          <h2>Alerts</h2>
          <ul class="alerts">
            {(telemetry?.alerts ?? []).map((alert) => (
              <li key={`${alert.type}-${alert.scope}`} class={`badge ${alert.level === 'critical' ? 'bad' : 'warn'}`}>
                {alert.message}
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Budgets</h2>
      {(live?.budgets ?? []).length === 0 ? (
        <p class="muted">No budgets configured.</p>
      ) : (
        <ul class="budgets">
          {(live?.budgets ?? []).map((budget) => (
            <li key={`${budget.budget}-${budget.period}`} class="card">
              <strong>{budget.budget}</strong> <span class="muted">({budget.period})</span>
              {budget.cost !== undefined && (
                <div>
                  <meter
                    min={0}
                    max={budget.cost.limitUsd}
                    value={budget.cost.usedUsd}
                    high={budget.cost.limitUsd * 0.9}
                    aria-label={`Cost used of budget ${budget.budget}`}
                  />{' '}
                  {formatMoney(budget.cost.usedUsd)} of {formatMoney(budget.cost.limitUsd)}
                </div>
              )}
              {budget.tokens !== undefined && (
                <div>
                  <meter
                    min={0}
                    max={budget.tokens.limit}
                    value={budget.tokens.used}
                    high={budget.tokens.limit * 0.9}
                    aria-label={`Tokens used of budget ${budget.budget}`}
                  />{' '}
                  {formatTokens(budget.tokens.used)} of {formatTokens(budget.tokens.limit)} tokens
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {(telemetry?.insights ?? []).length > 0 && (
        <>
          <h2>Insights</h2>
          <ul>
            {(telemetry?.insights ?? []).map((insight) => (
              <li key={insight}>{insight}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
