/**
 * Counters are summed per series and handed to prom-client when scraped (issue 11: prom-client's
 * per-`inc` label hashing was ~4 % of a busy gateway). These tests pin that a scrape still shows
 * every call once: repeated scrapes do not count twice, two switchboards sharing one registry both
 * count, a single metric read on its own is flushed too, and the in-flight gauge returns to 0.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SwitchboardMetrics } from './metrics.js';
import type { CallObservation } from './view.js';

function call(overrides: Partial<CallObservation> = {}): CallObservation {
  return {
    provider: 'openai',
    model: 'gpt-4o-mini',
    operation: 'chat',
    ok: true,
    cached: false,
    latencyMs: 120,
    attempts: 1,
    at: 0,
    inputTokens: 10,
    outputTokens: 4,
    costUsd: 0.5,
    ...overrides,
  };
}

/** The value of one sample line of the Prometheus text, by metric name and a label substring. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{`) && entry.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('SwitchboardMetrics', () => {
  it('shows each call once however often it is scraped, with tokens, cost and the in-flight gauge', async () => {
    const metrics = new SwitchboardMetrics();
    for (let i = 0; i < 3; i += 1) {
      metrics.callInFlight('openai', 'gpt-4o-mini', 1);
      metrics.observe(call(), false);
      metrics.callInFlight('openai', 'gpt-4o-mini', -1);
    }
    metrics.callInFlight('openai', 'gpt-4o-mini', 1); // one still running
    metrics.observe(call({ ok: false, errorKind: 'rate-limit', inputTokens: 0, outputTokens: 0, costUsd: 0 }), false);
    for (let scrape = 0; scrape < 2; scrape += 1) {
      const text = await metrics.metrics();
      expect(sample(text, 'switchboard_requests_total', 'status="success"')).toBe(3);
      expect(sample(text, 'switchboard_requests_total', 'status="error"')).toBe(1);
      expect(sample(text, 'switchboard_successes_total', 'operation="chat"')).toBe(3);
      expect(sample(text, 'switchboard_failures_total', 'kind="rate-limit"')).toBe(1);
      expect(sample(text, 'switchboard_tokens_total', 'type="input"')).toBe(30);
      expect(sample(text, 'switchboard_tokens_total', 'type="output"')).toBe(12);
      expect(sample(text, 'switchboard_cost_usd_total', 'model="gpt-4o-mini"')).toBe(1.5);
      expect(sample(text, 'switchboard_request_duration_seconds_count', 'operation="chat"')).toBe(4);
      expect(sample(text, 'switchboard_in_flight_requests', 'model="gpt-4o-mini"')).toBe(1);
    }
    metrics.callInFlight('openai', 'gpt-4o-mini', -1);
    expect(sample(await metrics.metrics(), 'switchboard_in_flight_requests', 'model="gpt-4o-mini"')).toBe(0);
  });

  it('counts cache hits and misses, and failures by kind, once each however often it is scraped', async () => {
    const metrics = new SwitchboardMetrics();
    metrics.observe(call({ cached: true }), true);
    metrics.observe(call(), true);
    metrics.observe(call({ operation: 'embed' }), true);
    metrics.observe(call(), false); // did not use the cache: neither a hit nor a miss
    metrics.observe(call({ ok: false, errorKind: 'timeout' }), false);
    metrics.observe(call({ ok: false, errorKind: 'timeout' }), false);
    metrics.observe(call({ ok: false, errorKind: undefined }), false);
    for (let scrape = 0; scrape < 2; scrape += 1) {
      const text = await metrics.metrics();
      expect(sample(text, 'switchboard_cache_hits_total', 'operation="chat"')).toBe(1);
      expect(sample(text, 'switchboard_cache_misses_total', 'operation="chat"')).toBe(1);
      expect(sample(text, 'switchboard_cache_misses_total', 'operation="embed"')).toBe(1);
      expect(sample(text, 'switchboard_failures_total', 'kind="timeout"')).toBe(2);
      expect(sample(text, 'switchboard_failures_total', 'kind="unknown"')).toBe(1);
      // A cache hit is not timed: six calls in the latency histogram, not seven.
      expect(
        (sample(text, 'switchboard_request_duration_seconds_count', 'operation="chat"') ?? Number.NaN) +
          (sample(text, 'switchboard_request_duration_seconds_count', 'operation="embed"') ?? Number.NaN),
      ).toBe(6);
    }
  });

  it('two switchboards on one registry both count, and one metric read alone is flushed too', async () => {
    const registry = new Registry();
    const first = new SwitchboardMetrics({ registry });
    const second = new SwitchboardMetrics({ registry });
    first.observe(call(), false);
    second.observe(call(), false);
    second.observe(call({ model: 'gpt-4o' }), false);
    const requests = registry.getSingleMetric('switchboard_requests_total');
    const values = (await requests?.get())?.values ?? [];
    const total = values.reduce((sum, value) => sum + value.value, 0);
    expect(total).toBe(3);
    const text = await registry.metrics();
    expect(sample(text, 'switchboard_requests_total', 'model="gpt-4o-mini"')).toBe(2);
    expect(sample(text, 'switchboard_requests_total', 'model="gpt-4o"')).toBe(1);
  });
});
