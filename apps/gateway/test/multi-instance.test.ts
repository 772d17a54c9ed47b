/**
 * Two gateway processes (the `switchboard-gateway` bin run from the sources) on one real
 * redis-server behave as one: a virtual key made through one is honoured by the other, its requests
 * per minute and its budget are one total across both, a circuit breaker opened by one is seen by the
 * other (which then sends nothing upstream), and when Redis goes away both keep serving on local
 * state and the spend recorded meanwhile is in Redis once it returns. Upstream is the loopback fault
 * server of the core fault tests; everything it received is counted here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetTracker } from '@switchboard/core';
import { createRedisStore } from '@switchboard/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../../../test/fault/fault-server.ts';
import { type RedisServer, ROOT, startRedisServer } from '../../../test/redis/redis-server.ts';

const BIN = join(ROOT, 'apps/gateway/src/bin.ts');
const HOOKS = join(ROOT, 'test/bench/source-hooks.ts');
const ADMIN = 'admin-multi-instance-0123456789';
const ENV = { GATEWAY_TEST_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop', GATEWAY_TEST_ADMIN_KEY: ADMIN };
const MODEL = 'openai/gpt-4o-mini';

let redis: RedisServer;
let upstream: FaultServer;
let configFile: string;
let instances: { a: string; b: string };
const children: ChildProcess[] = [];
/** Everything the gateway processes wrote to stderr (the Redis store's outage warning goes there). */
let logs = '';

