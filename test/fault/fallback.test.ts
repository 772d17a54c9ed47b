import { AllTargetsFailedError, CircuitOpenError, type SwitchboardError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, OPENAI_KEY, recordingClock } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}

describe('fallback chains', () => {
  it('serves from the fallback after the primary spent its retries; the response says what was tried', async () => {
    const failing = await start([{ type: 'status', status: 500 }]);
    const healthy = await start([{ type: 'ok', text: 'from groq' }]);
    const fallbacks: string[] = [];
    const sb = faultSwitchboard(failing.baseURL, healthy.baseURL, { clock: recordingClock() });
    sb.on('fallback', (event) => fallbacks.push(`${event.from} -> ${event.to}`));
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] });
    expect(res.text).toBe('from groq');
    expect(res.provider).toBe('groq');
    expect(res.model).toBe('gpt-4o-mini-2024-07-18');
    expect(res.attempts?.map((attempt) => `${attempt.provider}:${attempt.error?.kind ?? 'ok'}`)).toEqual([
      'openai:provider',
      'openai:provider',
      'openai:provider',
      'groq:ok',
    ]);
    // The target's last attempt says why the call left it.
    expect(res.attempts?.map((attempt) => attempt.fallback?.outcome)).toEqual([
      undefined,
      undefined,
      'fell-back',
      undefined,
    ]);
    expect(fallbacks).toEqual(['openai/gpt-4o-mini -> groq/llama-3.1-8b-instant']);
  });

  it('fails with a clear error listing every target when nothing can serve', async () => {
    const failing = await start([{ type: 'status', status: 503 }]);
    const limited = await start([{ type: 'status', status: 429, headers: { 'retry-after-ms': '10' } }]);
    const sb = faultSwitchboard(failing.baseURL, limited.baseURL, { clock: recordingClock() });
    const error = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    const failed = error as AllTargetsFailedError;
    expect(failed.message).toContain('openai/gpt-4o-mini -> provider 503');
    expect(failed.message).toContain('groq/llama-3.1-8b-instant -> rate-limit 429');
    expect(failed.message).toContain('(3 attempts)');
    expect(failed.kind).toBe('rate-limit');
    expect(failed.attempts).toHaveLength(6);
    expect(failed.errors).toHaveLength(2);
  });

  it('does not fall back on an invalid request; the error says why in its attempts', async () => {
    const bad = await start([{ type: 'status', status: 400 }]);
    const healthy = await start([{ type: 'ok' }]);
    const sb = faultSwitchboard(bad.baseURL, healthy.baseURL);
    const error = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect((error as SwitchboardError).attempts?.[0]?.fallback).toMatchObject({
      outcome: 'not-allowed',
      rule: 'default',
    });
    expect(healthy.requests).toHaveLength(0);
  });

  it('falls back on a 500 that is not retryable and on an authentication failure (the old rule did not)', async () => {
    const failing = await start([{ type: 'status', status: 401 }]);
    const healthy = await start([{ type: 'ok', text: 'from groq' }]);
    const sb = faultSwitchboard(failing.baseURL, healthy.baseURL, {
      clock: recordingClock(),
      retry: { shouldRetry: () => false },
    });
    const request = { model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] };
    expect((await sb.chat(request)).provider).toBe('groq');
    failing.script([{ type: 'status', status: 500, headers: { 'x-should-retry': 'false' } }]);
    const res = await sb.chat(request);
    expect(res.provider).toBe('groq');
    expect(res.attempts?.[0]?.error).toMatchObject({ kind: 'provider', status: 500 });
  });

  it('after a context-length error, only tries models with a larger context window', async () => {
    const tooLong = await start([
      { type: 'status', status: 400, code: 'context_length_exceeded', message: 'too long' },
    ]);
    const sb = faultSwitchboard(tooLong.baseURL, tooLong.baseURL);
    // groq/llama-3.1-8b-instant has 131,072 tokens; openai/gpt-4o-mini 128,000 (skipped); gpt-4.1 1,047,576.
    tooLong.script([
      { type: 'status', status: 400, code: 'context_length_exceeded', message: 'too long' },
      { type: 'ok', text: 'big window' },
    ]);
    const res = await sb.chat({
      model: 'groq/llama-3.1-8b-instant',
      messages: HI,
      fallback: ['openai/gpt-4o-mini', 'openai/gpt-4.1'],
    });
    expect(res.text).toBe('big window');
    expect(tooLong.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      'llama-3.1-8b-instant',
      'gpt-4.1',
    ]);
  });

  it('falls back on a content filter only when asked', async () => {
    const filtered = await start([{ type: 'status', status: 400, code: 'content_filter', message: 'filtered' }]);
    const healthy = await start([{ type: 'ok', text: 'ok' }]);
    const sb = faultSwitchboard(filtered.baseURL, healthy.baseURL);
    const request = { model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] };
    const error = await sb.chat(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'content-filter' });
    expect(healthy.requests).toHaveLength(0);
    const res = await sb.chat({ ...request, fallbackOnContentFilter: true });
    expect(res.provider).toBe('groq');
  });
});

