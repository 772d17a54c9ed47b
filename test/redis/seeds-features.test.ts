/**
 * Issue 16's cross-process parts, with two separate Node processes (`child_process.fork`), each with
 * `createSwitchboard` on one real redis-server: a stream cut in A is resumed by its recoveryId in B;
 * a breaker opened or reset by hand in one is what the other sees; both report one request history.
 * The loopback server lives in this (the test) process, so what was sent is counted where it arrived.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { TelemetryHistory } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.ts';
import { ROOT, useRedisUrl } from './redis-server.ts';

const url = useRedisUrl();
const HOOKS = join(ROOT, 'test/bench/source-hooks.ts');
const WORKER = join(ROOT, 'test/redis/seeds-worker.ts');

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

async function pair(baseURL: string, options: Record<string, unknown> = {}): Promise<[Proc, Proc]> {
  const prefix = `seeds:${Math.random().toString(36).slice(2)}:`;
  const [a, b] = await Promise.all([spawn(), spawn()]);
  const init = { redisUrl: url(), prefix, baseURL, options };
  const pids = await Promise.all([a.call<{ pid: number }>('init', init), b.call<{ pid: number }>('init', init)]);
  expect(pids[0]?.pid).not.toBe(pids[1]?.pid);
  return [a, b];
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

interface StreamResult {
  recoveryId?: string;
  text: string;
  ok: boolean;
  error?: { kind?: string };
}
interface ResumeResult {
  ok: boolean;
  kept?: string;
  shown?: string;
  text?: string;
  error?: { name?: string; message?: string };
}

describe('two processes on one Redis: issue 16', () => {
  it('a stream cut in A is resumed by its recoveryId in B', async () => {
    const s = await server(
      { type: 'cut', chunks: ['Chapter one. ', 'Chapter two ', 'lost'], cutAfter: 2 },
      { type: 'ok', chunks: ['continues ', 'in B.'] },
    );
    const [a, b] = await pair(s.baseURL);
    const cut = await a.call<StreamResult>('stream');
    expect(cut).toMatchObject({ ok: false, text: 'Chapter one. Chapter two ', error: { kind: 'network' } });
    const resumed = await b.call<ResumeResult>('resume', { recoveryId: cut.recoveryId });
    expect(resumed).toEqual({
      ok: true,
      kept: 'Chapter one. Chapter two ',
      shown: 'continues in B.',
      text: 'Chapter one. Chapter two continues in B.',
    });
    expect(chats(s)).toBe(2);
    // Finished in B: A finds nothing left to resume.
    const again = await a.call<ResumeResult>('resume', { recoveryId: cut.recoveryId });
    expect(again).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
  });

  it('a breaker opened by hand in A refuses B without a request; reset in B lets A through', async () => {
    const s = await server({ type: 'ok', text: 'fine' });
    const [a, b] = await pair(s.baseURL, { breaker: { closedCacheMs: 0, cooldownMs: 60_000 } });
    expect(await b.call('chat')).toMatchObject({ ok: true });
    expect(await a.call('openBreaker', { provider: 'openai', forMs: 60_000 })).toMatchObject({
      state: 'open',
      manual: true,
    });
    expect(await b.call('breakerStatus', { provider: 'openai' })).toMatchObject({ state: 'open', manual: true });
    expect(await b.call('chat')).toMatchObject({ ok: false, error: { name: 'CircuitOpenError' } });
    expect(await a.call('chat')).toMatchObject({ ok: false, error: { name: 'CircuitOpenError' } });
    expect(chats(s)).toBe(1);
    expect(await b.call('resetBreaker', { provider: 'openai' })).toMatchObject({ state: 'closed' });
    expect(await a.call('chat')).toMatchObject({ ok: true, text: 'fine' });
    expect(chats(s)).toBe(2);
    // Each control is an event in the process that made it.
    expect(await a.call('breakerEvents')).toEqual([
      { key: 'openai', to: 'open', reason: 'opened by hand for 60000 ms' },
    ]);
    expect(await b.call('breakerEvents')).toEqual([{ key: 'openai', to: 'closed', reason: 'reset by hand' }]);
  });

  it('both report one request history', async () => {
    const s = await server({ type: 'ok' }, { type: 'status', status: 500 }, { type: 'ok' });
    const [a, b] = await pair(s.baseURL, {
      telemetry: { tracer: false, metrics: false, history: { flushMs: 60_000 } },
      breaker: false,
    });
    await a.call('chat');
    await a.call('chat');
    await b.call('chat');
    // Each process's sums reach the store on its flush (every flushMs, or now): both flush before
    // either reads, so neither read races the other's flush.
    await a.call('flushHistory');
    await b.call('flushHistory');
    const [fromA, fromB] = await Promise.all([
      a.call<TelemetryHistory>('history', { hours: 1 }),
      b.call<TelemetryHistory>('history', { hours: 1 }),
    ]);
    expect(fromA.source).toBe('store');
    const total = (history: TelemetryHistory) =>
      history.points.reduce(
        (sum, point) => ({ requests: sum.requests + point.requests, errors: sum.errors + point.errors }),
        { requests: 0, errors: 0 },
      );
    expect(total(fromA)).toEqual({ requests: 3, errors: 1 });
    expect(total(fromB)).toEqual({ requests: 3, errors: 1 });
  });
});
