/**
 * The page's logic that does not need a browser: the cost calculator's arithmetic (tiers, cached
 * input), the rates the Live charts draw from cumulative samples, the hash routes that make every
 * view a link, and the base URL taken from the page's origin or `?gateway=`.
 */
import type { LivePoint } from '@switchboard/gateway';
import { describe, expect, it } from 'vitest';
import { gatewayBaseURL } from '../src/api.js';
import { costPerRequest, monthlyCost, usageFromParams } from '../src/cost.js';
import { formatHash, parseHash } from '../src/hash-route.js';
import { mergePoints, rates } from '../src/views/live-series.js';

describe('cost calculator', () => {
  const pricing = { input: 2, output: 8, cacheRead: 0.5, tiers: [{ above: 200_000, input: 4, output: 16 }] };

  it('prices fresh input, cached input at the cache-read rate, and output, per million tokens', () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 4000, outputTokens: 500, requestsPerDay: 100 };
    expect(costPerRequest(pricing, usage)).toBeCloseTo((1000 * 2 + 4000 * 0.5 + 500 * 8) / 1e6, 12);
    expect(monthlyCost(pricing, usage)).toBeCloseTo(((1000 * 2 + 4000 * 0.5 + 500 * 8) / 1e6) * 100 * 30, 9);
  });

  it('uses the long-prompt tier above its threshold, and the input rate for cached tokens without a cache price', () => {
    const long = { inputTokens: 250_000, cachedInputTokens: 0, outputTokens: 1000, requestsPerDay: 1 };
    expect(costPerRequest(pricing, long)).toBeCloseTo((250_000 * 4 + 1000 * 16) / 1e6, 12);
    const noCache = { input: 1, output: 2 };
    expect(
      costPerRequest(noCache, { inputTokens: 0, cachedInputTokens: 1_000_000, outputTokens: 0, requestsPerDay: 1 }),
    ).toBe(1);
  });

  it('has no cost for a model without a price, and reads its fields from the URL with defaults', () => {
    expect(monthlyCost(null, usageFromParams(new URLSearchParams()))).toBeNull();
    expect(usageFromParams(new URLSearchParams('input=10&output=-3&requests=abc'))).toEqual({
      inputTokens: 10,
      cachedInputTokens: 0,
      outputTokens: 500,
      requestsPerDay: 1000,
    });
  });
});

describe('live rates', () => {
  const point = (at: number, requests: number, failures: number, mock: number): LivePoint => ({
    at,
    requests,
    failures,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    p50Ms: 10,
    p95Ms: 20,
    providers: { mock: { requests: mock, failures: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } },
  });

  it('turns cumulative counters into requests/s and error rate between samples', () => {
    const series = rates([point(0, 0, 0, 0), point(10_000, 20, 5, 20), point(20_000, 20, 5, 20)]);
    expect(series.x).toEqual([10, 20]);
    expect(series.requestsPerSecond).toEqual([2, 0]);
    expect(series.errorRate).toEqual([0.25, null]);
    expect(series.byProvider.mock).toEqual([2, 0]);
  });

  it('draws a gap, not a negative rate, after the telemetry was reset', () => {
    expect(rates([point(0, 50, 0, 50), point(1000, 2, 0, 2)]).requestsPerSecond).toEqual([null]);
  });

  it('merges the gateway history with the points received, by time, within the last hour', () => {
    const merged = mergePoints(
      [point(0, 0, 0, 0), point(5000, 1, 0, 1)],
      [point(5000, 1, 0, 1), point(7000, 2, 0, 2)],
      3_600_000,
    );
    expect(merged.map((entry) => entry.at)).toEqual([0, 5000, 7000]);
    expect(mergePoints([point(0, 0, 0, 0)], [], 3_600_001)).toEqual([]);
  });
});

describe('hash routes and the gateway address', () => {
  it('parses and formats views with their parameters, so filters and comparisons are links', () => {
    expect(parseHash('')).toMatchObject({ path: ['models'] });
    const route = parseHash('#/model/openrouter/meta-llama/llama-3?x=1');
    expect(route.path).toEqual(['model', 'openrouter', 'meta-llama', 'llama-3']);
    expect(route.params.get('x')).toBe('1');
    const hash = formatHash(['compare'], { models: 'openai/gpt-4o,mock/mock-chat', input: '', requests: '200' });
    expect(hash).toBe('#/compare?models=openai%2Fgpt-4o%2Cmock%2Fmock-chat&requests=200');
    expect(parseHash(hash).params.get('models')).toBe('openai/gpt-4o,mock/mock-chat');
  });

  it('talks to its own origin, or to ?gateway= for a static deployment', () => {
    expect(gatewayBaseURL({ origin: 'http://127.0.0.1:4000', search: '' })).toBe('http://127.0.0.1:4000');
    expect(gatewayBaseURL({ origin: 'https://pages.example', search: '?gateway=http://gw.local:4000/' })).toBe(
      'http://gw.local:4000',
    );
  });
});
