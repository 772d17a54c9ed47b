/**
 * The breaker's closed fast path: a breaker known closed with no failure is trusted for
 * `closedCacheMs` without store reads; failures are always recorded; other writers are seen once the
 * snapshot is older than `closedCacheMs`.
 */
import { describe, expect, it } from 'vitest';
import { abortedError, NetworkError } from '../errors/errors.js';
import type { CallTarget } from '../types/middleware.js';
import type { ChatResponse, StreamEvent } from '../types/requests.js';
import { breakerMiddleware, CircuitBreakers, DEFAULT_BREAKER_OPTIONS } from './breaker.js';
import type { Clock } from './clock.js';
import { deriveStream } from './middleware/derive-stream.js';
import { SwitchboardEvents } from './middleware/events.js';
import { MemoryStore } from './state/memory-store.js';

function setup(closedCacheMs = 1000) {
  let time = 1_700_000_000_000;
  const clock: Clock = { now: () => time, sleep: async () => undefined, random: () => 0 };
  const store = new MemoryStore({ now: () => time, sweepIntervalMs: false });
  let reads = 0;
  const get = store.get.bind(store);
  store.get = (key: string) => {
    reads += 1;
    return get(key);
  };
  const options = { ...DEFAULT_BREAKER_OPTIONS, failureThreshold: 2, closedCacheMs };
  const events = new SwitchboardEvents(undefined, undefined);
  const breakers = new CircuitBreakers(store, clock, events, () => options);
  // A second switchboard (another process) on the same store.
  const other = new CircuitBreakers(store, clock, events, () => options);
  const target = { provider: 'p', modelId: 'm', scope: 'p', ref: 'p/m' } as CallTarget;
  const stage = breakerMiddleware(breakers);
  const call = (outcome: () => Promise<unknown>) =>
    (stage.chat as NonNullable<typeof stage.chat>)({ request: {}, target } as never, outcome as never);
  return {
    store,
    breakers,
    other,
    target,
    call,
    reads: () => reads,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const ok = async () => ({ text: 'ok' });
const fail = async () => {
  throw new NetworkError('down');
};

describe('breaker closed fast path', () => {
  it('reads the store once, then trusts the closed breaker for closedCacheMs', async () => {
    const t = setup();
    await t.call(ok);
    const afterFirst = t.reads();
    expect(afterFirst).toBe(2); // provider and model breaker
    for (let i = 0; i < 20; i += 1) await t.call(ok);
    expect(t.reads()).toBe(afterFirst);
    t.advance(1000);
    await t.call(ok);
    expect(t.reads()).toBe(afterFirst + 2);
  });

  it('always records failures, and a failure ends the snapshot', async () => {
    const t = setup();
    await t.call(ok);
    await expect(t.call(fail)).rejects.toThrow('down');
    expect((await t.breakers.status('p')).failures).toBe(1);
    await expect(t.call(fail)).rejects.toThrow('down');
    expect((await t.breakers.status('p')).state).toBe('open');
    await expect(t.call(ok)).rejects.toMatchObject({ name: 'CircuitOpenError' });
  });

  it('sees a breaker opened by another writer once the snapshot is older than closedCacheMs', async () => {
    const t = setup(500);
    await t.call(ok);
    await t.other.forceOpen('p', 'opened elsewhere');
    await t.call(ok); // within the snapshot: still trusted closed
    t.advance(500);
    await expect(t.call(ok)).rejects.toMatchObject({ name: 'CircuitOpenError' });
  });

  it('closedCacheMs 0 reads the store on every call', async () => {
    const t = setup(0);
    for (let i = 0; i < 5; i += 1) await t.call(ok);
    expect(t.reads()).toBe(10);
  });
});

describe('the caller abort and the breaker', () => {
  it('an aborted trial call neither closes nor re-opens a half-open breaker', async () => {
    const { breakers, call, advance } = setup();
    await breakers.forceOpen('p', 'health check failed');
    await breakers.halfOpen('p', 'health check passed');
    const aborted = async () => {
      throw abortedError(new DOMException('stop', 'AbortError'));
    };
    await expect(call(aborted)).rejects.toMatchObject({ kind: 'aborted' });
    expect((await breakers.status('p')).state).toBe('half-open');
    // The trial slot it took frees after the cool-down, and a real trial then decides.
    advance(DEFAULT_BREAKER_OPTIONS.cooldownMs);
    await call(ok);
    expect((await breakers.status('p')).state).toBe('closed');
  });
});

describe('the breaker on streams', () => {
  /** A stream of `events` that ends with an error (or a finish), derived as a stage below would. */
  const streamOf = (failing: boolean) => {
    const response: ChatResponse = {
      text: 'a',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      model: 'm',
      provider: 'p',
      cached: false,
      latencyMs: 0,
      warnings: [],
      raw: undefined,
    };
    return deriveStream(
      async function* (): AsyncGenerator<StreamEvent> {
        yield { type: 'text-delta', text: 'a' };
        if (failing) throw new NetworkError('dropped mid-stream');
        yield { type: 'finish', finishReason: 'stop', usage: response.usage, response };
      },
      { provider: 'p', model: 'm' },
    );
  };

  it('records each stream outcome before the consumer sees the end: two failures open it', async () => {
    const { breakers, target } = setup();
    const stage = breakerMiddleware(breakers);
    const run = async (failing: boolean) => {
      const stream = (stage.stream as NonNullable<typeof stage.stream>)(
        { request: {}, target } as never,
        (() => streamOf(failing)) as never,
      );
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        // The outcome is in the breaker when the last event arrives.
        if (event.type === 'finish') expect((await breakers.status('p')).state).toBe('closed');
      }
      return types;
    };
    expect(await run(false)).toEqual(['text-delta', 'finish']);
    expect(await run(true)).toEqual(['text-delta', 'error']);
    expect((await breakers.status('p')).state).toBe('closed');
    expect(await run(true)).toEqual(['text-delta', 'error']);
    expect((await breakers.status('p')).state).toBe('open');
    expect(await run(false)).toEqual(['error']);
  });
});
