import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../errors/errors.js';
import { BudgetTracker, periodBounds } from './budget.js';
import { BudgetExceededError } from './errors.js';
import { MemoryStore } from './memory-store.js';

const T0 = Date.UTC(2026, 0, 31, 22, 30); // 2026-01-31 22:30 UTC

function setup(limits: ConstructorParameters<typeof BudgetTracker>[0]['limits']) {
  let now = T0;
  const clock = { now: () => now, set: (t: number) => (now = t), advance: (ms: number) => (now += ms) };
  const store = new MemoryStore({ now: clock.now, sweepIntervalMs: false });
  return { tracker: new BudgetTracker({ limits, store, now: clock.now }), store, clock };
}

describe('BudgetTracker', () => {
  it('rejects a call before it would exceed a token budget, with a clear error', async () => {
    const { tracker } = setup([{ key: 'team-a', maxTokens: 1000, period: 'day' }]);
    const r = await tracker.check({ key: 'team-a', estimatedTokens: 900 });
    await tracker.record(r, 900);
    const error = (await tracker.check({ key: 'team-a', estimatedTokens: 200 }).catch((e) => e)) as BudgetExceededError;
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error.kind).toBe('quota-exceeded');
    expect(error.retryable).toBe(false);
    expect(error).toMatchObject({ budget: 'key:team-a', metric: 'tokens', limit: 1000, used: 900, requested: 200 });
    expect(error.resetAt).toBe(Date.UTC(2026, 1, 1));
    expect(error.message).toBe(
      'Budget key:team-a exceeded: 900 tokens of 1000 tokens used this day, this call needs ~200 tokens; resets at 2026-02-01T00:00:00.000Z',
    );
    // Within the limit still passes.
    await tracker.check({ key: 'team-a', estimatedTokens: 100 });
    // Other keys are not affected.
    await tracker.check({ key: 'team-b', estimatedTokens: 10_000 });
  });

  it('rejects on cost, counted in micro-dollars', async () => {
    const { tracker, store } = setup([{ tag: 'batch', maxCostUsd: 0.01, period: 'total' }]);
    const r = await tracker.check({ tags: ['batch'], estimatedCost: 0.004 });
    await tracker.record(r, 100, { total: 0.006 });
    expect(await store.get('sb:budget:tag:batch:total:0:usd')).toBe('6000');
    const error = (await tracker
      .check({ tags: ['batch'], estimatedCost: 0.005 })
      .catch((e) => e)) as BudgetExceededError;
    expect(error.metric).toBe('cost');
    expect(error.used).toBeCloseTo(0.006);
    expect(error.message).toContain('$0.006 of $0.01 used in total');
    expect(error.message).toContain('does not reset');
    const [status] = await tracker.status({ tags: ['batch'] });
    expect(status?.cost?.usedUsd).toBeCloseTo(0.006);
    expect(status?.cost?.remainingUsd).toBeCloseTo(0.004);
  });

  it('reports money without float noise and charges whole amounts exactly', async () => {
    const { tracker, store } = setup([{ tag: 'batch', maxCostUsd: 0.01, period: 'total' }]);
    const r = await tracker.check({ tags: ['batch'], estimatedCost: 0.0001 });
    // 0.0001 * 1e6 is 100.00000000000001 in floating point: still 100 micro-dollars, not 101.
    expect(await store.get('sb:budget:tag:batch:total:0:usd')).toBe('100');
    await tracker.record(r, 10, { total: 0.0099 });
    const [status] = await tracker.status({ tags: ['batch'] });
    // In dollars 0.01 - 0.0099 is 0.0000999999999999994.
    expect(status?.cost).toEqual({ usedUsd: 0.0099, limitUsd: 0.01, remainingUsd: 0.0001 });
  });

  it('record corrects the reservation by the difference (down and up)', async () => {
    const { tracker } = setup([{ key: 'k', maxTokens: 1000, maxCostUsd: 1, period: 'hour' }]);
    const r1 = await tracker.check({ key: 'k', estimatedTokens: 800, estimatedCost: 0.5 });
    await tracker.record(r1, { inputTokens: 100, outputTokens: 50 }, 0.1);
    let [status] = await tracker.status('k');
    expect(status?.tokens).toEqual({ used: 150, limit: 1000, remaining: 850 });
    expect(status?.cost?.usedUsd).toBeCloseTo(0.1);
    const r2 = await tracker.check({ key: 'k', estimatedTokens: 100 });
    await tracker.record(r2, { totalTokens: 400 });
    [status] = await tracker.status('k');
    expect(status?.tokens?.used).toBe(550);
  });

  it('an exhausted budget refuses even calls with no estimate', async () => {
    const { tracker } = setup([{ maxTokens: 100, period: 'day' }]);
    const r = await tracker.check({ estimatedTokens: 10 });
    await tracker.record(r, 100);
    await expect(tracker.check({})).rejects.toThrow(BudgetExceededError);
  });

  it('leaves nothing reserved when one of several budgets refuses', async () => {
    const { tracker } = setup([
      { key: 'k', maxTokens: 1000, period: 'day' },
      { tag: 't', maxTokens: 100, period: 'day' },
    ]);
    await expect(tracker.check({ key: 'k', tags: ['t'], estimatedTokens: 500 })).rejects.toThrow(/tag:t/);
    const statuses = await tracker.status({ key: 'k', tags: ['t'] });
    expect(statuses.map((s) => s.tokens?.used)).toEqual([0, 0]);
  });

  it('rolls over at the end of the period (fake clock)', async () => {
    const { tracker, clock } = setup([
      { key: 'k', maxTokens: 100, period: 'day' },
      { key: 'm', maxTokens: 100, period: 'month' },
      { key: 'c', maxTokens: 100, period: { ms: 10_000 } },
    ]);
    for (const key of ['k', 'm', 'c']) await tracker.check({ key, estimatedTokens: 100 });
    for (const key of ['k', 'm', 'c']) await expect(tracker.check({ key, estimatedTokens: 1 })).rejects.toThrow();
    clock.set(Date.UTC(2026, 1, 1)); // next day, next month
    await tracker.check({ key: 'k', estimatedTokens: 100 });
    await tracker.check({ key: 'm', estimatedTokens: 100 });
    await tracker.check({ key: 'c', estimatedTokens: 100 });
    clock.advance(10_000);
    await tracker.check({ key: 'c', estimatedTokens: 100 });
    await expect(tracker.check({ key: 'k', estimatedTokens: 1 })).rejects.toThrow();
  });

  it('does not correct into a period that has ended', async () => {
    const { tracker, clock } = setup([{ key: 'k', maxTokens: 100, period: 'hour' }]);
    const r = await tracker.check({ key: 'k', estimatedTokens: 10 });
    clock.advance(60 * 60_000);
    await tracker.record(r, 90);
    const [status] = await tracker.status('k');
    expect(status?.tokens?.used).toBe(0);
  });

  it('release gives a reservation back', async () => {
    const { tracker } = setup([{ key: 'k', maxTokens: 100, period: 'total' }]);
    const r = await tracker.check({ key: 'k', estimatedTokens: 100 });
    await tracker.release(r);
    await tracker.check({ key: 'k', estimatedTokens: 100 });
  });

  it('admits exactly up to the limit under concurrent checks', async () => {
    const { tracker } = setup([{ maxTokens: 100, period: 'day' }]);
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => tracker.check({ estimatedTokens: 10 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });

  it('computes UTC period bounds', () => {
    expect(periodBounds('hour', T0)).toEqual({ start: Date.UTC(2026, 0, 31, 22), end: Date.UTC(2026, 0, 31, 23) });
    expect(periodBounds('month', T0)).toEqual({ start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 1, 1) });
    expect(periodBounds('total', T0)).toEqual({ start: 0 });
    expect(periodBounds({ ms: 1000 }, 12_345)).toEqual({ start: 12_000, end: 13_000 });
  });

  it('refuses a limit without a maximum', () => {
    expect(() => new BudgetTracker({ limits: [{ key: 'k', period: 'day' }] })).toThrow(/maxTokens or maxCostUsd/);
  });
});
