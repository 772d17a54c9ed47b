/**
 * Two separate Node processes (`child_process.fork`, not workers), each with its own
 * `createSwitchboard({ providers: [createOpenAI({ baseURL: <loopback fault server> })], store:
 * createRedisStore({ url }) })` on one real redis-server: they respect one combined rate limit, see
 * one circuit-breaker state, share one response cache and one budget. The fault servers live in this
 * (the test) process, so every assertion about "no request was sent" counts what really arrived.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.ts';
import { ROOT, useRedisUrl } from './redis-server.ts';

const url = useRedisUrl();
const HOOKS = join(ROOT, 'test/bench/source-hooks.ts');
const WORKER = join(ROOT, 'test/redis/worker.ts');

interface ChatResult {
  ok: boolean;
  text?: string;
  cached?: boolean;
  model?: string;
  attempts?: { provider: string; error?: string }[];
  tokens?: number;
  error?: { name?: string; kind?: string; code?: string; breaker?: string; message?: string };
}

/** One child process running a switchboard, driven over IPC. */
class Proc {
  #next = 0;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly ready: Promise<number>;

  constructor(readonly child: ChildProcess) {
    let started: (pid: number) => void = () => undefined;
    this.ready = new Promise((resolve) => {
      started = resolve;
    });
    child.on('message', (message: { id?: number; ready?: number; result?: unknown; error?: string }) => {
      if (message.ready !== undefined) return started(message.ready);
      const pending = this.#pending.get(message.id as number);
      this.#pending.delete(message.id as number);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`worker exited with ${code}`));
      this.#pending.clear();
    });
  }

  call<T = unknown>(op: string, args?: unknown): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('worker is gone'));
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  chat(request: Record<string, unknown> = {}): Promise<ChatResult> {
    return this.call('chat', request);
  }
}

const procs: Proc[] = [];
const servers: FaultServer[] = [];

