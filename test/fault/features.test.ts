import { BudgetExceededError, type Middleware, RateLimitError } from '@switchboard/core';
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

describe('health checks', () => {
  it('a failing models endpoint marks the provider unhealthy, opens its breaker, hides its models from recommendations and routing', async () => {
    const down = await start([{ type: 'status', status: 503 }]);
    const up = await start([{ type: 'ok', text: 'groq up' }]);
    const sb = faultSwitchboard(down.baseURL, up.baseURL, {
      modelGroups: {
        g: {
          strategy: 'capability-aware',
          deployments: [{ model: 'openai/gpt-4o-mini' }, { model: 'groq/llama-3.1-8b-instant' }],
        },
      },
    });
    const before = sb.catalog.recommendModels({ limit: Number.POSITIVE_INFINITY });
    expect(before.some((entry) => entry.model.provider === 'openai')).toBe(true);
    const [openai] = await sb.checkHealth('openai');
    expect(openai).toMatchObject({ provider: 'openai', healthy: false, method: 'models' });
    await sb.checkHealth('groq');
    expect(sb.healthStatus().groq?.healthy).toBe(true);
    expect((await sb.breakerStatus('openai')).state).toBe('open');
    const after = sb.catalog.recommendModels({ limit: Number.POSITIVE_INFINITY });
    expect(after.some((entry) => entry.model.provider === 'openai')).toBe(false);
    const res = await sb.chat({ model: 'g', messages: HI });
    expect(res.text).toBe('groq up');
    expect(down.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(0);
  });

  it('checks on an interval with an unref’d timer and a custom method', async () => {
    const checked: string[] = [];
    const sb = faultSwitchboard('http://127.0.0.1:9/v1', 'http://127.0.0.1:9/v1', {
      health: {
        intervalMs: 20,
        providers: ['openai'],
        method: async (provider) => {
          checked.push(provider);
        },
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 70));
    await sb.close();
    expect(checked.length).toBeGreaterThanOrEqual(2);
    expect(sb.healthStatus().openai).toMatchObject({ healthy: true, method: 'custom' });
  });
});

describe('cache, batch, budgets, rate limits, user middleware', () => {
  it('answers a repeated chat and embedding from the cache with cached: true', async () => {
    const server = await start([{ type: 'ok', text: 'cached answer' }]);
    const sb = faultSwitchboard(server.baseURL);
    const first = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, cache: { ttl: 60_000 } });
    const second = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, cache: true });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, text: 'cached answer' });
    expect(server.requests).toHaveLength(1);
    expect(sb.cache.stats()).toMatchObject({ hits: 1, misses: 1 });
    const uncached = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(uncached.cached).toBe(false);
  });

  it('batch: runs under a concurrency limit and returns each result or error in order', async () => {
    const server = await start([{ type: 'ok', text: 'x' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    let inFlight = 0;
    let peak = 0;
    const gauge: Middleware = {
      name: 'gauge',
      async chat(call, next) {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await next(call);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const sbGauged = faultSwitchboard(server.baseURL, server.baseURL, { retry: false, middleware: [gauge] });
    const requests = Array.from({ length: 10 }, (_, index) => ({
      model: index === 3 ? 'nope/model' : 'openai/gpt-4o-mini',
      messages: [{ role: 'user' as const, content: `q${index}` }],
    }));
    const results = await sbGauged.batch(requests, { concurrency: 3 });
    expect(results.map((result) => result.ok)).toEqual([true, true, true, false, true, true, true, true, true, true]);
    expect(results[3]?.ok === false && results[3].error.message).toMatch(/not installed/);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
    await sb.close();
  });

  it('budgets refuse a call that would go over before it is sent, and record real usage', async () => {
    const server = await start([{ type: 'ok', text: 'spent' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      budgets: [{ key: 'team-a', maxTokens: 20, period: 'day' }],
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, budget: 'team-a' });
    const [status] = await sb.budgetStatus('team-a');
    expect(status?.tokens?.used).toBe(12);
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, budget: 'team-b' });
    const error = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, budget: 'team-a', maxTokens: 50 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(server.requests).toHaveLength(2);
  });

  it('rate limits: fail policy rejects over rpm, the fallback serves, status reports the window', async () => {
    const server = await start([{ type: 'ok', text: 'ok' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: recordingClock(Date.now()),
      rateLimit: { policy: 'fail', providers: { openai: { rpm: 2 } } },
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, retry: false })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    const res = await sb.chat({
      model: 'openai/gpt-4o-mini',
      messages: HI,
      fallback: ['groq/llama-3.1-8b-instant'],
      retry: false,
    });
    expect(res.provider).toBe('groq');
    const status = await sb.rateLimitStatus('openai');
    expect(status.requests).toMatchObject({ limit: 2, remaining: 0 });
    expect(status.tokens.current).toBeGreaterThan(0);
  });

  it('user middleware run innermost, once per attempt, and see the chosen target', async () => {
    const server = await start([{ type: 'status', status: 503 }, { type: 'ok' }]);
    const seen: string[] = [];
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      clock: recordingClock(),
      middleware: [
        {
          name: 'spy',
          chat(call, next) {
            seen.push(`${call.target?.ref}#${call.attempt}`);
            return next(call);
          },
        },
      ],
    });
    await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(seen).toEqual(['openai/gpt-4o-mini#1', 'openai/gpt-4o-mini#2']);
  });
});
