/**
 * The default stack's fused chat fast path (`resilience/fast-path.ts`) against the composed stages:
 * the same script of faults through a default switchboard (fast path once its breakers are known
 * closed) and one whose stages are forced through `compose` (`middleware: (defaults) => defaults`)
 * gives the same results, errors, attempts, retry delays, events and breaker states.
 */

import type { SwitchboardOptions } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fault, type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, recordingClock } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

type Options = Parameters<typeof faultSwitchboard>[2];
type Request = Omit<Parameters<ReturnType<typeof faultSwitchboard>['chat']>[0], 'model' | 'messages'>;

/** Runs a warm-up call then `calls` against `faults`; returns everything observable. */
async function observe(forceComposed: boolean, faults: Fault[], calls: Request[], options: Options = {}) {
  const server = await startFaultServer([{ type: 'ok', text: 'warm' }, ...faults]);
  servers.push(server);
  const clock = recordingClock();
  const events: unknown[] = [];
  const sb = faultSwitchboard(server.baseURL, server.baseURL, {
    clock,
    ...options,
    ...(forceComposed ? { middleware: ((defaults) => defaults) as SwitchboardOptions<never>['middleware'] } : {}),
  });
  for (const name of ['retry', 'breaker', 'fallback'] as const)
    sb.on(name, (event) => events.push({ name, ...event, error: (event as { error?: Error }).error?.message }));
  await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
  const outcomes: unknown[] = [];
  for (const call of calls) {
    try {
      const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, ...call });
      outcomes.push({ text: res.text, attempts: res.attempts?.map(({ latencyMs: _, ...rest }) => rest) });
    } catch (error) {
      const failure = error as Error & { attempts?: { latencyMs: number }[] };
      outcomes.push({
        error: failure.constructor.name,
        message: failure.message,
        attempts: failure.attempts?.map(({ latencyMs: _, ...rest }) => rest),
      });
    }
  }
  return {
    outcomes,
    delays: clock.delays,
    events,
    requests: server.requests.length,
    breakers: [await sb.breakerStatus('openai'), await sb.breakerStatus('openai', 'gpt-4o-mini')],
  };
}

async function expectSame(faults: Fault[], calls: Request[], options?: Options) {
  const fast = await observe(false, faults, calls, options);
  const composed = await observe(true, faults, calls, options);
  expect(fast).toEqual(composed);
  return fast;
}

describe('the fused chat fast path behaves like the composed default stages', () => {
  it('retries a 503 burst and succeeds', async () => {
    const seen = await expectSame(
      [
        { type: 'status', status: 503 },
        { type: 'status', status: 503 },
        { type: 'ok', text: 'fine' },
      ],
      [{}],
    );
    expect(seen.delays).toEqual([500, 1000]);
    expect(seen.events.filter((event) => (event as { name: string }).name === 'retry')).toHaveLength(2);
  });

  it('gives up after the retries and records the failure on the breakers', async () => {
    const seen = await expectSame([{ type: 'status', status: 500 }], [{}, {}]);
    expect(seen.breakers[0]?.failures).toBe(2);
  });

  it('opens the breaker after enough failures, then refuses', async () => {
    const seen = await expectSame([{ type: 'status', status: 502 }], [{}, {}, {}], {
      retry: false,
      breaker: { failureThreshold: 2 },
    });
    expect(seen.breakers[0]?.state).toBe('open');
    expect((seen.outcomes[2] as { error: string }).error).toBe('CircuitOpenError');
  });

  it('does not retry a 400, nor wait for a long retry-after', async () => {
    await expectSame([{ type: 'status', status: 400 }], [{}]);
    await expectSame([{ type: 'status', status: 429, headers: { 'retry-after': '120' } }], [{}]);
  });

  it('honours per-call retry settings, the overall timeout and breaker: false', async () => {
    await expectSame(
      [{ type: 'status', status: 503 }, { type: 'status', status: 503 }, { type: 'ok' }],
      [{ retry: { maxRetries: 1 } }, { timeout: 60_000 }],
    );
    await expectSame([{ type: 'status', status: 503 }], [{ timeout: 1200 }, { breaker: false }]);
    await expectSame([{ type: 'status', status: 503 }], [{}], { breaker: false, retry: { maxRetries: 1 } });
  });
});
