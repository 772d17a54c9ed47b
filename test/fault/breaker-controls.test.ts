/**
 * `sb.resetBreaker` / `sb.openBreaker` and `successThreshold` through `createSwitchboard` against a
 * loopback server: what is refused is counted where it would have arrived.
 */

import { type BreakerEvent, CircuitOpenError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, recordingClock } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}
const chats = (server: FaultServer) => server.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

describe('breaker controls through createSwitchboard', () => {
  it('openBreaker refuses calls without a request for forMs, resetBreaker lets them through, both are events', async () => {
    const server = await start([{ type: 'ok', text: 'fine' }]);
    const clock = recordingClock();
    const events: BreakerEvent[] = [];
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: false,
      breaker: { cooldownMs: 60_000 },
      on: { breaker: (event) => events.push(event) },
    });
    expect((await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).text).toBe('fine');
    expect(await sb.openBreaker('openai', undefined, { forMs: 2000 })).toMatchObject({
      state: 'open',
      manual: true,
      retryAfterMs: 2000,
    });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(chats(server)).toBe(1);
    clock.advance(2000);
    expect((await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).text).toBe('fine');
    expect((await sb.breakerStatus('openai')).state).toBe('closed');

    await sb.openBreaker('openai', 'gpt-4o-mini');
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toThrow(/openai\/gpt-4o-mini/);
    expect((await sb.resetBreaker('openai', 'gpt-4o-mini')).state).toBe('closed');
    expect((await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).text).toBe('fine');
    expect(chats(server)).toBe(3);
    expect(events.map((e) => [e.key, e.to, e.reason])).toEqual([
      ['openai', 'open', 'opened by hand for 2000 ms'],
      ['openai', 'half-open', 'cool-down over: trial call'],
      ['openai', 'closed', 'trial call succeeded'],
      ['openai/gpt-4o-mini', 'open', 'opened by hand'],
      ['openai/gpt-4o-mini', 'closed', 'reset by hand'],
    ]);
    await expect(sb.resetBreaker('opneai')).rejects.toThrow("Provider 'opneai' is not installed");
    await sb.close();
  });

  it('successThreshold: three successful trials before the breaker closes', async () => {
    const server = await start([
      { type: 'status', status: 500 },
      { type: 'ok', text: 'back' },
    ]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: false,
      breaker: { failureThreshold: 1, cooldownMs: 1000, successThreshold: 3, scope: 'provider' },
    });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toThrow();
    clock.advance(1000);
    for (const expected of ['half-open', 'half-open', 'closed']) {
      await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
      expect((await sb.breakerStatus('openai')).state).toBe(expected);
    }
    await sb.close();
  });
});
