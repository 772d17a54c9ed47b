import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../resilience/state/memory-store.js';
import { RequestHistory } from './history.js';
import type { CallObservation } from './view.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 1, 12, 0, 0);

function call(at: number, ok: boolean, latencyMs: number, costUsd = 0.001): CallObservation {
  return {
    operation: 'chat',
    provider: 'p',
    model: 'm',
    ok,
    latencyMs,
    inputTokens: 10,
    outputTokens: 5,
    costUsd,
    cached: false,
    attempts: 1,
    at,
  };
}

describe('RequestHistory (memory)', () => {
  it('series of requests, errors, latency and cost per bucket, empty buckets included', async () => {
    let now = START;
    const history = new RequestHistory(() => now, undefined);
    history.record(call(START + 1000, true, 100));
    history.record(call(START + 2000, false, 300));
    history.record(call(START + 2 * MINUTE + 5, true, 50, 0.002));
    now = START + 2 * MINUTE + 10;
    const result = await history.read({ hours: 0.05 }); // 3 minutes
    expect(result).toMatchObject({ bucketMs: MINUTE, source: 'memory', to: START + 3 * MINUTE });
    expect(result.points.slice(-3)).toEqual([
      {
        at: START,
        requests: 2,
        errors: 1,
        errorRate: 0.5,
        latencyMs: { mean: 200, max: 300 },
        inputTokens: 20,
        outputTokens: 10,
        costUsd: 0.002,
      },
      {
        at: START + MINUTE,
        requests: 0,
        errors: 0,
        errorRate: 0,
        latencyMs: null,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
      },
      expect.objectContaining({ at: START + 2 * MINUTE, requests: 1, costUsd: 0.002 }),
    ]);
    const hourly = await history.read({ hours: 1, bucketMs: HOUR });
    expect(hourly.points).toHaveLength(1);
    expect(hourly.points[0]).toMatchObject({ at: START, requests: 3, errors: 1, latencyMs: { mean: 150, max: 300 } });
  });

  it('keeps at most 24 hours of buckets', () => {
    let now = START;
    const history = new RequestHistory(() => now, undefined);
    for (let minute = 0; minute < 30 * 60; minute += 1) {
      now = START + minute * MINUTE;
      history.record(call(now, true, 1));
    }
    expect(history.size).toBe(24 * 60);
  });

  it('names wrong hours and bucketMs', async () => {
    const history = new RequestHistory(() => START, undefined);
    await expect(history.read({ hours: 25 })).rejects.toThrow(
      '`hours` must be a number above 0 and at most 24, got 25',
    );
    await expect(history.read({ bucketMs: 90_000 })).rejects.toThrow(
      "`bucketMs` must be a multiple of the history's bucket (60000 ms), got 90000",
    );
    expect(() => new RequestHistory(() => START, undefined, { bucketMs: 10 })).toThrow('telemetry.history.bucketMs');
  });
});

describe('RequestHistory (shared store)', () => {
  it('two instances on one store report one history', async () => {
    const now = START + 30_000;
    const store = new MemoryStore({ sweepIntervalMs: false });
    const a = new RequestHistory(() => now, store, { flushMs: 0 });
    const b = new RequestHistory(() => now, store, { flushMs: 0 });
    a.record(call(START + 1000, true, 100));
    a.record(call(START + 2000, false, 200));
    b.record(call(START + 3000, true, 600));
    await b.flush();
    const fromA = await a.read({ hours: 0.02 });
    expect(fromA.source).toBe('store');
    expect(fromA.points.at(-1)).toMatchObject({
      at: START,
      requests: 3,
      errors: 1,
      latencyMs: { mean: 300, max: 600 },
    });
    expect((await b.read({ hours: 0.02 })).points.at(-1)).toEqual(fromA.points.at(-1));
    // Flushed sums are not added twice.
    await a.flush();
    expect((await a.read({ hours: 0.02 })).points.at(-1)?.requests).toBe(3);
    await a.close();
    await b.close();
    await store.close();
  });
});
