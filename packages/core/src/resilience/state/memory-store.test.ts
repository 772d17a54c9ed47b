import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';

describe('MemoryStore specifics', () => {
  const W = 1000;
  const T0 = 1_700_000_000_000;

  it('uses the two-bucket estimate: previous * (1 - elapsed / window) + current', async () => {
    const store = new MemoryStore({ sweepIntervalMs: false });
    await store.slidingWindow('k', 10, 100, W, T0 + 500);
    await store.slidingWindow('k', 4, 100, W, T0 + W + 100);
    // previous 10 weighted by 1 - 250/1000, plus current 4.
    expect(await store.peekWindow('k', W, T0 + W + 250)).toBeCloseTo(10 * 0.75 + 4);
    // Two windows later only the bucket before is left, then nothing.
    expect(await store.peekWindow('k', W, T0 + 2 * W + 500)).toBeCloseTo(4 * 0.5);
    expect(await store.peekWindow('k', W, T0 + 3 * W)).toBe(0);
  });

  it('computes the exact retryAfterMs for the approximation', async () => {
    const store = new MemoryStore({ sweepIntervalMs: false });
    await store.slidingWindow('k', 10, 10, W, T0);
    // At T0+W+0 the estimate is 10; 5 fits once half the previous bucket has slid out.
    const denied = await store.slidingWindow('k', 5, 10, W, T0 + W);
    expect(denied.retryAfterMs).toBe(500);
    expect((await store.slidingWindow('k', 5, 10, W, T0 + W + 499)).allowed).toBe(false);
    expect((await store.slidingWindow('k', 5, 10, W, T0 + W + 500)).allowed).toBe(true);
  });

  it('never lets an adjustment push a bucket below zero', async () => {
    const store = new MemoryStore({ sweepIntervalMs: false });
    await store.slidingWindow('k', 3, 10, W, T0);
    await store.adjustWindow('k', -50, W, T0 + 1);
    expect(await store.peekWindow('k', W, T0 + 2)).toBe(0);
  });

  it('sweeps expired keys and idle windows', async () => {
    let now = T0;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: false });
    await store.set('a', '1', { ttlMs: 100 });
    await store.set('b', '2');
    await store.slidingWindow('w', 1, 10, W, now);
    expect(store.size).toBe(3);
    now += 2 * W;
    store.sweep();
    expect(store.size).toBe(1);
  });

  it('uses its clock for windows when no `now` is passed', async () => {
    let now = T0;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: false });
    await store.slidingWindow('w', 10, 10, W);
    expect((await store.slidingWindow('w', 1, 10, W)).allowed).toBe(false);
    now += 2 * W;
    expect((await store.slidingWindow('w', 1, 10, W)).allowed).toBe(true);
  });

  it('close stops the sweep timer and is idempotent', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 10 });
    await store.close();
    await store.close();
    expect(store.closed).toBe(true);
  });

  it('rejects incrementing a non-numeric value', async () => {
    const store = new MemoryStore({ sweepIntervalMs: false });
    await store.set('s', 'abc');
    await expect(store.increment('s', 1)).rejects.toThrow(TypeError);
  });
});
