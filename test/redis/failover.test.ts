/**
 * Redis goes away mid-run: calls keep working on local state with exactly one warning, and when
 * Redis returns the counters equal the true totals (nothing lost, nothing counted twice). Three ways
 * to lose it: the server shuts down (and restarts with its saved data), the server stalls past the
 * command timeout (`CLIENT PAUSE`), and the connection is killed with calls in flight (`CLIENT KILL`).
 */

import { RedisStore } from '@switchboard/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from './redis-server.ts';

const T0 = 1_700_000_000_000;
const WINDOW = 3_600_000;

function recorder() {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    logger: { warn: (m: string) => warnings.push(m), info: (m: string) => infos.push(m) },
  };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One round of counter traffic: returns what was admitted/added (the truth). */
async function traffic(store: RedisStore, p: string, n: number) {
  let added = 0;
  let reserved = 0;
  let admitted = 0;
  let admits = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await store.increment(`${p}count`, 1, { ttlMs: 600_000 });
      added++;
      const r = await store.reserve(`${p}budget`, 0.25, 1_000_000, { ttlMs: 600_000 });
      if (r.allowed) reserved += 0.25;
      const w = await store.slidingWindow(`${p}rpm`, 1, 1_000_000, WINDOW, T0 + i);
      if (w.allowed) admitted++;
      await store.adjustWindow(`${p}tpm`, 2, WINDOW, T0 + i);
      // The rate limiter's one-step admission: a window and a (here uncapped) server-cap counter.
      const m = await store.admit(
        [
          { type: 'capped', key: `${p}capused`, amount: 1, limitKey: `${p}cap` },
          { type: 'window', key: `${p}adm`, amount: 1, limit: 1_000_000, windowMs: WINDOW },
        ],
        T0 + i,
      );
      if (m.allowed) admits++;
    }),
  );
  return { added, reserved, admitted, tokens: 2 * n, admits };
}

describe('RedisStore failover', () => {
  let server: RedisServer;
  let store: RedisStore | undefined;
  beforeAll(() => {
    server = startRedisServer();
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function truth(p: string) {
    const check = new RedisStore({ url: server.url, failover: false, commandTimeoutMs: 5000 });
    try {
      return {
        count: Number(await check.get(`${p}count`)),
        budget: Number(await check.get(`${p}budget`)),
        rpm: await check.peekWindow(`${p}rpm`, WINDOW, T0 + 100),
        tpm: await check.peekWindow(`${p}tpm`, WINDOW, T0 + 100),
        adm: await check.peekWindow(`${p}adm`, WINDOW, T0 + 100),
      };
    } finally {
      await check.close();
    }
  }

  function makeStore(log: ReturnType<typeof recorder>) {
    return new RedisStore({
      url: server.url,
      logger: log.logger,
      commandTimeoutMs: 200,
      probeIntervalMs: 50,
      redisOptions: { retryStrategy: () => 50 },
    });
  }

  it('server shuts down and restarts: local meanwhile, one warning, exact totals after', async () => {
    const log = recorder();
    store = makeStore(log);
    const p = `fo1:${Date.now()}:`;
    const a = await traffic(store, p, 30);
    expect(store.mode).toBe('redis');

    server.shutdown();
    await until(() => store?.mode === 'local');
    const b = await traffic(store, p, 40); // all served locally
    const c = await traffic(store, p, 10);
    expect(store.mode).toBe('local');
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/Redis is unavailable/);

    server.restart();
    await until(() => store?.mode === 'redis');
    const d = await traffic(store, p, 20);

    const total = [a, b, c, d].reduce((x, y) => ({
      added: x.added + y.added,
      reserved: x.reserved + y.reserved,
      admitted: x.admitted + y.admitted,
      tokens: x.tokens + y.tokens,
      admits: x.admits + y.admits,
    }));
    expect(await truth(p)).toEqual({
      count: total.added,
      budget: total.reserved,
      rpm: total.admitted,
      tpm: total.tokens,
      adm: total.admits,
    });
    expect(total.added).toBe(100);
    expect(log.warnings).toHaveLength(1);
    expect(log.infos).toHaveLength(1);
  });

  it('server stalls past the timeout with calls in flight (CLIENT PAUSE): exact totals after', async () => {
    const log = recorder();
    store = makeStore(log);
    const p = `fo2:${Date.now()}:`;
    await store.increment(`${p}count`, 0); // connected
    const pauser = new RedisStore({ url: server.url, failover: false });
    await pauser.client.call('CLIENT', 'PAUSE', '600', 'ALL');
    // 50 rounds sent into the stalled server: they time out, are served locally, and run on Redis
    // once the pause ends. Which of them reached Redis is resolved exactly on recovery.
    const a = await traffic(store, p, 50);
    expect(store.mode).toBe('local');
    const b = await traffic(store, p, 25);
    await until(() => store?.mode === 'redis');
    const c = await traffic(store, p, 25);
    expect(await truth(p)).toEqual({
      count: a.added + b.added + c.added,
      budget: a.reserved + b.reserved + c.reserved,
      rpm: a.admitted + b.admitted + c.admitted,
      tpm: a.tokens + b.tokens + c.tokens,
      adm: a.admits + b.admits + c.admits,
    });
    expect(log.warnings).toHaveLength(1);
    expect(log.infos).toHaveLength(1);
    await pauser.close();
  });

  it('connection killed with calls in flight (CLIENT KILL): exact totals after', async () => {
    const log = recorder();
    store = makeStore(log);
    const p = `fo3:${Date.now()}:`;
    await store.increment(`${p}count`, 0);
    const killer = new RedisStore({ url: server.url, failover: false });
    const inFlight = traffic(store, p, 200);
    await new Promise((r) => setTimeout(r, 2));
    await killer.client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    const a = await inFlight;
    await until(() => store?.mode === 'redis');
    const b = await traffic(store, p, 10);
    // The kill can land after the in-flight calls have finished: the store then learns of the
    // closed connection during `b`, serves part of it locally and replays it once Redis is back.
    // The totals are exact once the store is back on Redis with nothing left to replay.
    await until(() => store?.mode === 'redis');
    expect(await store.flush()).toBe(true);
    expect(await truth(p)).toEqual({
      count: a.added + b.added,
      budget: a.reserved + b.reserved,
      rpm: a.admitted + b.admitted,
      tpm: a.tokens + b.tokens,
      adm: a.admits + b.admits,
    });
    expect(log.warnings.length).toBeLessThanOrEqual(1);
    await killer.close();
  });
});
