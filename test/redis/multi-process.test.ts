/**
 * Two separate Node processes (child `node` processes, not workers) sharing one real Redis through
 * RedisStore: one combined rate limit, one breaker state, one cache, one budget.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, useRedisUrl } from './redis-server.ts';

const run = promisify(execFile);
const url = useRedisUrl();
const HOOKS = join(ROOT, 'test/bench/source-hooks.ts');
const WORKER = join(ROOT, 'test/redis/worker.ts');

async function worker(ns: string, task: string, startAt = 0): Promise<Record<string, unknown> & { pid: number }> {
  const { stdout } = await run(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', HOOKS, WORKER, url(), ns, task, String(startAt)],
    { cwd: ROOT, timeout: 30_000 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}

describe('two Node processes sharing one Redis', () => {
  it('respect one combined rate limit: 50 requests/min, 40 tries each, exactly 50 admitted', async () => {
    const ns = `rl${Date.now()}`;
    const startAt = Date.now() + 1500;
    const [a, b] = await Promise.all([worker(ns, 'ratelimit', startAt), worker(ns, 'ratelimit', startAt)]);
    expect(a.pid).not.toBe(b.pid);
    expect((a.admitted as number) + (b.admitted as number)).toBe(50);
    // Both got some: the limit really was shared concurrently, not used up by one before the other ran.
    expect(a.admitted).toBeGreaterThan(0);
    expect(b.admitted).toBeGreaterThan(0);
  });

  it('share one budget: combined spend never exceeds the limit', async () => {
    const ns = `bu${Date.now()}`;
    const startAt = Date.now() + 1500;
    const [a, b] = await Promise.all([worker(ns, 'budget', startAt), worker(ns, 'budget', startAt)]);
    const admitted = (a.admitted as number) + (b.admitted as number);
    expect(admitted).toBe(33); // floor(10 / 0.3)
    expect((a.spent as number) + (b.spent as number)).toBeLessThanOrEqual(10);
  });

  it('see one breaker state: one process records the failures that open it, the other sees it open', async () => {
    const ns = `cb${Date.now()}`;
    const a = await worker(ns, 'breaker-fail');
    const b = await worker(ns, 'breaker-read');
    expect(a.doc).toEqual({ state: 'open', failures: 5 });
    expect(b.doc).toEqual({ state: 'open', failures: 5 });
  });

  it('share one cache: one process writes, the other hits', async () => {
    const ns = `ca${Date.now()}`;
    const miss = await worker(ns, 'cache-read');
    expect(miss.cached).toBe(false);
    await worker(ns, 'cache-write');
    const hit = await worker(ns, 'cache-read');
    expect(hit).toMatchObject({ cached: true, text: 'hello from process A' });
  });
});
