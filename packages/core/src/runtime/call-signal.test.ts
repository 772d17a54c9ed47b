/**
 * The call signal links the caller's signals to the call's own controller with one 'abort'
 * listener each (not `AbortSignal.any`, whose composite signal undici refreshes on every request):
 * these tests pin that it still behaves like the combined signal it replaces, and that `release()`
 * takes the listeners off, so a long-lived signal shared by many calls does not collect them.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createCallSignal } from './call-signal.js';

describe('createCallSignal', () => {
  it("aborts the call with the caller's reason when the caller's signal fires", () => {
    const caller = new AbortController();
    const call = createCallSignal(60_000, caller.signal);
    expect(call.signal).not.toBe(caller.signal);
    expect(call.signal?.aborted).toBe(false);
    const reason = new Error('The client closed the connection');
    caller.abort(reason);
    expect(call.signal?.aborted).toBe(true);
    expect(call.signal?.reason).toBe(reason);
    expect(call.expired).toBeUndefined();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('listens to every given signal: the second one fires', () => {
    const first = new AbortController();
    const second = new AbortController();
    const call = createCallSignal(60_000, first.signal, undefined, second.signal);
    second.abort('stop');
    expect(call.signal?.reason).toBe('stop');
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    call.release();
  });

  it('combines two signals without a time limit', () => {
    const first = new AbortController();
    const second = new AbortController();
    const call = createCallSignal(undefined, first.signal, second.signal);
    expect(call.signal).not.toBe(first.signal);
    first.abort('first');
    expect(call.signal?.reason).toBe('first');
  });

  it("is the caller's own signal when there is no limit and only one signal", () => {
    const caller = new AbortController();
    const call = createCallSignal(undefined, caller.signal);
    expect(call.signal).toBe(caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('starts aborted when a signal is aborted already, and listens to nothing', () => {
    const live = new AbortController();
    const gone = AbortSignal.abort('already');
    const call = createCallSignal(60_000, live.signal, gone);
    expect(call.signal?.aborted).toBe(true);
    expect(call.signal?.reason).toBe('already');
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('release() stops listening: a shared signal keeps no listener per finished call, and a later abort leaves finished calls alone', () => {
    const shared = new AbortController();
    const calls = Array.from({ length: 50 }, () => createCallSignal(60_000, shared.signal));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(50);
    for (const call of calls) call.release();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    shared.abort();
    for (const call of calls) expect(call.signal?.aborted).toBe(false);
  });

  it("a time limit that expires aborts with a TimeoutError and stops listening to the caller's signal", () => {
    const caller = new AbortController();
    const call = createCallSignal(60_000, caller.signal);
    call.expire('request');
    expect(call.expired).toBe('request');
    expect((call.signal as AbortSignal).reason.name).toBe('TimeoutError');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    caller.abort('late');
    expect((call.signal as AbortSignal).reason.name).toBe('TimeoutError');
  });
});
