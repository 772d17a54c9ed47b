import { describe, expect, it } from 'vitest';
import { type CallObservation, percentiles, TelemetryView } from './view.js';

const START = 1_800_000_000_000;

function clock() {
  const state = { time: START, now: () => state.time };
  return state;
}

function call(overrides: Partial<CallObservation> & { at: number }): CallObservation {
  return {
    operation: 'chat',
    provider: 'openai',
    model: 'gpt-4o',
    ok: true,
    latencyMs: 100,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    cached: false,
    attempts: 1,
    ...overrides,
  };
}

describe('percentiles', () => {
  it('nearest rank over 1..100', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99, mean: 50.5 });
    expect(percentiles([])).toBeNull();
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, mean: 7 });
  });
});

describe('TelemetryView', () => {
  it('success rate, latency percentiles, tokens and cost per model and per provider', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now });
    for (let i = 1; i <= 20; i += 1) view.record(call({ at: time.time, latencyMs: i * 10, ok: i !== 20 }));
    view.record(call({ at: time.time, provider: 'anthropic', model: 'claude', latencyMs: 500, costUsd: 0.01 }));
    const snapshot = view.snapshot();
    const gpt = snapshot.models.find((model) => model.model === 'gpt-4o');
    expect(gpt).toMatchObject({
      requests: 20,
      successes: 19,
      failures: 1,
      successRate: 0.95,
      errorRate: 0.05,
      inputTokens: 200,
      outputTokens: 100,
      costUsd: 0.02,
      latencyMs: { p50: 100, p95: 190, p99: 200 },
    });
    expect(gpt?.failuresByKind).toEqual({ unknown: 1 });
    expect(snapshot.providers.map((provider) => [provider.provider, provider.requests])).toEqual([
      ['anthropic', 1],
      ['openai', 20],
    ]);
    expect(snapshot.totals).toMatchObject({ requests: 21, successes: 20, failures: 1, costUsd: 0.03 });
    expect(snapshot.models.map((model) => model.provider)).toEqual(['anthropic', 'openai']);
  });

  it('history windows: calls age out of 1m, then 5m, then 1h', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now });
    view.record(call({ at: time.time, latencyMs: 1000, ok: false, errorKind: 'timeout' }));
    time.time += 2 * 60_000;
    view.record(call({ at: time.time, latencyMs: 200 }));
    time.time += 30_000;
    let windows = view.snapshot().models[0]?.windows;
    expect(windows?.['1m']).toMatchObject({ requests: 1, failures: 0, latencyMs: { p50: 200 } });
    expect(windows?.['5m']).toMatchObject({ requests: 2, failures: 1, errorRate: 0.5 });
    expect(windows?.['1h']?.requests).toBe(2);

    time.time += 5 * 60_000;
    windows = view.snapshot().models[0]?.windows;
    expect(windows?.['1m']?.requests).toBe(0);
    expect(windows?.['1m']?.latencyMs).toBeNull();
    expect(windows?.['1m']?.successRate).toBe(1);
    expect(windows?.['5m']?.requests).toBe(0);
    expect(windows?.['1h']?.requests).toBe(2);

    time.time += 60 * 60_000;
    const model = view.snapshot().models[0];
    expect(model?.windows['1h']?.requests).toBe(0);
    // Since-start totals stay.
    expect(model?.requests).toBe(2);
  });

  it('keeps a bounded ring of recent errors, newest first', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now, maxErrors: 3 });
    for (let i = 0; i < 5; i += 1) {
      time.time += 1000;
      view.record(call({ at: time.time, ok: false, errorKind: 'rate-limit', errorMessage: `e${i}`, status: 429 }));
    }
    const errors = view.snapshot().recentErrors;
    expect(errors.map((error) => error.message)).toEqual(['e4', 'e3', 'e2']);
    expect(errors[0]).toMatchObject({ kind: 'rate-limit', status: 429, provider: 'openai', at: START + 5000 });
    expect(view.snapshot().models[0]?.lastError?.message).toBe('e4');
  });

  it('alerts on error rate and p95 latency over the alert window, with a minimum of calls', () => {
    const time = clock();
    const view = new TelemetryView({
      now: time.now,
      thresholds: { errorRate: 0.2, latencyP95Ms: 2000, window: '5m', minRequests: 5 },
    });
    for (let i = 0; i < 4; i += 1) view.record(call({ at: time.time, ok: false, errorKind: 'provider' }));
    expect(view.snapshot().alerts).toEqual([]); // 4 calls: below the minimum
    view.record(call({ at: time.time, latencyMs: 9000 }));
    view.record(call({ at: time.time, provider: 'groq', model: 'llama', latencyMs: 50 }));
    const alerts = view.snapshot().alerts;
    expect(alerts.map((alert) => [alert.type, alert.scope, alert.level])).toEqual([
      ['error-rate', 'openai/gpt-4o', 'critical'],
      ['latency', 'openai/gpt-4o', 'critical'],
    ]);
    expect(alerts[0]).toMatchObject({ value: 0.8, threshold: 0.2, window: '5m' });
    const insights = view.snapshot().insights;
    expect(insights[0]).toContain('6 calls');
    expect(insights.some((line) => line.startsWith('Most errors: openai/gpt-4o (80%: provider 4)'))).toBe(true);
    expect(insights.some((line) => line.startsWith('Slowest: openai/gpt-4o'))).toBe(true);
    // Once the window has moved on, the alerts clear.
    time.time += 6 * 60_000;
    expect(view.snapshot().alerts).toEqual([]);
  });

  it('alerts when a budget is nearly spent or spent', async () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now, thresholds: { budgetUsed: 0.8 } });
    view.setBudgetSource(async () => [
      { budget: 'global', period: 'day', periodStart: 0, tokens: { used: 850, limit: 1000, remaining: 150 } },
      { budget: 'key:team-a', period: 'month', periodStart: 0, cost: { usedUsd: 12, limitUsd: 10, remainingUsd: 0 } },
      { budget: 'tag:batch', period: 'hour', periodStart: 0, tokens: { used: 10, limit: 1000, remaining: 990 } },
    ]);
    expect(view.snapshot().alerts).toEqual([]);
    await view.refresh();
    const alerts = view.snapshot().alerts;
    expect(alerts).toEqual([
      expect.objectContaining({ type: 'budget', scope: 'global (day)', level: 'warning', value: 0.85 }),
      expect.objectContaining({ type: 'budget', scope: 'key:team-a (month)', level: 'critical', value: 1.2 }),
    ]);
    expect(alerts[0]?.message).toBe('Budget global (day) nearly spent: 850 of 1000 tokens (85%)');
  });

  it('time to first token and cache hits', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now });
    view.record(call({ at: time.time, operation: 'stream', ttftMs: 120 }));
    view.record(call({ at: time.time, operation: 'stream', ttftMs: 80 }));
    view.record(call({ at: time.time, cached: true, latencyMs: 1, costUsd: 0 }));
    const model = view.snapshot().models[0];
    expect(model?.ttftMs).toMatchObject({ p50: 80, p95: 120 });
    expect(model?.cacheHits).toBe(1);
    expect(view.snapshot().insights.some((line) => line.startsWith('Cache answered 1 calls (33%)'))).toBe(true);
  });

  it('exports JSON and CSV', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now, windows: { '1m': 60_000 } });
    view.record(call({ at: time.time, latencyMs: 100 }));
    view.record(call({ at: time.time, model: 'gpt-4o,"mini"', latencyMs: 300, ok: false }));
    const parsed = JSON.parse(JSON.stringify(view)) as { models: { model: string }[]; generatedAt: number };
    expect(parsed.models.map((model) => model.model)).toEqual(['gpt-4o', 'gpt-4o,"mini"']);
    expect(parsed.generatedAt).toBe(START);
    expect(view.toCSV()).toBe(
      [
        'provider,model,window,requests,failures,success_rate,latency_p50_ms,latency_p95_ms,latency_p99_ms,ttft_p50_ms,ttft_p95_ms,input_tokens,output_tokens,cost_usd,cache_hits',
        'openai,gpt-4o,all,1,0,1,100,100,100,,,10,5,0.001,0',
        'openai,gpt-4o,1m,1,0,1,100,100,100,,,10,5,0.001,0',
        'openai,"gpt-4o,""mini""",all,1,1,0,300,300,300,,,10,5,0.001,0',
        'openai,"gpt-4o,""mini""",1m,1,1,0,300,300,300,,,10,5,0.001,0',
        '',
      ].join('\n'),
    );
  });

  it('bounds memory: old buckets are dropped and samples per bucket are capped', () => {
    const time = clock();
    const view = new TelemetryView({ now: time.now, samplesPerBucket: 8, recentSamples: 16 });
    for (let i = 0; i < 1000; i += 1) view.record(call({ at: time.time, latencyMs: i }));
    const model = view.snapshot().models[0];
    expect(model?.requests).toBe(1000);
    expect(model?.windows['1m']?.requests).toBe(1000);
    // p50 over the last 16 samples (984..999).
    expect(model?.latencyMs?.p50).toBe(991);
    const series = (view as unknown as { series: Map<string, { buckets: Map<number, { latencies: number[] }> }> })
      .series;
    const buckets = [...(series.values().next().value?.buckets.values() ?? [])];
    expect(buckets[0]?.latencies).toHaveLength(8);
    for (let hour = 0; hour < 3; hour += 1) {
      time.time += 3_600_000;
      view.record(call({ at: time.time }));
    }
    expect(series.values().next().value?.buckets.size).toBeLessThanOrEqual(2);
  });
});