describe('circuit breakers', () => {
  it('open after N failures, refuse without sending, half-open after the cool-down, close on a trial success', async () => {
    const server = await start([{ type: 'status', status: 503 }]);
    const clock = recordingClock();
    const transitions: string[] = [];
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: false,
      breaker: { failureThreshold: 3, cooldownMs: 30_000, scope: 'provider' },
      on: { breaker: (event) => transitions.push(`${event.key}:${event.from}->${event.to}`) },
    });
    for (let i = 0; i < 3; i += 1)
      await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toMatchObject({ status: 503 });
    expect(transitions).toEqual(['openai:closed->open']);
    expect(await sb.breakerStatus('openai')).toMatchObject({ state: 'open', failures: 3, retryAfterMs: 30_000 });

    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(server.requests).toHaveLength(3);

    clock.advance(30_000);
    server.script([{ type: 'ok', text: 'back' }]);
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(res.text).toBe('back');
    expect(transitions).toEqual(['openai:closed->open', 'openai:open->half-open', 'openai:half-open->closed']);
    expect((await sb.breakerStatus('openai')).state).toBe('closed');
  });

  it('reopens when the trial call fails, and opens on a failure rate', async () => {
    const server = await start([{ type: 'status', status: 500 }]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock,
      retry: false,
      breaker: { failureThreshold: 100, failureRateThreshold: 0.5, minimumCalls: 4, scope: 'model' },
    });
    const call = () => sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch((error: unknown) => error);
    server.script([{ type: 'status', status: 500 }, { type: 'ok' }, { type: 'ok' }, { type: 'status', status: 500 }]);
    for (let i = 0; i < 4; i += 1) await call();
    expect(await sb.breakerStatus('openai', 'gpt-4o-mini')).toMatchObject({ state: 'open', calls: 4, failures: 2 });
    clock.advance(30_000);
    server.script([{ type: 'status', status: 500 }]);
    await call();
    expect((await sb.breakerStatus('openai', 'gpt-4o-mini')).state).toBe('open');
  });

  it('ignores invalid requests and authentication failures', async () => {
    const server = await start([{ type: 'status', status: 400 }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false, breaker: { failureThreshold: 2 } });
    for (let i = 0; i < 3; i += 1) await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    server.script([{ type: 'status', status: 401 }]);
    for (let i = 0; i < 3; i += 1) await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    expect((await sb.breakerStatus('openai')).state).toBe('closed');
  });

  it('an open breaker sends the call to the fallback at once', async () => {
    const failing = await start([{ type: 'status', status: 503 }]);
    const healthy = await start([{ type: 'ok', text: 'groq' }]);
    const sb = faultSwitchboard(failing.baseURL, healthy.baseURL, {
      clock: recordingClock(),
      retry: false,
      breaker: { failureThreshold: 1 },
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch(() => undefined);
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] });
    expect(res.provider).toBe('groq');
    expect(res.attempts?.[0]?.error?.message).toMatch(/Circuit breaker 'openai' is open/);
    expect(failing.requests).toHaveLength(1);
  });
});

describe('model groups', () => {
  it('round-robins deployments with their own base URLs and moves on from a failing one', async () => {
    const a = await start([{ type: 'ok', text: 'a' }]);
    const b = await start([{ type: 'ok', text: 'b' }]);
    const sb = faultSwitchboard(a.baseURL, a.baseURL, {
      clock: recordingClock(),
      modelGroups: {
        smart: {
          strategy: 'round-robin',
          deployments: [
            { id: 'east', model: 'openai/gpt-4o-mini', baseURL: a.baseURL },
            { id: 'west', model: 'openai/gpt-4o-mini', baseURL: b.baseURL, apiKey: OPENAI_KEY },
          ],
        },
      },
    });
    const texts = [];
    for (let i = 0; i < 4; i += 1) texts.push((await sb.chat({ model: 'smart', messages: HI })).text);
    expect(texts).toEqual(['a', 'b', 'a', 'b']);
    a.script([{ type: 'status', status: 503 }]);
    const res = await sb.chat({ model: 'group:smart', messages: HI, retry: false });
    expect(res.text).toBe('b');
    expect(res.attempts?.map((attempt) => attempt.deployment)).toEqual(['east', 'west']);
  });

  it('capability-aware: skips deployments that lack tools', async () => {
    const server = await start([{ type: 'ok', text: 'tools ok' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      modelGroups: {
        g: {
          strategy: 'capability-aware',
          deployments: [{ model: 'openai/text-embedding-3-small' }, { model: 'openai/gpt-4o-mini' }],
        },
      },
    });
    const res = await sb.chat({
      model: 'g',
      messages: HI,
      tools: [{ name: 'f', parameters: { type: 'object', properties: {} } }],
    });
    expect(res.text).toBe('tools ok');
    expect((server.requests[0]?.body as { model?: string } | undefined)?.model).toBe('gpt-4o-mini');
  });

  it('cost-optimized picks the cheapest deployment first', async () => {
    const server = await start([{ type: 'ok' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      modelGroups: {
        g: { strategy: 'cost-optimized', deployments: [{ model: 'openai/gpt-4.1' }, { model: 'openai/gpt-4o-mini' }] },
      },
    });
    await sb.chat({ model: 'g', messages: HI });
    expect((server.requests[0]?.body as { model?: string } | undefined)?.model).toBe('gpt-4o-mini');
  });
});
