/**
 * Cost budgets on a real redis-server: money is counted in integer micro-dollars in Redis as in
 * memory, so what `status()` reports has no float noise and a whole amount is charged exactly.
 */

import { BudgetTracker } from '@switchboard/core';
import { RedisStore } from '@switchboard/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRedisUrl } from './redis-server.ts';

const url = useRedisUrl();

describe('cost budgets on Redis', () => {
  let store: RedisStore;
  const prefix = `budget-money:${Math.random().toString(36).slice(2)}:`;
  beforeAll(() => {
    store = new RedisStore({ url: url(), prefix: 'sbtest:', commandTimeoutMs: 10_000 });
  });
  afterAll(async () => {
    await store.deletePrefix(prefix);
    await store.close();
  });

  it('keeps micro-dollar counters integral and reports remainingUsd without float noise', async () => {
    const tracker = new BudgetTracker({ limits: [{ tag: 'batch', maxCostUsd: 0.01, period: 'total' }], store, prefix });
    const reservation = await tracker.check({ tags: ['batch'], estimatedCost: 0.0001 });
    expect(await store.get(`${prefix}tag:batch:total:0:usd`)).toBe('100');
    await tracker.record(reservation, 10, { total: 0.0099 });
    expect(await store.get(`${prefix}tag:batch:total:0:usd`)).toBe('9900');
    const [status] = await tracker.status({ tags: ['batch'] });
    expect(status?.cost).toEqual({ usedUsd: 0.0099, limitUsd: 0.01, remainingUsd: 0.0001 });
    // The last micro-dollars are still spendable, the next one is not.
    const last = await tracker.check({ tags: ['batch'], estimatedCost: 0.0001 });
    await tracker.record(last, 1, 0.0001);
    await expect(tracker.check({ tags: ['batch'], estimatedCost: 0.000001 })).rejects.toMatchObject({
      name: 'BudgetExceededError',
      metric: 'cost',
    });
  });
});
