import { describe, expect, it } from 'vitest';
import { CallHealth } from './call-health.js';

describe('CallHealth', () => {
  it('error rate and latency percentiles over the recent window only', () => {
    let now = 1_000_000;
    const health = new CallHealth(() => now, 60_000);
    health.record('p', false, 5000); // will fall out of the window
    now += 60_000;
    for (let i = 1; i <= 100; i += 1) health.record('p', i % 4 !== 0, i);
    expect(health.recent('p')).toEqual({
      windowMs: 60_000,
      requests: 100,
      failures: 25,
      errorRate: 0.25,
      latencyMs: { p50: 50, p95: 95, p99: 99 },
    });
    expect(health.recent('other')).toEqual({
      windowMs: 60_000,
      requests: 0,
      failures: 0,
      errorRate: 0,
      latencyMs: null,
    });
  });

  it('keeps a bounded ring per provider', () => {
    const health = new CallHealth(() => 1, 60_000, 8);
    for (let i = 0; i < 20; i += 1) health.record('p', i < 12, i);
    // The last 8 samples: 12..19, all failures.
    expect(health.recent('p')).toMatchObject({ requests: 8, failures: 8, errorRate: 1, latencyMs: { p50: 15 } });
  });
});
