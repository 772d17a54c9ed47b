/**
 * The behaviour every `Store` must show, as a reusable vitest suite. Core's `MemoryStore` runs it in
 * `test/state/memory-store-contract.test.ts`; `@switchboard/redis` runs the same suite against a real
 * Redis server (`test/redis/store.test.ts`), so the two cannot drift apart. It lives here, with the
 * tests, and takes the stores through their packages' public exports (no deep imports, issue 15).
 *
 * Usage (in a `*.test.ts` file):
 *
 *     import { describeStoreContract } from '../support/store-contract.ts';
 *     describeStoreContract('RedisStore', async () => new RedisStore({ url }), { realTime: true });
 *
 * Expiry tests advance time with `clock.advance(ms)`: a store built on the injected `clock.now`
 * sees fake time; a store on real time (Redis expires keys by its own clock) passes
 * `{ realTime: true }` and the suite really sleeps (TTLs here are short: 150 ms). Window tests pass
 * `now` explicitly, so they are deterministic either way. Every test uses keys under a fresh random
 * prefix, so a shared server needs no flushing.
 */

import type { Store } from '@switchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A fake clock handed to `makeStore`; stores that accept a `now` option should use `clock.now`. */
export interface ContractClock {
  now(): number;
  /** Moves fake time forward (and sleeps for real when the suite runs with `realTime`). */
  advance(ms: number): Promise<void>;
}

export interface StoreContractOptions {
  /** The store expires keys by wall-clock time it owns (Redis): expiry tests sleep for real. */
  realTime?: boolean;
}

