import { NetworkError, ProviderError, RateLimitError, TimeoutError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, recordingClock } from './helpers.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('retries against a misbehaving server', () => {
  it('retries a 503 burst with exponential backoff (500 ms, 1 s) and succeeds', async () => {
    server = await startFaultServer([
      { type: 'status', status: 503 },
      { type: 'status', status: 503 },
      { type: 'ok', text: 'fine' },
    ]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(res.text).toBe('fine');
    expect(clock.delays).toEqual([500, 1000]);
    expect(server.requests).toHaveLength(3);
    expect(res.attempts?.map((attempt) => attempt.error?.status)).toEqual([503, 503, undefined]);
  });

  it('applies 25 % jitter below the backoff and caps at maxDelayMs; linear backoff grows by the initial delay', async () => {
    server = await startFaultServer([{ type: 'status', status: 500 }]);
    const clock = { ...recordingClock(), random: () => 0.999999 };
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock, retry: { maxRetries: 5, maxDelayMs: 3000 } });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(ProviderError);
    expect(clock.delays.map(Math.round)).toEqual([375, 750, 1500, 2250, 2250]);
    expect(server.requests).toHaveLength(6);

    const linear = recordingClock();
    const sbLinear = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: linear,
      retry: { maxRetries: 3, backoff: 'linear' },
    });
    await expect(sbLinear.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toThrow();
    expect(linear.delays).toEqual([500, 1000, 1500]);
  });

  it('waits exactly what retry-after and retry-after-ms ask for a 429', async () => {
    server = await startFaultServer([
      { type: 'status', status: 429, headers: { 'retry-after': '2' } },
      { type: 'status', status: 429, headers: { 'retry-after-ms': '150' } },
      { type: 'ok' },
    ]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(clock.delays).toEqual([2000, 150]);
  });

  it('does not wait for a retry-after longer than maxRetryAfterMs: the 429 goes up at once', async () => {
    server = await startFaultServer([{ type: 'status', status: 429, headers: { 'retry-after': '120' } }]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(RateLimitError);
    expect(clock.delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('honours x-should-retry: false and never retries a 400', async () => {
    server = await startFaultServer([{ type: 'status', status: 503, headers: { 'x-should-retry': 'false' } }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    server.script([{ type: 'status', status: 400 }]);
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('retries connection resets and malformed JSON', async () => {
    server = await startFaultServer([{ type: 'reset' }, { type: 'malformed' }, { type: 'ok', text: 'recovered' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(res.text).toBe('recovered');
    expect(res.attempts?.map((attempt) => attempt.error?.kind)).toEqual(['network', 'invalid-response', undefined]);
  });

  it('gives up with the last error once retries are spent (network)', async () => {
    server = await startFaultServer([{ type: 'reset' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock(), retry: { maxRetries: 1 } });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a hanging attempt (per-attempt timeout) and retries it', async () => {
    server = await startFaultServer([{ type: 'hang' }, { type: 'ok', text: 'after hang' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: { ...recordingClock(), now: Date.now },
      retry: { attemptTimeoutMs: 150 },
    });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(res.text).toBe('after hang');
    expect(res.attempts?.[0]?.error?.kind).toBe('timeout');
  });

  it('stops at the overall timeout even with retries left', async () => {
    server = await startFaultServer([{ type: 'hang' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      retry: { attemptTimeoutMs: 150, initialDelayMs: 10 },
    });
    const started = Date.now();
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, timeout: 400 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('per-call retry: false and per-provider settings override the global ones', async () => {
    server = await startFaultServer([{ type: 'status', status: 503 }]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: { maxRetries: 4 },
      perProvider: { openai: { retry: { maxRetries: 1 } } },
    });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, retry: false })).rejects.toThrow();
    expect(server.requests).toHaveLength(1);
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toThrow();
    expect(server.requests).toHaveLength(3);
    await expect(sb.chat({ model: 'groq/llama-3.1-8b-instant', messages: HI })).rejects.toThrow();
    expect(server.requests).toHaveLength(8);
  });
});