/** Starts one gateway process; resolves with its URL once it prints its listening line. */
function startGateway(): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--import', HOOKS, BIN, '--port', '0', '--config', configFile],
    { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
    logs += data.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited ${code}: ${stderr}`)));
  });
}

interface Answer {
  status: number;
  message?: string;
  retryAfter: string | null;
  costUsd?: number;
}

async function chat(base: string, key: string): Promise<Answer> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  const body = (await response.json()) as { error?: { message: string }; cost?: { total_usd: number } | null };
  const cost = body.cost?.total_usd;
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    ...(body.error === undefined ? {} : { message: body.error.message }),
    ...(cost === undefined ? {} : { costUsd: cost }),
  };
}

async function createKey(base: string, settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await fetch(`${base}/api/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/** The key's spend as Redis holds it (a fresh connection, no failover). */
async function spentInRedis(id: string): Promise<number> {
  const store = createRedisStore({ url: redis.url, failover: false, commandTimeoutMs: 5000 });
  try {
    const tracker = new BudgetTracker({ store, limits: [{ key: `vk:${id}`, maxCostUsd: 1000, period: 'day' }] });
    const [status] = await tracker.status(`vk:${id}`);
    return status?.cost?.usedUsd ?? 0;
  } finally {
    await store.close();
  }
}

/** What the budget stage records for a cost: whole micro-dollars, rounded up. */
const micros = (usd: number) => Math.ceil(Math.round(usd * 1e9) / 1000);

beforeAll(async () => {
  redis = startRedisServer();
  upstream = await startFaultServer([{ type: 'ok', text: 'hello' }], { lifetimeMs: 600_000 });
  const directory = await mkdtemp(join(tmpdir(), 'gateway-multi-'));
  configFile = join(directory, 'gateway.yaml');
  await writeFile(
    configFile,
    [
      'providers:',
      '  openai:',
      '    apiKeyEnv: GATEWAY_TEST_OPENAI_KEY',
      `    baseURL: ${upstream.baseURL}`,
      `store: ${redis.url}`,
      'keys:',
      '  required: true',
      '  adminKeyEnv: GATEWAY_TEST_ADMIN_KEY',
      '',
    ].join('\n'),
  );
  const [a, b] = await Promise.all([startGateway(), startGateway()]);
  instances = { a, b };
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await upstream?.close();
  redis?.stop();
});

beforeEach(() => upstream.script([{ type: 'ok', text: 'hello' }]));
afterEach(() => upstream.script([{ type: 'ok', text: 'hello' }]));

describe('two gateway processes on one Redis', () => {
  it('honour a key made through either, and its requests per minute as one total', async () => {
    const { a, b } = instances;
    const { key } = await createKey(b, { rpm: 4 });
    const statuses = [];
    for (const base of [a, b, a, b]) statuses.push((await chat(base, key)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const sent = upstream.requests.length;
    for (const base of [a, b]) {
      const limited = await chat(base, key);
      expect(limited.status).toBe(429);
      expect(limited.message).toMatch(/4 requests per minute/);
      expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(upstream.requests.length).toBe(sent);
  });

  it('spend one budget: calls on both stop at the key budget, and both refuse with the reason', async () => {
    const { a, b } = instances;
    const probe = await chat(a, (await createKey(a, {})).key);
    const cost = probe.costUsd as number;
    expect(cost).toBeGreaterThan(0);
    // Two and a half calls' worth; each process alone would let about three through.
    const { key, id } = await createKey(a, { budget: `${(cost * 2.5).toFixed(9)}/day` });
    let admitted = 0;
    let refusal: Answer | undefined;
    for (let i = 0; i < 8 && refusal === undefined; i += 1) {
      const answer = await chat(i % 2 === 0 ? a : b, key);
      if (answer.status === 200) admitted += 1;
      else refusal = answer;
    }
    expect(admitted).toBeGreaterThanOrEqual(2);
    expect(admitted).toBeLessThanOrEqual(3);
    expect(refusal?.status).toBe(429);
    expect(refusal?.message).toMatch(new RegExp(`vk:${id}|virtual key ${id}`));
    const sent = upstream.requests.length;
    for (const base of [a, b]) expect((await chat(base, key)).status).toBe(429);
    expect(upstream.requests.length).toBe(sent);
    expect(await spentInRedis(id)).toBeGreaterThanOrEqual(cost * 2);
  });

  it('keep serving when Redis goes away, and the spend made meanwhile is in Redis when it returns', async () => {
    const { a, b } = instances;
    const { key, id } = await createKey(a, { budget: '100/day', rpm: 1000 });
    let expected = 0;
    for (const base of [a, b]) {
      const answer = await chat(base, key);
      expect(answer.status).toBe(200);
      expected += micros(answer.costUsd as number);
    }
    await waitFor(async () => (await spentInRedis(id)) * 1e6 >= expected - 0.5);
    const logged = logs.length;
    redis.shutdown();
    for (const base of [a, b, a, b]) {
      const answer = await chat(base, key);
      expect(answer.status).toBe(200);
      expected += micros(answer.costUsd as number);
    }
    // Both processes noticed: each logged the Redis store's one outage warning (stderr arrives a little later).
    const warnings = () => logs.slice(logged).match(/Redis is unavailable; using local in-process state/g)?.length ?? 0;
    await waitFor(async () => warnings() === 2);
    redis.restart();
    // Each process replays what it counted locally once it sees Redis again (probe every second).
    await waitFor(async () => Math.round((await spentInRedis(id)) * 1e6) === expected, 15_000);
    expect(Math.round((await spentInRedis(id)) * 1e6)).toBe(expected);
    // And the key still works on both, back on Redis.
    for (const base of [a, b]) expect((await chat(base, key)).status).toBe(200);
  });
  // Last: the open breaker stays open for its cooldown.
  it('see one circuit breaker: opened by failures through A, B refuses without calling upstream', async () => {
    const { a, b } = instances;
    const { key } = await createKey(a, {});
    upstream.script([{ type: 'status', status: 500, headers: { 'retry-after': '0' } }]);
    let opened: Answer | undefined;
    for (let i = 0; i < 10 && opened === undefined; i += 1) {
      const answer = await chat(a, key);
      expect(answer.status).toBeGreaterThanOrEqual(500);
      if (/circuit|breaker/i.test(answer.message ?? '')) opened = answer;
    }
    expect(opened).toBeDefined();
    const sent = upstream.requests.length;
    // B trusts a closed breaker it read within the last closedCacheMs (1 s by default) without asking
    // Redis; past that it reads the open state A wrote.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await chat(b, key);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.message).toMatch(/circuit|breaker/i);
    expect(upstream.requests.length).toBe(sent);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Redis not back yet.
    }
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
