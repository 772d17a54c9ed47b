/**
 * `sb.providerHealth()` and `sb.healthyProviders()` through `createSwitchboard` against loopback
 * servers: recent calls' error rate and latency percentiles next to the last check and the breaker.
 */
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

describe('provider health from recent calls', () => {
  it('error rate over the window makes a provider unhealthy; a check and the breaker show next to it', async () => {
    const flaky = await start([
      { type: 'ok', text: 'a' },
      { type: 'status', status: 503 },
      { type: 'status', status: 503 },
      { type: 'ok', text: 'b' },
      { type: 'status', status: 502 },
      { type: 'status', status: 400 },
      { type: 'ok', text: 'models' },
    ]);
    const fine = await start([{ type: 'ok', text: 'fine' }]);
    const clock = recordingClock();
    const sb = faultSwitchboard(flaky.baseURL, fine.baseURL, {
      clock,
      retry: false,
      breaker: false,
      health: { windowMs: 60_000, minCalls: 5, maxErrorRate: 0.5 },
    });
    expect(await sb.healthyProviders()).toEqual(['openai', 'groq']);
    for (let i = 0; i < 6; i += 1) await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    await sb.chat({ model: 'groq/llama-3.1-8b-instant', messages: HI });
    await sb.checkHealth('openai'); // the models endpoint answers: the check passes
    const [openai, groq] = await sb.providerHealth();
    // 3 provider failures (503, 503, 502) of 6 calls; the 400 is the caller's fault.
    expect(openai).toMatchObject({
      provider: 'openai',
      requests: 6,
      failures: 3,
      errorRate: 0.5,
      healthy: true,
      lastCheck: { healthy: true, method: 'models' },
      breaker: undefined,
      windowMs: 60_000,
    });
    expect(openai?.latencyMs?.p50).toBeGreaterThan(0);
    expect(openai?.latencyMs?.p99).toBeGreaterThanOrEqual(openai?.latencyMs?.p50 as number);
    expect(groq).toMatchObject({ provider: 'groq', requests: 1, failures: 0, healthy: true, lastCheck: undefined });
    flaky.script([{ type: 'status', status: 500 }]);
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    const [unhealthy] = await sb.providerHealth();
    expect(unhealthy).toMatchObject({ healthy: false, failures: 4, requests: 7 });
    expect(unhealthy?.reasons).toEqual(['error rate 57 % over the last 7 calls (above 50 %)']);
    expect(await sb.healthyProviders()).toEqual(['groq']);
    // The window moves on: old failures no longer count.
    clock.advance(60_000);
    expect(await sb.healthyProviders()).toEqual(['openai', 'groq']);
    await sb.close();
  });

  it('a failed check or an open breaker makes a provider unhealthy', async () => {
    const down = await start([{ type: 'status', status: 503 }]);
    const sb = faultSwitchboard(down.baseURL, down.baseURL, { retry: false });
    await sb.checkHealth('openai');
    const [openai] = await sb.providerHealth();
    expect(openai?.healthy).toBe(false);
    expect(openai?.breaker).toBe('open');
    expect(openai?.reasons).toEqual([expect.stringMatching(/^last health check failed: /), 'circuit breaker open']);
    expect(await sb.healthyProviders()).toEqual(['groq']);
    await sb.close();
  });
});
