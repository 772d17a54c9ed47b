/**
 * Redis-backed rate limiter throughput on loopback: `RateLimiter.acquire` (requests and tokens per
 * minute plus the server-reported caps: one `Store.admit`, one Lua script) per second, with 1 and several concurrent
 * callers in one process, next to the same limiter on the in-process MemoryStore, same run. Also the
 * bare `store.slidingWindow` check. Uses `SWITCHBOARD_REDIS_URL` or starts a redis-server with
 * `scripts/redis.sh` (a real one, never a mock). Run: `node test/bench/run.ts redis`.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Store } from '@switchboard/core';
import { MemoryStore, RateLimiter } from '@switchboard/core';
import { RedisStore } from '@switchboard/redis';

const ROOT = resolve(import.meta.dirname, '../..');
const DURATION_MS = Number(process.env.BENCH_REDIS_MS ?? 2000);
const CONCURRENCY = [1, 8, 32];

async function throughput(check: () => Promise<unknown>, concurrency: number): Promise<number> {
  // Warm up (script load, JIT), then count completed checks for DURATION_MS.
  for (let i = 0; i < 200; i++) await check();
  let done = 0;
  const end = performance.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await check();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  let url = process.env.SWITCHBOARD_REDIS_URL;
  let dir: string | undefined;
  if (!url) {
    dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    url = execFileSync(resolve(ROOT, 'scripts/redis.sh'), ['start', dir], { encoding: 'utf8' }).trim();
  }
  const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).match(/v=(\S+)/)?.[1];
  const stores: Array<[string, () => Store]> = [
    ['MemoryStore', () => new MemoryStore()],
    ['RedisStore', () => new RedisStore({ url, prefix: `bench:${process.pid}:` })],
  ];
  const rows: string[] = [];
  try {
    for (const [name, make] of stores) {
      for (const c of CONCURRENCY) {
        const store = make();
        const limiter = new RateLimiter({
          store,
          providers: { mock: { rpm: 1e12, tpm: 1e15 } },
          policy: 'fail',
        });
        const acquire = await throughput(() => limiter.acquire({ provider: 'mock', estimatedTokens: 100 }), c);
        const window = await throughput(() => store.slidingWindow('bench:w', 1, 1e12, 60_000), c);
        rows.push(
          `| ${name} | ${c} | ${Math.round(acquire).toLocaleString('en-US')} | ${Math.round(window).toLocaleString('en-US')} |`,
        );
        await store.deletePrefix('');
        await store.close();
      }
    }
  } finally {
    if (dir) execFileSync(resolve(ROOT, 'scripts/redis.sh'), ['stop', dir]);
  }
  console.log(`\nRate limiter throughput (redis-server ${redisVersion} on 127.0.0.1, ${DURATION_MS} ms per cell)`);
  console.log('| store | concurrent callers | limiter.acquire / s (rpm + tpm) | store.slidingWindow / s |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}
