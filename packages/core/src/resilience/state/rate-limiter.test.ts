import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../../errors/errors.js';
import { MemoryStore } from './memory-store.js';
import { parseRateLimitHeaders, parseResetDuration } from './rate-limit-headers.js';
import { RateLimiter, type RateLimiterOptions, rateLimitKeyId } from './rate-limiter.js';

const T0 = 1_700_000_000_000;

function setup(options: RateLimiterOptions = {}) {
  let now = T0;
  const sleeps: number[] = [];
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const store = new MemoryStore({ now: clock.now, sweepIntervalMs: false });
  const limiter = new RateLimiter({
    store,
    now: clock.now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
    catalog: { openai: { default: { rpm: 3, tpm: 1000 }, tiers: { 'tier-5': { rpm: 100, tpm: 100_000 } } } },
    ...options,
  });
  return { limiter, store, clock, sleeps };
}

describe('RateLimiter', () => {
  it('admits up to the catalog rpm, then fails with a clear retryable RateLimitError', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.acquire({ provider: 'openai', estimatedTokens: 10, policy: 'fail' });
    const error = await limiter
      .acquire({ provider: 'openai', model: 'gpt-4o', estimatedTokens: 10, policy: 'fail' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const e = error as RateLimitError;
    expect(e.kind).toBe('rate-limit');
    expect(e.retryable).toBe(true);
    expect(e.provider).toBe('openai');
    expect(e.model).toBe('gpt-4o');
    expect(e.retryAfterMs).toBeGreaterThan(0);
    expect(e.message).toContain('openai');
    expect(e.message).toContain('3 requests per minute');
  });

  it('waits with policy wait until the window has room', async () => {
    const { limiter, sleeps } = setup();
    for (let i = 0; i < 3; i++) await limiter.acquire({ provider: 'openai' });
    const permit = await limiter.acquire({ provider: 'openai' });
    expect(sleeps.length).toBeGreaterThan(0);
    expect(permit.waitedMs).toBe(sleeps.reduce((a, b) => a + b, 0));
    expect(permit.waitedMs).toBeLessThanOrEqual(2 * 60_000);
  });

  it('fails a wait longer than maxWaitMs and aborts a wait on signal', async () => {
    const { limiter } = setup({ maxWaitMs: 10 });
    for (let i = 0; i < 3; i++) await limiter.acquire({ provider: 'openai' });
    await expect(limiter.acquire({ provider: 'openai' })).rejects.toThrow(/longer than the maximum wait/);
    const controller = new AbortController();
    controller.abort(new Error('user aborted'));
    await expect(
      limiter.acquire({ provider: 'openai', maxWaitMs: 120_000, signal: controller.signal }),
    ).rejects.toThrow('user aborted');
  });

  it('aborts a real sleep in progress', async () => {
    const limiter = new RateLimiter({ catalog: { p: { default: { rpm: 1 } } } });
    await limiter.acquire({ provider: 'p' });
    const controller = new AbortController();
    const pending = limiter.acquire({ provider: 'p', signal: controller.signal, maxWaitMs: 600_000 });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(pending).rejects.toThrow('stop');
  });

  it('limits tokens per minute and corrects the estimate from real usage', async () => {
    const { limiter } = setup();
    const permit = await limiter.acquire({ provider: 'openai', estimatedTokens: 900, policy: 'fail' });
    await expect(limiter.acquire({ provider: 'openai', estimatedTokens: 200, policy: 'fail' })).rejects.toThrow(
      '1000 tokens per minute',
    );
    await permit.commit(300); // the call used far fewer tokens than estimated
    expect((await limiter.status('openai')).tokens.current).toBe(300);
    await limiter.acquire({ provider: 'openai', estimatedTokens: 600, policy: 'fail' });
    await permit.commit(5000); // only the first commit counts
    expect((await limiter.status('openai')).tokens.current).toBe(900);
  });

  it('corrects upwards too, and caps an estimate larger than the whole limit', async () => {
    const { limiter } = setup();
    const big = await limiter.acquire({ provider: 'openai', estimatedTokens: 50_000, policy: 'fail' });
    expect(big.recordedTokens).toBe(1000);
    await big.commit(1200);
    expect((await limiter.status('openai')).tokens.current).toBe(1200);
  });

  it('a refused token check gives back the request it counted', async () => {
    const { limiter } = setup();
    await limiter.acquire({ provider: 'openai', estimatedTokens: 1000, policy: 'fail' });
    await expect(limiter.acquire({ provider: 'openai', estimatedTokens: 1, policy: 'fail' })).rejects.toThrow();
    expect((await limiter.status('openai')).requests.current).toBe(1);
  });

  it('release gives everything back', async () => {
    const { limiter } = setup();
    const permit = await limiter.acquire({ provider: 'openai', estimatedTokens: 400 });
    await permit.release();
    const status = await limiter.status('openai');
    expect(status.requests.current).toBe(0);
    expect(status.tokens.current).toBe(0);
  });

  it('reports status: current, limit, remaining, reset', async () => {
    const { limiter, clock } = setup();
    expect((await limiter.status('openai')).requests).toEqual({ current: 0, limit: 3, remaining: 3, resetMs: 0 });
    clock.advance(15_000);
    await limiter.acquire({ provider: 'openai', estimatedTokens: 100 });
    const status = await limiter.status('openai');
    expect(status.requests).toMatchObject({ current: 1, limit: 3, remaining: 2 });
    expect(status.requests.resetMs).toBeGreaterThan(0);
    expect(status.requests.resetMs).toBeLessThanOrEqual(60_000);
    expect(status.tokens).toMatchObject({ current: 100, limit: 1000, remaining: 900 });
    expect((await limiter.status('unknown')).requests).toMatchObject({ limit: undefined, remaining: undefined });
  });

  it('a per-minute window never reports a reset beyond one minute', async () => {
    const { limiter, clock } = setup();
    // 41 s into a fixed bucket: the counter keeps a share of this bucket through the next one, which
    // was reported as 19 s + 60 s (or 101 s from 41 s before the end).
    clock.advance(60_000 - (clock.now() % 60_000) + 41_000);
    await limiter.acquire({ provider: 'openai', estimatedTokens: 100 });
    const status = await limiter.status('openai');
    expect(status.requests.resetMs).toBe(60_000);
    expect(status.tokens.resetMs).toBe(60_000);
    // Once this bucket is the previous one, what is left ends with the bucket after it.
    clock.advance(30_000);
    expect((await limiter.status('openai')).requests.resetMs).toBe(60_000 - 11_000);
  });

  it('overrides per provider, tier and key; keys count separately', async () => {
    const { limiter } = setup({
      providers: { openai: { rpm: 2, keys: { 'team-a': { rpm: 1 }, 'team-b': { tier: 'tier-5' } } } },
    });
    expect(limiter.limitsFor('openai')).toEqual({ rpm: 2, tpm: 1000 });
    expect(limiter.limitsFor('openai', { key: 'team-a' })).toEqual({ rpm: 1, tpm: 1000 });
    expect(limiter.limitsFor('openai', { key: 'team-b' })).toEqual({ rpm: 2, tpm: 100_000 });
    expect(limiter.limitsFor('openai', { tier: 'tier-5' })).toEqual({ rpm: 2, tpm: 100_000 });
    await limiter.acquire({ provider: 'openai', key: 'team-a', policy: 'fail' });
    await expect(limiter.acquire({ provider: 'openai', key: 'team-a', policy: 'fail' })).rejects.toThrow(
      /openai \(key team-a\)/,
    );
    await limiter.acquire({ provider: 'openai', policy: 'fail' });
    await limiter.acquire({ provider: 'openai', policy: 'fail' });
  });

  it('derives a key id that never contains the key', () => {
    const id = rateLimitKeyId('sk-secret-123456');
    expect(id).toMatch(/^key-[0-9a-f]{16}$/);
    expect(id).not.toContain('secret');
    expect(rateLimitKeyId('sk-secret-123456')).toBe(id);
  });

  it('enforces requests per day', async () => {
    const { limiter, clock } = setup({ catalog: { groq: { default: { rpd: 2 } } } });
    await limiter.acquire({ provider: 'groq', policy: 'fail' });
    await limiter.acquire({ provider: 'groq', policy: 'fail' });
    clock.advance(5 * 60_000);
    await expect(limiter.acquire({ provider: 'groq', policy: 'fail' })).rejects.toThrow('2 requests per day');
  });

  it('tightens from OpenAI-style headers until the server reset', async () => {
    const { limiter, clock } = setup({ catalog: { openai: { default: { rpm: 100, tpm: 100_000 } } } });
    await limiter.updateFromHeaders(
      'openai',
      new Headers({
        'x-ratelimit-limit-requests': '100',
        'x-ratelimit-remaining-requests': '1',
        'x-ratelimit-reset-requests': '20s',
        'x-ratelimit-limit-tokens': '100000',
        'x-ratelimit-remaining-tokens': '5000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    );
    let status = await limiter.status('openai');
    expect(status.requests.remaining).toBe(1);
    expect(status.server?.requests).toEqual({ remaining: 1, resetMs: 20_000 });
    expect(status.tokens.remaining).toBe(5000);
    await limiter.acquire({ provider: 'openai', estimatedTokens: 10, policy: 'fail' });
    const error = (await limiter
      .acquire({ provider: 'openai', estimatedTokens: 10, policy: 'fail' })
      .catch((e: unknown) => e)) as RateLimitError;
    expect(error.message).toContain('server-reported remaining requests');
    expect(error.retryAfterMs).toBe(20_000);
    clock.advance(20_000);
    await limiter.acquire({ provider: 'openai', estimatedTokens: 10, policy: 'fail' });
    // The token cap from the headers still holds (6 minutes).
    await expect(limiter.acquire({ provider: 'openai', estimatedTokens: 6000, policy: 'fail' })).rejects.toThrow(
      'server-reported remaining tokens',
    );
    status = await limiter.status('openai');
    expect(status.tokens.remaining).toBe(5000 - 20);
  });

  it('tightens from Anthropic headers and from retry-after', async () => {
    const { limiter, clock } = setup({ catalog: { anthropic: { default: { rpm: 50 } } } });
    await limiter.updateFromHeaders('anthropic', {
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(T0 + 3000).toISOString(),
    });
    await expect(limiter.acquire({ provider: 'anthropic', policy: 'fail' })).rejects.toThrow(RateLimitError);
    const permit = await limiter.acquire({ provider: 'anthropic' }); // waits for the reset
    expect(permit.waitedMs).toBe(3000);
    await limiter.updateFromHeaders('anthropic', { 'Retry-After': '7' });
    const error = (await limiter.acquire({ provider: 'anthropic', policy: 'fail' }).catch((e) => e)) as RateLimitError;
    expect(error.retryAfterMs).toBe(7000);
    clock.advance(7000);
    await limiter.acquire({ provider: 'anthropic', policy: 'fail' });
  });

  it('shares one limit between limiters on the same store (two processes)', async () => {
    const { limiter, store, clock } = setup();
    const other = new RateLimiter({ store, now: clock.now, catalog: { openai: { default: { rpm: 3 } } } });
    await limiter.acquire({ provider: 'openai' });
    await other.acquire({ provider: 'openai' });
    await limiter.acquire({ provider: 'openai' });
    await expect(other.acquire({ provider: 'openai', policy: 'fail' })).rejects.toThrow(RateLimitError);
  });

  it('admits exactly the limit under concurrent acquires', async () => {
    const { limiter } = setup({ catalog: { openai: { default: { rpm: 5 } } } });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => limiter.acquire({ provider: 'openai', policy: 'fail' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });

  it('reset forgets a provider', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.acquire({ provider: 'openai' });
    await limiter.reset('openai');
    await limiter.acquire({ provider: 'openai', policy: 'fail' });
  });
});

describe('rate-limit headers', () => {
  it('parses reset durations', () => {
    expect(parseResetDuration('6m0s')).toBe(360_000);
    expect(parseResetDuration('1.5s')).toBe(1500);
    expect(parseResetDuration('20ms')).toBe(20);
    expect(parseResetDuration('2m59.56s')).toBe(179_560);
    expect(parseResetDuration('1h2m')).toBe(3_720_000);
    expect(parseResetDuration('30')).toBe(30_000);
    expect(parseResetDuration('2024-01-01T00:00:10Z', Date.parse('2024-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseResetDuration(String(T0 + 5000), T0)).toBe(5000);
    expect(parseResetDuration(String((T0 + 5000) / 1000), T0)).toBe(5000);
    expect(parseResetDuration('soon')).toBeUndefined();
  });

  it('parses OpenAI, Groq and Anthropic headers and retry-after', () => {
    expect(
      parseRateLimitHeaders({
        'X-RateLimit-Limit-Requests': '14400',
        'x-ratelimit-remaining-requests': '14370',
        'x-ratelimit-reset-requests': '2m59.56s',
        'x-ratelimit-remaining-tokens': '5000',
        'x-ratelimit-reset-tokens': '7.66s',
        'retry-after-ms': '250',
      }),
    ).toEqual({
      requests: { limit: 14400, remaining: 14370, resetMs: 179_560 },
      tokens: { remaining: 5000, resetMs: 7660 },
      retryAfterMs: 250,
    });
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(
      parseRateLimitHeaders(
        {
          'anthropic-ratelimit-input-tokens-limit': '40000',
          'anthropic-ratelimit-input-tokens-remaining': '39000',
          'anthropic-ratelimit-input-tokens-reset': '2025-01-01T00:00:30Z',
          'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT',
        },
        now,
      ),
    ).toEqual({ tokens: { limit: 40000, remaining: 39000, resetMs: 30_000 }, retryAfterMs: 5000 });
    expect(parseRateLimitHeaders({})).toEqual({});
  });
});
