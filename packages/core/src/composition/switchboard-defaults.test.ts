/**
 * The smaller defects of issue 9 as a user meets them through `createSwitchboard`: status calls
 * that answer without optional features, defaults that fill what a call leaves out.
 */
import { describe, expect, it } from 'vitest';
import { type Cost, formatCost } from '../catalog/cost.js';
import { ConfigurationError } from '../errors/errors.js';
import { createMockProvider } from '../protocols/mock/mock-provider.js';
import { getMockEmbedRequests, getMockRequests } from '../protocols/mock/mock-requests.js';
import { CircuitOpenError } from '../resilience/errors.js';
import { createFakeProvider } from '../runtime/test-support/fake-provider.js';
import { createSwitchboard } from './create-switchboard.js';

describe('rateLimitStatus without rateLimit', () => {
  it('answers with an open status instead of throwing', async () => {
    const sb = createSwitchboard({ providers: [createMockProvider()] });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    const status = await sb.rateLimitStatus('mock', { key: 'team-a' });
    expect(status).toEqual({
      provider: 'mock',
      key: 'team-a',
      requests: { current: 0, limit: undefined, remaining: undefined, resetMs: 0 },
      tokens: { current: 0, limit: undefined, remaining: undefined, resetMs: 0 },
    });
  });
});

describe('health checks and the breaker', () => {
  it('a passing check moves the breaker a failed check opened to half-open; the next call is its trial', async () => {
    let up = false;
    const sb = createSwitchboard({
      providers: [createMockProvider()],
      breaker: { cooldownMs: 600_000 },
      health: {
        method: async () => {
          if (!up) throw new Error('down for maintenance');
        },
      },
    });
    await sb.checkHealth('mock');
    expect((await sb.breakerStatus('mock')).state).toBe('open');
    await expect(
      sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    up = true;
    await sb.checkHealth('mock');
    expect(await sb.breakerStatus('mock')).toMatchObject({
      state: 'half-open',
      reason: 'health check passed: trial call',
    });
    // Long before the ten-minute cool-down ends, the trial call goes through and closes the breaker.
    const res = await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.text).toBe('Mock reply to: hi');
    expect((await sb.breakerStatus('mock')).state).toBe('closed');
  });

  it('a passing check leaves a closed breaker closed', async () => {
    const sb = createSwitchboard({ providers: [createMockProvider()], health: { method: async () => undefined } });
    await sb.checkHealth('mock');
    expect((await sb.breakerStatus('mock')).state).toBe('closed');
  });
});

describe('mock provider handlers', () => {
  it('see a string message as the string the user sent, and parts as parts', async () => {
    const seen: unknown[] = [];
    const sb = createSwitchboard({
      providers: [
        createMockProvider({
          mock: {
            response: (request) => {
              seen.push(request.messages.map((message) => message.content));
              return 'ok';
            },
          },
        }),
      ],
    });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hello there' }] });
    const parts = [
      { type: 'text' as const, text: 'first' },
      { type: 'text' as const, text: 'second' },
    ];
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: parts }] });
    expect(seen).toEqual([['hello there'], [parts]]);
  });
});

describe('response cost', () => {
  it('is the catalog Cost: formatCost(res.cost) type-checks, with the reasoning part', async () => {
    const usage = { inputTokens: 1000, outputTokens: 500, totalTokens: 1500, reasoningTokens: 200 };
    const sb = createSwitchboard({ providers: [createMockProvider({ mock: { response: { text: 'ok', usage } } })] });
    const res = await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }], maxSteps: 2 });
    if (res.cost === undefined) throw new Error('the mock model has prices');
    // Both lines are compile-time checks as much as run-time ones (core's tsc covers this file).
    const cost: Cost = res.cost;
    expect(formatCost(res.cost)).toBe('$0.002');
    // $1 and $2 per 1M: 1000 input, 300 plain output, 200 reasoning billed at the output rate.
    expect(cost).toEqual({
      input: 0.001,
      output: 0.0006,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0.0004,
      total: 0.002,
      currency: 'USD',
    });
  });
});

describe('budgets', () => {
  it('budgetStatus shows remainingUsd without float noise', async () => {
    // $1 per 1M input tokens: 9,900 input tokens cost $0.0099 of a $0.01 budget.
    const usage = { inputTokens: 9_900, outputTokens: 0, totalTokens: 9_900 };
    const sb = createSwitchboard({
      providers: [createMockProvider({ mock: { response: { text: 'ok', usage } } })],
      budgets: [{ key: 'team-a', maxCostUsd: 0.01, period: 'total' }],
    });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }], budget: 'team-a' });
    const [status] = await sb.budgetStatus('team-a');
    expect(status?.cost).toEqual({ usedUsd: 0.0099, limitUsd: 0.01, remainingUsd: 0.0001 });
  });
});

describe('a call without model', () => {
  const hi = [{ role: 'user' as const, content: 'hi' }];

  it('uses the defaultModel option, before the cache key: the same call with the model is a hit', async () => {
    const mock = createMockProvider();
    const sb = createSwitchboard({ providers: [mock], defaultModel: 'mock/mock-text', cache: true });
    const first = await sb.chat({ messages: hi });
    expect(first).toMatchObject({ provider: 'mock', model: 'mock-text', cached: false });
    const second = await sb.chat({ model: 'mock/mock-text', messages: hi });
    expect(second.cached).toBe(true);
    expect(getMockRequests(mock).map((request) => request.modelId)).toEqual(['mock-text']);
  });

  it("else a provider's defaultModel from static config, else the first configured provider's catalog default", async () => {
    const configured = createMockProvider();
    const fromConfig = createSwitchboard({ providers: [configured], config: { mock: { defaultModel: 'mock-text' } } });
    expect((await fromConfig.chat({ messages: hi })).model).toBe('mock-text');

    // The fake provider needs a key and has none here: the mock (no key needed) is the first configured one.
    const fromCatalog = createMockProvider();
    const sb = createSwitchboard({ providers: [createFakeProvider(), fromCatalog], env: {} });
    expect((await sb.chat({ messages: hi })).model).toBe('mock-chat');
    const stream = sb.stream({ messages: hi });
    expect((await stream.response).model).toBe('mock-chat');
    await sb.embed({ input: 'vector me' });
    expect(getMockEmbedRequests(fromCatalog).map((request) => request.modelId)).toEqual(['mock-embed']);
  });

  it('with no default anywhere fails with a ConfigurationError naming model and the options', async () => {
    const sb = createSwitchboard({ providers: [createFakeProvider()], env: {} });
    const error = await sb.chat({ messages: hi }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration', setting: 'model' });
    expect((error as Error).message).toContain('createSwitchboard({ defaultModel })');
    expect((error as Error).message).toContain('config: { <provider>: { defaultModel } }');
    expect(() => sb.stream({ messages: hi })).toThrow(ConfigurationError);
  });
});
