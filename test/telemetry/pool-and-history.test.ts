/**
 * The success counter, the in-flight gauge, the connection-pool gauges per origin and
 * `sb.telemetry.history()` through `createSwitchboard` against loopback servers (real sockets, so the
 * pool counts are undici's own).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.js';
import { faultSwitchboard, HI, recordingClock } from '../fault/helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}

/** One sample's value from Prometheus text, by name and exact label set. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics: successes, in flight, connection pool', () => {
  it('counts successes, shows calls in flight while they run, and the pool per origin', async () => {
    const server = await start([{ type: 'ok', text: 'slow', delayMs: 300 }]);
    const origin = new URL(server.baseURL).origin;
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      retry: false,
      telemetry: { tracer: false, metrics: true },
      // Its own pool, so other tests' connections do not count.
      dispatcher: { keepAliveTimeout: 61_234 },
    });
    const running = [1, 2].map(() => sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }));
    // Wait until both requests reached the server (the body is held back for 300 ms).
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const during = await sb.metrics();
    expect(sample(during, 'switchboard_in_flight_requests', 'provider="openai",model="gpt-4o-mini"')).toBe(2);
    expect(sample(during, 'switchboard_pool_active_connections', `origin="${origin}"`)).toBe(2);
    expect(sample(during, 'switchboard_pool_pending_requests', `origin="${origin}"`)).toBe(0);
    await Promise.all(running);
    const after = await sb.metrics();
    expect(sample(after, 'switchboard_in_flight_requests', 'provider="openai",model="gpt-4o-mini"')).toBe(0);
    expect(sample(after, 'switchboard_successes_total', 'provider="openai",model="gpt-4o-mini",operation="chat"')).toBe(
      2,
    );
    expect(sample(after, 'switchboard_pool_active_connections', `origin="${origin}"`)).toBe(0);
    expect(sample(after, 'switchboard_pool_idle_connections', `origin="${origin}"`)).toBe(2);
    await sb.close();
  });
});

describe('sb.telemetry.history', () => {
  it('request, error, latency and cost series over the last hours', async () => {
    const server = await start([
      { type: 'ok', text: 'a' },
      { type: 'status', status: 500 },
      { type: 'ok', text: 'b' },
    ]);
    const clock = recordingClock(Date.UTC(2026, 0, 1, 12, 0, 10));
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: false,
      breaker: false,
      telemetry: { tracer: false, metrics: false },
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    clock.advance(60_000);
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    const history = await (sb.telemetry?.history({ hours: 1 }) as Promise<
      import('@switchboard/core').TelemetryHistory
    >);
    expect(history.source).toBe('memory');
    expect(history.points).toHaveLength(60);
    const [first, second] = history.points.slice(-2);
    expect(first).toMatchObject({ requests: 2, errors: 1, errorRate: 0.5, inputTokens: 5, outputTokens: 7 });
    expect(first?.costUsd).toBeGreaterThan(0);
    expect(first?.latencyMs?.max).toBeGreaterThan(0);
    expect(second).toMatchObject({ requests: 1, errors: 0 });
    const five = await sb.telemetry?.history({ hours: 1, bucketMs: 300_000 });
    expect(five?.points).toHaveLength(12);
    expect(five?.points.at(-1)?.requests).toBe(3);
    await expect(sb.telemetry?.history({ hours: 48 })).rejects.toThrow(
      '`hours` must be a number above 0 and at most 24',
    );
    await sb.close();
  });
});
