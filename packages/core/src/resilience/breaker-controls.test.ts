/**
 * Breaker controls: `successThreshold` trials before closing, and states forced by hand (open for a
 * while, reset), recorded as `breaker` events and kept in the store (another `CircuitBreakers` on
 * the same store, as another process, sees them).
 */
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../errors/errors.js';
import type { CallTarget } from '../types/middleware.js';
import { breakerMiddleware, CircuitBreakers, DEFAULT_BREAKER_OPTIONS } from './breaker.js';
import type { Clock } from './clock.js';
import { CircuitOpenError } from './errors.js';
import { type BreakerEvent, SwitchboardEvents } from './middleware/events.js';
import { MemoryStore } from './state/memory-store.js';

function setup(overrides: Partial<typeof DEFAULT_BREAKER_OPTIONS> = {}) {
  let time = 1_700_000_000_000;
  const clock: Clock = { now: () => time, sleep: async () => undefined, random: () => 0 };
  const store = new MemoryStore({ now: () => time, sweepIntervalMs: false });
  const options = {
    ...DEFAULT_BREAKER_OPTIONS,
    failureThreshold: 1,
    cooldownMs: 1000,
    closedCacheMs: 0,
    scope: 'provider' as const,
    ...overrides,
  };
  const seen: BreakerEvent[] = [];
  const events = new SwitchboardEvents(undefined, { breaker: (event) => seen.push(event) });
  const breakers = new CircuitBreakers(store, clock, events, () => options);
  const otherEvents: BreakerEvent[] = [];
  const other = new CircuitBreakers(
    store,
    clock,
    new SwitchboardEvents(undefined, { breaker: (event) => otherEvents.push(event) }),
    () => options,
  );
  const target = { provider: 'p', modelId: 'm', scope: 'p', ref: 'p/m' } as CallTarget;
  const run = (on: CircuitBreakers, outcome: () => Promise<unknown>) => {
    const stage = breakerMiddleware(on);
    return (stage.chat as NonNullable<typeof stage.chat>)({ request: {}, target } as never, outcome as never);
  };
  return {
    breakers,
    other,
    seen,
    otherEvents,
    call: (outcome: () => Promise<unknown>) => run(breakers, outcome),
    callOther: (outcome: () => Promise<unknown>) => run(other, outcome),
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const ok = async () => ({ text: 'ok' });
const fail = async () => {
  throw new NetworkError('down');
};

describe('successThreshold', () => {
  it('closes only after N successful trials; a failed trial re-opens', async () => {
    const t = setup({ successThreshold: 3 });
    await expect(t.call(fail)).rejects.toThrow('down');
    expect((await t.breakers.status('p')).state).toBe('open');
    t.advance(1000);
    await t.call(ok);
    expect(await t.breakers.status('p')).toMatchObject({ state: 'half-open', successes: 1 });
    await t.call(ok);
    expect(await t.breakers.status('p')).toMatchObject({ state: 'half-open', successes: 2 });
    await t.call(ok);
    expect(await t.breakers.status('p')).toMatchObject({ state: 'closed', reason: '3 trial calls succeeded' });
    // Again, but the second trial fails: open, and the count starts over.
    await expect(t.call(fail)).rejects.toThrow('down');
    t.advance(1000);
    await t.call(ok);
    await expect(t.call(fail)).rejects.toThrow('down');
    expect(await t.breakers.status('p')).toMatchObject({ state: 'open', reason: 'trial call failed' });
    t.advance(1000);
    await t.call(ok);
    expect(await t.breakers.status('p')).toMatchObject({ state: 'half-open', successes: 1 });
  });

  it('defaults to one trial', async () => {
    const t = setup();
    await expect(t.call(fail)).rejects.toThrow('down');
    t.advance(1000);
    await t.call(ok);
    expect((await t.breakers.status('p')).state).toBe('closed');
  });
});

describe('breakers forced by hand', () => {
  it('open for forMs refuses calls here and in another process, then trials as usual', async () => {
    const t = setup({ cooldownMs: 30_000 });
    const status = await t.breakers.open('p', { forMs: 5000 });
    expect(status).toMatchObject({
      state: 'open',
      manual: true,
      retryAfterMs: 5000,
      reason: 'opened by hand for 5000 ms',
    });
    expect(t.seen).toMatchObject([{ key: 'p', from: 'closed', to: 'open', reason: 'opened by hand for 5000 ms' }]);
    await expect(t.call(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    const refused = await t.callOther(ok).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).message).toContain('opened by hand for 5000 ms');
    t.advance(5000); // forMs, not the 30 s cool-down
    await t.callOther(ok);
    expect((await t.breakers.status('p')).state).toBe('closed');
  });

  it('reset closes an open breaker everywhere at once and is an event even when already closed', async () => {
    const t = setup({ cooldownMs: 60_000 });
    await expect(t.call(fail)).rejects.toThrow('down');
    await expect(t.callOther(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(await t.other.close('p')).toMatchObject({ state: 'closed', failures: 0, manual: true });
    await t.call(ok);
    await t.callOther(ok);
    expect(t.otherEvents).toMatchObject([{ key: 'p', from: 'open', to: 'closed', reason: 'reset by hand' }]);
    await t.other.close('p');
    expect(t.otherEvents.at(-1)).toMatchObject({ from: 'closed', to: 'closed', reason: 'reset by hand' });
    // A second forced open is recorded too.
    await t.breakers.open('p');
    await t.breakers.open('p', { reason: 'maintenance' });
    expect(t.seen.slice(-2)).toMatchObject([
      { from: 'closed', to: 'open', reason: 'opened by hand' },
      { from: 'open', to: 'open', reason: 'maintenance' },
    ]);
    expect((await t.breakers.status('p')).retryAfterMs).toBe(60_000);
  });

  it('names a wrong forMs', async () => {
    const t = setup();
    await expect(t.breakers.open('p', { forMs: -1 })).rejects.toThrow(
      '`forMs` must be a positive number of milliseconds, got -1',
    );
    await expect(t.breakers.open('p', { forMs: 'soon' as never })).rejects.toThrow('got soon');
  });
});
