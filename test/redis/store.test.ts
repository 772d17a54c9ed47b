/**
 * RedisStore on a real redis-server: core's shared Store contract suite (the same one the memory
 * store passes) plus Redis-specific behaviour (prefix, scripts, expiries, many keys for deletePrefix).
 */

import { RedisStore } from '@switchboard/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../support/store-contract.ts';
import { useRedisUrl } from './redis-server.ts';

const url = useRedisUrl();

// These tests are about Redis's behaviour, not failover (test/redis/failover.test.ts): a generous
// command timeout keeps a loaded CI machine from switching a store to its local fallback mid-test.
const SLOW_OK = { commandTimeoutMs: 10_000 };

describeStoreContract('RedisStore', () => new RedisStore({ url: url(), prefix: 'sbtest:', ...SLOW_OK }), {
  realTime: true,
});

describe('RedisStore on Redis', () => {
  let store: RedisStore;
  let raw: RedisStore['client'];
  const p = `rs:${Math.random().toString(36).slice(2)}:`;
  beforeAll(() => {
    store = new RedisStore({ url: url(), prefix: 'sbx:', ...SLOW_OK });
    raw = store.client.duplicate();
  });
  afterAll(async () => {
    await store.deletePrefix(p);
    await store.close();
    raw.disconnect();
  });

  it('namespaces every key with the prefix (default sb:)', async () => {
    await store.set(`${p}a`, '1');
    expect(await raw.get(`sbx:${p}a`)).toBe('1');
    const plain = new RedisStore({ url: url(), ...SLOW_OK });
    await plain.set(`${p}b`, '2');
    expect(await raw.get(`sb:${p}b`)).toBe('2');
    await plain.deletePrefix(p);
    await plain.close();
  });

  it('sets expiries: ttl on set, on counter creation, and two windows on window keys', async () => {
    await store.set(`${p}t`, 'x', { ttlMs: 60_000 });
    expect(await raw.pttl(`sbx:${p}t`)).toBeGreaterThan(59_000);
    await store.increment(`${p}n`, 1, { ttlMs: 30_000 });
    expect(await raw.pttl(`sbx:${p}n`)).toBeGreaterThan(29_000);
    await store.slidingWindow(`${p}w`, 1, 10, 60_000);
    const pttl = await raw.pttl(`sbx:${p}w`);
    expect(pttl).toBeGreaterThan(60_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
  });

  it('uses Redis TIME when no `now` is given (all processes agree)', async () => {
    const r = await store.slidingWindow(`${p}time`, 1, 5, 1000);
    expect(r.allowed).toBe(true);
    const [sec] = await raw.time();
    const fields = await raw.hkeys(`sbx:${p}time`);
    expect(Math.abs(Number(fields[0]) - Number(sec) * 1000)).toBeLessThan(3000);
  });

  it('keeps fractional counters exact (cost budgets)', async () => {
    await store.increment(`${p}f`, 0.1);
    expect(await store.increment(`${p}f`, 0.2)).toBe(0.1 + 0.2);
    const r = await store.reserve(`${p}cost`, 0.000123, 0.001);
    expect(r.current).toBe(0.000123);
  });

  it('deletePrefix removes thousands of keys in batches and escapes glob characters', async () => {
    await Promise.all(Array.from({ length: 2500 }, (_, i) => store.set(`${p}many:${i}`, 'v')));
    await store.set(`${p}glob*[x]:1`, 'v');
    await store.set(`${p}globX:1`, 'v');
    expect(await store.deletePrefix(`${p}glob*[x]`)).toBe(1);
    expect(await store.get(`${p}globX:1`)).toBe('v');
    expect(await store.deletePrefix(`${p}many:`)).toBe(2500);
  });

  it('is atomic under concurrency: 200 parallel reserves against a limit of 50 admit exactly 50', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, () => store.reserve(`${p}race`, 1, 50)));
    expect(results.filter((r) => r.allowed)).toHaveLength(50);
    const windows = await Promise.all(
      Array.from({ length: 200 }, () => store.slidingWindow(`${p}race-w`, 1, 50, 60_000)),
    );
    expect(windows.filter((r) => r.allowed)).toHaveLength(50);
  });

  it('accepts an existing ioredis client and leaves it open on close()', async () => {
    const client = raw.duplicate();
    const s = new RedisStore({ client, prefix: 'sbx:', ...SLOW_OK });
    await s.set(`${p}c`, 'ok');
    await s.close();
    expect(await client.get(`sbx:${p}c`)).toBe('ok');
    client.disconnect();
  });
});