/** Registers the shared `Store` contract tests under `describe(name)`. `makeStore` is called once per test. */
export function describeStoreContract(
  name: string,
  makeStore: (clock: ContractClock) => Store | Promise<Store>,
  options: StoreContractOptions = {},
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let clock: ContractClock;
    let p: string;
    const WINDOW = 1000;
    // A multiple of WINDOW, so bucket boundaries are predictable for any implementation that aligns them.
    const T0 = 1_700_000_000_000;
    const TTL = 150;

    beforeEach(async () => {
      let fake = Date.now();
      clock = {
        now: () => fake,
        advance: async (ms) => {
          fake += ms;
          if (options.realTime) await new Promise((resolve) => setTimeout(resolve, ms));
        },
      };
      store = await makeStore(clock);
      p = `contract:${Math.random().toString(36).slice(2)}:`;
    });
    afterEach(async () => {
      await store.deletePrefix(p);
      await store.close();
    });

    describe('get / set / delete', () => {
      it('reports a kind', () => {
        expect(typeof store.kind).toBe('string');
        expect(store.kind.length).toBeGreaterThan(0);
      });

      it('returns undefined for a missing key and the value after set', async () => {
        expect(await store.get(`${p}a`)).toBeUndefined();
        await store.set(`${p}a`, 'one');
        expect(await store.get(`${p}a`)).toBe('one');
        await store.set(`${p}a`, '{"x":[1,2]}');
        expect(await store.get(`${p}a`)).toBe('{"x":[1,2]}');
      });

      it('keeps unicode and empty strings intact', async () => {
        await store.set(`${p}u`, 'héllo ✓ 漢字 \n "q"');
        expect(await store.get(`${p}u`)).toBe('héllo ✓ 漢字 \n "q"');
        await store.set(`${p}e`, '');
        expect(await store.get(`${p}e`)).toBe('');
      });

      it('expires a key after ttlMs', async () => {
        await store.set(`${p}t`, 'v', { ttlMs: TTL });
        expect(await store.get(`${p}t`)).toBe('v');
        await clock.advance(TTL + 50);
        expect(await store.get(`${p}t`)).toBeUndefined();
      });

      it('a set without ttl replaces an earlier expiry', async () => {
        await store.set(`${p}t`, 'v', { ttlMs: TTL });
        await store.set(`${p}t`, 'w');
        await clock.advance(TTL + 50);
        expect(await store.get(`${p}t`)).toBe('w');
      });

      it('delete says whether the key existed', async () => {
        await store.set(`${p}d`, 'v');
        expect(await store.delete(`${p}d`)).toBe(true);
        expect(await store.get(`${p}d`)).toBeUndefined();
        expect(await store.delete(`${p}d`)).toBe(false);
      });

      it('deletePrefix removes exactly the keys under the prefix and counts them', async () => {
        await store.set(`${p}x:1`, 'a');
        await store.set(`${p}x:2`, 'b');
        await store.increment(`${p}x:3`, 1);
        await store.set(`${p}y:1`, 'c');
        expect(await store.deletePrefix(`${p}x:`)).toBe(3);
        expect(await store.get(`${p}x:1`)).toBeUndefined();
        expect(await store.get(`${p}x:3`)).toBeUndefined();
        expect(await store.get(`${p}y:1`)).toBe('c');
        expect(await store.deletePrefix(`${p}x:`)).toBe(0);
      });

      it('deletePrefix also clears sliding windows under the prefix', async () => {
        await store.slidingWindow(`${p}w:1`, 5, 10, WINDOW, T0);
        await store.deletePrefix(`${p}w:`);
        expect(await store.peekWindow(`${p}w:1`, WINDOW, T0)).toBe(0);
      });
    });

    describe('compareAndSet', () => {
      it('sets an absent key only when expected is undefined', async () => {
        expect(await store.compareAndSet(`${p}c`, 'nope', 'v1')).toBe(false);
        expect(await store.get(`${p}c`)).toBeUndefined();
        expect(await store.compareAndSet(`${p}c`, undefined, 'v1')).toBe(true);
        expect(await store.get(`${p}c`)).toBe('v1');
        expect(await store.compareAndSet(`${p}c`, undefined, 'v2')).toBe(false);
      });

      it('replaces only when the current value matches', async () => {
        await store.set(`${p}c`, 'v1');
        expect(await store.compareAndSet(`${p}c`, 'other', 'v2')).toBe(false);
        expect(await store.get(`${p}c`)).toBe('v1');
        expect(await store.compareAndSet(`${p}c`, 'v1', 'v2')).toBe(true);
        expect(await store.get(`${p}c`)).toBe('v2');
      });

      it('applies ttlMs, and treats an expired key as absent', async () => {
        expect(await store.compareAndSet(`${p}c`, undefined, 'v1', { ttlMs: TTL })).toBe(true);
        await clock.advance(TTL + 50);
        expect(await store.get(`${p}c`)).toBeUndefined();
        expect(await store.compareAndSet(`${p}c`, undefined, 'v2')).toBe(true);
      });

      it('lets exactly one of many concurrent writers win', async () => {
        await store.set(`${p}c`, 'start');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.compareAndSet(`${p}c`, 'start', `w${i}`)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await store.get(`${p}c`)).toBe(`w${winner}`);
      });
    });

    describe('increment', () => {
      it('creates the counter at `by` and adds (also negative amounts)', async () => {
        expect(await store.increment(`${p}n`, 5)).toBe(5);
        expect(await store.increment(`${p}n`, 3)).toBe(8);
        expect(await store.increment(`${p}n`, -10)).toBe(-2);
        expect(Number(await store.get(`${p}n`))).toBe(-2);
      });

      it('applies ttlMs at creation only; later increments keep the original expiry', async () => {
        await store.increment(`${p}n`, 1, { ttlMs: TTL });
        await clock.advance(TTL / 2 + 10);
        expect(await store.increment(`${p}n`, 1, { ttlMs: TTL })).toBe(2);
        await clock.advance(TTL / 2 + 40);
        expect(await store.get(`${p}n`)).toBeUndefined();
        expect(await store.increment(`${p}n`, 1)).toBe(1);
      });

      it('is atomic under concurrent calls', async () => {
        await Promise.all(Array.from({ length: 100 }, () => store.increment(`${p}n`, 1)));
        expect(Number(await store.get(`${p}n`))).toBe(100);
      });
    });

    describe('reserve', () => {
      it('admits while the counter stays at or below the limit', async () => {
        const a = await store.reserve(`${p}r`, 6, 10);
        expect(a).toMatchObject({ allowed: true, current: 6, limit: 10, remaining: 4, retryAfterMs: 0 });
        const b = await store.reserve(`${p}r`, 4, 10);
        expect(b).toMatchObject({ allowed: true, current: 10, remaining: 0 });
        const c = await store.reserve(`${p}r`, 1, 10);
        expect(c).toMatchObject({ allowed: false, current: 10, limit: 10, remaining: 0 });
        expect(Number(await store.get(`${p}r`))).toBe(10);
      });

      it('a denied reservation records nothing', async () => {
        await store.reserve(`${p}r`, 8, 10);
        expect((await store.reserve(`${p}r`, 3, 10)).allowed).toBe(false);
        expect((await store.reserve(`${p}r`, 2, 10)).allowed).toBe(true);
      });

      it('creates the counter with ttlMs and reports the time to its reset when denied', async () => {
        await store.reserve(`${p}r`, 10, 10, { ttlMs: TTL });
        const denied = await store.reserve(`${p}r`, 1, 10, { ttlMs: TTL });
        expect(denied.allowed).toBe(false);
        expect(denied.retryAfterMs).toBeGreaterThan(0);
        expect(denied.retryAfterMs).toBeLessThanOrEqual(TTL);
        await clock.advance(TTL + 50);
        expect(await store.reserve(`${p}r`, 10, 10, { ttlMs: TTL })).toMatchObject({ allowed: true, current: 10 });
      });

      it('admits exactly up to the limit under concurrent calls', async () => {
        const results = await Promise.all(Array.from({ length: 30 }, () => store.reserve(`${p}r`, 1, 10)));
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        expect(Number(await store.get(`${p}r`))).toBe(10);
      });

      it('works with increment on the same counter (corrections)', async () => {
        await store.reserve(`${p}r`, 8, 10);
        await store.increment(`${p}r`, -5);
        expect(await store.reserve(`${p}r`, 7, 10)).toMatchObject({ allowed: true, current: 10 });
      });
    });

    describe('sliding window', () => {
      it('admits up to the limit within one window, then denies with a retryAfterMs', async () => {
        for (let i = 0; i < 10; i++) {
          const r = await store.slidingWindow(`${p}w`, 1, 10, WINDOW, T0 + i);
          expect(r.allowed).toBe(true);
        }
        const denied = await store.slidingWindow(`${p}w`, 1, 10, WINDOW, T0 + 10);
        expect(denied.allowed).toBe(false);
        expect(denied.limit).toBe(10);
        expect(denied.remaining).toBe(0);
        expect(denied.retryAfterMs).toBeGreaterThan(0);
        expect(denied.retryAfterMs).toBeLessThanOrEqual(2 * WINDOW);
      });

      it('reports current and remaining after an admission', async () => {
        const r = await store.slidingWindow(`${p}w`, 4, 10, WINDOW, T0);
        expect(r).toMatchObject({ allowed: true, current: 4, limit: 10, remaining: 6, retryAfterMs: 0 });
      });

      it('retryAfterMs is honest: the same amount fits once that time has passed', async () => {
        await store.slidingWindow(`${p}w`, 7, 10, WINDOW, T0 + 200);
        await store.slidingWindow(`${p}w`, 3, 10, WINDOW, T0 + WINDOW + 100);
        const at = T0 + WINDOW + 300;
        const denied = await store.slidingWindow(`${p}w`, 4, 10, WINDOW, at);
        expect(denied.allowed).toBe(false);
        const later = await store.slidingWindow(`${p}w`, 4, 10, WINDOW, at + denied.retryAfterMs);
        expect(later.allowed).toBe(true);
      });

      it('frees the window as time slides: half after 1.5 windows, all after 2', async () => {
        await store.slidingWindow(`${p}w`, 10, 10, WINDOW, T0);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 1.5 * WINDOW)).toBeLessThanOrEqual(5);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 2 * WINDOW)).toBe(0);
        expect((await store.slidingWindow(`${p}w`, 10, 10, WINDOW, T0 + 2 * WINDOW)).allowed).toBe(true);
      });

      it('a denied call records nothing', async () => {
        await store.slidingWindow(`${p}w`, 8, 10, WINDOW, T0);
        expect((await store.slidingWindow(`${p}w`, 5, 10, WINDOW, T0 + 1)).allowed).toBe(false);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 2)).toBe(8);
        expect((await store.slidingWindow(`${p}w`, 2, 10, WINDOW, T0 + 3)).allowed).toBe(true);
      });

      it('never admits an amount larger than the limit', async () => {
        const r = await store.slidingWindow(`${p}w`, 11, 10, WINDOW, T0);
        expect(r.allowed).toBe(false);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0)).toBe(0);
      });

      it('peekWindow reads without recording', async () => {
        expect(await store.peekWindow(`${p}w`, WINDOW, T0)).toBe(0);
        await store.slidingWindow(`${p}w`, 3, 10, WINDOW, T0);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 1)).toBe(3);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 1)).toBe(3);
      });

      it('adjustWindow corrects an estimate up and down', async () => {
        await store.slidingWindow(`${p}w`, 5, 10, WINDOW, T0);
        await store.adjustWindow(`${p}w`, 4, WINDOW, T0 + 1);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 2)).toBe(9);
        expect((await store.slidingWindow(`${p}w`, 2, 10, WINDOW, T0 + 3)).allowed).toBe(false);
        await store.adjustWindow(`${p}w`, -6, WINDOW, T0 + 4);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 5)).toBe(3);
        expect((await store.slidingWindow(`${p}w`, 7, 10, WINDOW, T0 + 6)).allowed).toBe(true);
      });

      it('adjustWindow on an unused key creates the window', async () => {
        await store.adjustWindow(`${p}w`, 4, WINDOW, T0);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 1)).toBe(4);
      });

      it('keeps separate keys separate', async () => {
        await store.slidingWindow(`${p}w1`, 10, 10, WINDOW, T0);
        expect((await store.slidingWindow(`${p}w2`, 10, 10, WINDOW, T0)).allowed).toBe(true);
      });

      it('admits exactly up to the limit under concurrent calls', async () => {
        const results = await Promise.all(
          Array.from({ length: 30 }, () => store.slidingWindow(`${p}w`, 1, 10, WINDOW, T0 + 1)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        expect(await store.peekWindow(`${p}w`, WINDOW, T0 + 2)).toBe(10);
      });
    });

    describe('admit (several limits, all or nothing)', () => {
      const win = (key: string, amount: number, limit: number) =>
        ({ type: 'window', key: `${p}${key}`, amount, limit, windowMs: WINDOW }) as const;
      const capped = (key: string, amount: number, limitKey: string) =>
        ({ type: 'capped', key: `${p}${key}`, amount, limitKey: `${p}${limitKey}` }) as const;

      it('records every window when all admit, with per-check results', async () => {
        const r = await store.admit([win('rpm', 1, 5), win('tpm', 40, 100)], T0 + 10);
        expect(r.allowed).toBe(true);
        expect(r.refused).toBeUndefined();
        expect(r.results).toEqual([
          { allowed: true, current: 1, limit: 5, remaining: 4, retryAfterMs: 0 },
          { allowed: true, current: 40, limit: 100, remaining: 60, retryAfterMs: 0 },
        ]);
        expect(await store.peekWindow(`${p}rpm`, WINDOW, T0 + 10)).toBe(1);
        expect(await store.peekWindow(`${p}tpm`, WINDOW, T0 + 10)).toBe(40);
      });

      it('records nothing when a later check refuses, and says which one and for how long', async () => {
        await store.slidingWindow(`${p}tpm`, 90, 100, WINDOW, T0 + 10);
        const r = await store.admit([win('rpm', 1, 5), win('tpm', 20, 100)], T0 + 10);
        expect(r.allowed).toBe(false);
        expect(r.refused).toBe(1);
        expect(r.results[1]).toMatchObject({ allowed: false, current: 90, limit: 100, remaining: 10 });
        expect(r.results[1]?.retryAfterMs).toBeGreaterThan(0);
        expect(r.results[0]).toBeUndefined();
        expect(await store.peekWindow(`${p}rpm`, WINDOW, T0 + 10)).toBe(0);
        expect(await store.peekWindow(`${p}tpm`, WINDOW, T0 + 10)).toBe(90);
      });

      it('skips a capped check whose limit key is absent, without creating its counter', async () => {
        const r = await store.admit([capped('used', 1, 'cap'), win('rpm', 1, 5)], T0 + 10);
        expect(r.allowed).toBe(true);
        expect(r.results[0]).toBeUndefined();
        expect(r.results[1]).toMatchObject({ allowed: true, current: 1 });
        expect(await store.get(`${p}used`)).toBeUndefined();
      });

      it('caps a counter by the number at the limit key, expiring with it', async () => {
        await store.set(`${p}cap`, '2', { ttlMs: TTL });
        for (const expected of [1, 2]) {
          const r = await store.admit([capped('used', 1, 'cap'), win('rpm', 1, 100)], T0 + 10);
          expect(r.results[0]).toEqual({
            allowed: true,
            current: expected,
            limit: 2,
            remaining: 2 - expected,
            retryAfterMs: 0,
          });
        }
        const refused = await store.admit([capped('used', 1, 'cap'), win('rpm', 1, 100)], T0 + 10);
        expect(refused).toMatchObject({ allowed: false, refused: 0 });
        expect(refused.results[0]).toMatchObject({ allowed: false, current: 2, limit: 2, remaining: 0 });
        expect(refused.results[0]?.retryAfterMs).toBeGreaterThan(0);
        expect(refused.results[0]?.retryAfterMs).toBeLessThanOrEqual(TTL);
        expect(await store.peekWindow(`${p}rpm`, WINDOW, T0 + 10)).toBe(2);
        expect(await store.get(`${p}used`)).toBe('2');
        await clock.advance(TTL + 50);
        expect(await store.get(`${p}cap`)).toBeUndefined();
        expect(await store.get(`${p}used`)).toBeUndefined();
        expect((await store.admit([capped('used', 1, 'cap')], T0 + 10)).allowed).toBe(true);
      });

      it('admits exactly up to the tightest limit under concurrent calls', async () => {
        const results = await Promise.all(
          Array.from({ length: 30 }, () => store.admit([win('rpm', 1, 10), win('tpm', 10, 70)], T0 + 1)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(7);
        expect(await store.peekWindow(`${p}rpm`, WINDOW, T0 + 2)).toBe(7);
        expect(await store.peekWindow(`${p}tpm`, WINDOW, T0 + 2)).toBe(70);
      });
    });
  });
}
