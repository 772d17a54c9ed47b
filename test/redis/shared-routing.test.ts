/**
 * Routing state shared through Redis by two separate Node processes (`child_process.fork`), each
 * with its own `createSwitchboard` and one round-robin model group over two loopback servers (openai
 * and groq deployments). With the state in Redis the group's turn is global: calls alternate across
 * both processes as if one process made them all. Per-process turns would send each process's first
 * call to the same deployment, which these counts tell apart. The servers live in this (the test)
 * process, so the counts are what really arrived.
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
  error?: { name?: string; kind?: string; message?: string };
}

/** One child process running a switchboard, driven over IPC (see worker.ts). */
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

  chat(): Promise<ChatResult> {
    return this.call('chat', { model: 'g' });
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

async function server(text: string): Promise<FaultServer> {
  const s = await startFaultServer([{ type: 'ok', text }]);
  servers.push(s);
  return s;
}

const chats = (s: FaultServer) => s.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

/** Two processes on one Redis namespace, each with group `g`: openai on `first`, groq on `second`. */
async function pair(strategy: string): Promise<{ a: Proc; b: Proc; first: FaultServer; second: FaultServer }> {
  const [first, second] = [await server('first'), await server('second')];
  const prefix = `route:${Math.random().toString(36).slice(2)}:`;
  const options = {
    modelGroups: {
      g: {
        strategy,
        deployments: [
          { id: 'o', model: 'openai/gpt-4o-mini' },
          { id: 'q', model: 'groq/llama-3.1-8b-instant' },
        ],
      },
    },
  };
  const [a, b] = await Promise.all([spawn(), spawn()]);
  const init = { redisUrl: url(), prefix, baseURL: first.baseURL, backupURL: second.baseURL, options };
  await Promise.all([a.call('init', init), b.call('init', init)]);
  return { a, b, first, second };
}

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.call('close').catch(() => p.child.kill())));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('two Node processes with one round-robin model group on one Redis', () => {
  it('alternate deployments globally: 10 calls taking turns between the processes split 5/5, A on one and B on the other', async () => {
    const { a, b, first, second } = await pair('round-robin');
    const answers: Record<string, string[]> = { a: [], b: [] };
    for (let i = 0; i < 10; i += 1) {
      const [name, proc] = i % 2 === 0 ? (['a', a] as const) : (['b', b] as const);
      const result = await proc.chat();
      expect(result.ok).toBe(true);
      answers[name]?.push(result.text as string);
    }
    // One global turn: A always gets turns 0, 2, 4, ... (first), B turns 1, 3, 5, ... (second).
    // Per-process turns would give each process first, second, first, ... (6/4 in total).
    expect(answers.a).toEqual(['first', 'first', 'first', 'first', 'first']);
    expect(answers.b).toEqual(['second', 'second', 'second', 'second', 'second']);
    expect([chats(first), chats(second)]).toEqual([5, 5]);
  });

  it('split concurrent calls evenly: 3 at once in each process, 3/3 in total', async () => {
    const { a, b, first, second } = await pair('round-robin');
    const startAt = Date.now() + 300;
    const results = (
      await Promise.all([
        a.call<ChatResult[]>('chatMany', { n: 3, startAt, request: { model: 'g' } }),
        b.call<ChatResult[]>('chatMany', { n: 3, startAt, request: { model: 'g' } }),
      ])
    ).flat();
    expect(results.every((result) => result.ok)).toBe(true);
    // Per-process turns would send 2 of each process's 3 calls to the first deployment (4/2).
    expect([chats(first), chats(second)]).toEqual([3, 3]);
  });

  it('share latency averages: B knows both deployments after A measured them', async () => {
    const { a, b } = await pair('latency-weighted');
    // A's first two calls go to the two unmeasured deployments in turn.
    expect((await a.chat()).ok).toBe(true);
    expect((await a.chat()).ok).toBe(true);
    // The averages are written to Redis in the background after each call: wait until both are there.
    const stored = async () =>
      Promise.all(['o', 'q'].map((id) => a.call<string | null>('storeGet', `sb:route:g:latency:${id}`)));
    for (let i = 0; i < 100 && (await stored()).includes(null); i += 1) await new Promise((r) => setTimeout(r, 10));
    expect((await stored()).every((value) => value !== null && Number(value) > 0)).toBe(true);
    // B's first call reads both averages while it claims its turn; alone it could know only the one it called.
    expect((await b.chat()).ok).toBe(true);
    const rows = await b.call<{ deployment: string; latencyMs?: number }[]>('routingStats');
    expect(rows.map((row) => row.deployment)).toEqual(['o', 'q']);
    expect(rows.every((row) => typeof row.latencyMs === 'number' && row.latencyMs > 0)).toBe(true);
  });
});