async function spawn(): Promise<Proc> {
  const child = fork(WORKER, [], {
    cwd: ROOT,
    execArgv: ['--disable-warning=ExperimentalWarning', '--import', HOOKS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const proc = new Proc(child);
  procs.push(proc);
  await proc.ready;
  return proc;
}

/** Two processes with the same switchboard options on the same Redis namespace. */
async function pair(
  baseURL: string,
  options: Record<string, unknown>,
  backupURL?: string,
): Promise<[Proc, Proc, number[]]> {
  const prefix = `mp:${Math.random().toString(36).slice(2)}:`;
  const [a, b] = await Promise.all([spawn(), spawn()]);
  const init = { redisUrl: url(), prefix, baseURL, backupURL, options };
  const pids = await Promise.all([a.call<{ pid: number }>('init', init), b.call<{ pid: number }>('init', init)]);
  return [a, b, pids.map((p) => p.pid)];
}

async function server(...faults: Parameters<typeof startFaultServer>[0]): Promise<FaultServer> {
  const s = await startFaultServer(faults);
  servers.push(s);
  return s;
}

const chats = (s: FaultServer) => s.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.call('close').catch(() => p.child.kill())));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('two Node processes, each with createSwitchboard on one Redis', () => {
  it('respect one combined rate limit: 12 requests/min, 10 concurrent calls each, exactly 12 sent', async () => {
    const ok = await server({ type: 'ok' });
    const [a, b, [pidA, pidB]] = await pair(ok.baseURL, {
      rateLimit: { providers: { openai: { rpm: 12, tpm: 1e9 } }, policy: 'fail' },
    });
    expect(pidA).not.toBe(pidB);
    const startAt = Date.now() + 300;
    const [ra, rb] = await Promise.all([
      a.call<ChatResult[]>('chatMany', { n: 10, startAt }),
      b.call<ChatResult[]>('chatMany', { n: 10, startAt }),
    ]);
    const admitted = [ra, rb].map((results) => results.filter((r) => r.ok).length) as [number, number];
    expect(admitted[0] + admitted[1]).toBe(12);
    // The limit really was shared concurrently, not used up by one process before the other ran.
    expect(admitted[0]).toBeGreaterThan(0);
    expect(admitted[1]).toBeGreaterThan(0);
    expect(chats(ok)).toBe(12);
    for (const refused of [...ra, ...rb].filter((r) => !r.ok))
      expect(refused.error).toMatchObject({ name: 'RateLimitError', code: 'local_rate_limit' });
    // Both report the one shared window.
    const statuses = await Promise.all(
      [a, b].map((p) => p.call<{ requests: { current: number } }>('rateLimitStatus', 'openai')),
    );
    for (const status of statuses) expect(Math.round(status.requests.current)).toBe(12);
    // A local refusal is not a provider failure: the breaker stayed closed.
    expect(await a.call('breakerStatus', { provider: 'openai' })).toMatchObject({ state: 'closed' });
  });

  it('see one breaker: A opens it, B is refused without a request, falls back, and both see half-open then closed', async () => {
    const failing = await server({ type: 'ok', text: 'fine' });
    const backup = await server({ type: 'ok', text: 'from the backup' });
    const [a, b] = await pair(
      failing.baseURL,
      { breaker: { failureThreshold: 3, cooldownMs: 30_000, halfOpenMaxCalls: 1, closedCacheMs: 1000 } },
      backup.baseURL,
    );
    // B's call succeeds: B now trusts the closed breaker for closedCacheMs without reading Redis.
    expect(await b.chat()).toMatchObject({ ok: true, text: 'fine' });
    failing.script([{ type: 'status', status: 500 }]);
    // A's three failures open the breaker.
    const failures = await a.call<ChatResult[]>('chatMany', { n: 3, sequential: true });
    for (const failure of failures) expect(failure.error).toMatchObject({ kind: 'provider' });
    expect(chats(failing)).toBe(4);
    for (const p of [a, b])
      expect(await p.call('breakerStatus', { provider: 'openai' })).toMatchObject({ state: 'open', failures: 3 });
    // Once B's snapshot is older than closedCacheMs (both clocks move alike), B reads the open breaker.
    await Promise.all([a.call('advance', 1000), b.call('advance', 1000)]);

    // B never sent anything, yet is refused at once: no request reaches the failing server.
    const refused = await b.chat();
    expect(refused.error).toMatchObject({ name: 'CircuitOpenError', breaker: 'openai' });
    // With a fallback, B is served by the other provider, still without touching the failing one.
    const served = await b.chat({ fallback: ['groq/llama-3.1-8b-instant'] });
    expect(served).toMatchObject({ ok: true, text: 'from the backup' });
    expect(served.attempts?.[0]).toMatchObject({ provider: 'openai', error: 'provider' });
    expect(chats(failing)).toBe(4);
    expect(chats(backup)).toBe(1);

    // The cool-down passes (both processes' clocks move alike) and the provider recovers, slowly:
    // B's call is the one trial; while it runs, A sees the breaker half-open and is refused.
    await Promise.all([a.call('advance', 29_000), b.call('advance', 29_000)]);
    failing.script([{ type: 'ok', text: 'recovered', delayMs: 600 }]);
    const trial = b.chat();
    await waitFor(
      async () => (await a.call<{ state: string }>('breakerStatus', { provider: 'openai' })).state === 'half-open',
    );
    expect(await b.call('breakerStatus', { provider: 'openai' })).toMatchObject({ state: 'half-open' });
    expect((await a.chat()).error).toMatchObject({ name: 'CircuitOpenError' });
    expect(await trial).toMatchObject({ ok: true, text: 'recovered' });
    expect(chats(failing)).toBe(5);
    // The trial's success closed it for both.
    for (const p of [a, b])
      expect(await p.call('breakerStatus', { provider: 'openai' })).toMatchObject({ state: 'closed' });
    expect(await a.chat()).toMatchObject({ ok: true, text: 'recovered' });
    expect(chats(failing)).toBe(6);
  });

  it('share one cache: A`s response is a cache hit in B, and the server saw one request', async () => {
    const ok = await server({ type: 'ok', text: 'hello from process A' });
    const [a, b] = await pair(ok.baseURL, {});
    const first = await a.chat({ cache: true });
    expect(first).toMatchObject({ ok: true, cached: false, text: 'hello from process A' });
    const hit = await b.chat({ cache: true });
    expect(hit).toMatchObject({ ok: true, cached: true, text: 'hello from process A' });
    expect(chats(ok)).toBe(1);
    // A different request is a miss in both.
    expect(await b.chat({ cache: true, messages: [{ role: 'user', content: 'Other' }] })).toMatchObject({
      cached: false,
    });
    expect(chats(ok)).toBe(2);
  });

  it('share one budget: combined spend never exceeds the limit', async () => {
    const ok = await server({ type: 'ok' }); // every answer uses 12 tokens
    const LIMIT = 100;
    const [a, b] = await pair(ok.baseURL, { budgets: [{ tag: 'team', maxTokens: LIMIT, period: 'day' }] });
    // Each call reserves its estimate (its input plus maxTokens 12) and is corrected to the real 12.
    const request = { tags: ['team'], maxTokens: 12 };
    const startAt = Date.now() + 300;
    const [ra, rb] = await Promise.all([
      a.call<ChatResult[]>('chatMany', { n: 10, request, startAt, sequential: true }),
      b.call<ChatResult[]>('chatMany', { n: 10, request, startAt, sequential: true }),
    ]);
    const all = [...ra, ...rb];
    const served = all.filter((r) => r.ok);
    expect(served.length).toBe(chats(ok));
    const spent = served.reduce((sum, r) => sum + (r.tokens ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(LIMIT);
    expect(served.length).toBeGreaterThanOrEqual(5);
    for (const refused of all.filter((r) => !r.ok))
      expect(refused.error).toMatchObject({ name: 'BudgetExceededError' });
    expect(ra.some((r) => !r.ok) && rb.some((r) => !r.ok)).toBe(true);
    // Both see the one budget, recorded from the real usage.
    await waitFor(async () => {
      const statuses = await Promise.all(
        [a, b].map((p) => p.call<{ tokens?: { used: number } }[]>('budgetStatus', { tags: ['team'] })),
      );
      return statuses.every((status) => status[0]?.tokens?.used === spent);
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
