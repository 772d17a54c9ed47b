/**
 * Routing strategies of model groups over real loopback servers (one per deployment, so the server
 * that answered tells which deployment was chosen): weighted and random distributions with a seeded
 * `clock.random`, least-busy under concurrent slow calls, local-first, latency-weighted (share
 * proportional to 1 / moving-average latency), capability-aware skipping (tools, vision, context);
 * and embeddings through the cache and fallback.
 */

import { createSwitchboard, type ModelGroup } from '@switchboard/core';
import { createLMStudio } from '@switchboard/provider-lmstudio';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, OPENAI_KEY } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(...faults: Parameters<typeof startFaultServer>[0]): Promise<FaultServer> {
  const server = await startFaultServer(faults);
  servers.push(server);
  return server;
}

/** OpenAI (hosted) and LM Studio (local, per the catalog) on two servers. */
function localAndHosted(hostedURL: string, localURL: string, modelGroups: Record<string, ModelGroup>) {
  return createSwitchboard({
    providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: hostedURL }), createLMStudio({ baseURL: localURL })],
    retry: false,
    modelGroups,
  });
}

/** mulberry32: a small seeded generator, so distributions are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deployments of gpt-4o-mini, one per server (their own base URL), ids d0, d1, ... */
function deployments(list: FaultServer[], extra: Record<string, unknown>[] = []) {
  return list.map((server, index) => ({
    id: `d${index}`,
    model: 'openai/gpt-4o-mini',
    baseURL: server.baseURL,
    apiKey: OPENAI_KEY,
    ...extra[index],
  }));
}

async function tally(sb: ReturnType<typeof faultSwitchboard>, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i += 1) {
    const res = await sb.chat({ model: 'g', messages: HI });
    counts[res.text] = (counts[res.text] ?? 0) + 1;
  }
  return counts;
}

describe('routing strategies', () => {
  it('weighted: shares follow the weights (1:3 over 400 calls, seeded random)', async () => {
    const list = [await start({ type: 'ok', text: 'a' }), await start({ type: 'ok', text: 'b' })];
    const sb = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      clock: { random: seeded(42) },
      modelGroups: { g: { strategy: 'weighted', deployments: deployments(list, [{ weight: 1 }, { weight: 3 }]) } },
    });
    const counts = await tally(sb, 400);
    expect((counts.a ?? 0) + (counts.b ?? 0)).toBe(400);
    expect((counts.b ?? 0) / 400).toBeGreaterThan(0.69);
    expect((counts.b ?? 0) / 400).toBeLessThan(0.81);
  });

  it('weighted: a weight of 0 is never chosen first while another can serve', async () => {
    const list = [await start({ type: 'ok', text: 'a' }), await start({ type: 'ok', text: 'b' })];
    const sb = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      clock: { random: seeded(7) },
      modelGroups: { g: { strategy: 'weighted', deployments: deployments(list, [{ weight: 0 }, { weight: 1 }]) } },
    });
    expect(await tally(sb, 50)).toEqual({ b: 50 });
  });

  it('random: uniform over the deployments (3 x ~1/3 over 600 calls), driven by clock.random', async () => {
    const list = [
      await start({ type: 'ok', text: 'a' }),
      await start({ type: 'ok', text: 'b' }),
      await start({ type: 'ok', text: 'c' }),
    ];
    const sb = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      clock: { random: seeded(1) },
      modelGroups: { g: { strategy: 'random', deployments: deployments(list) } },
    });
    const counts = await tally(sb, 600);
    for (const text of ['a', 'b', 'c']) {
      expect((counts[text] ?? 0) / 600).toBeGreaterThan(0.27);
      expect((counts[text] ?? 0) / 600).toBeLessThan(0.4);
    }
    // The choice is the clock's: a random() stuck near 1 always picks the last deployment.
    const last = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      clock: { random: () => 0.999 },
      modelGroups: { g: { strategy: 'random', deployments: deployments(list) } },
    });
    expect(await tally(last, 10)).toEqual({ c: 10 });
  });

  it('least-busy: calls go to the deployment with the fewest calls in flight', async () => {
    const slow = await start({ type: 'ok', text: 'slow', delayMs: 400 });
    const fast = await start({ type: 'ok', text: 'fast' });
    const sb = faultSwitchboard(slow.baseURL, undefined, {
      modelGroups: { g: { strategy: 'least-busy', deployments: deployments([slow, fast]) } },
    });
    // Two slow calls at once: the first goes to d0 (tie, first in turn), the second to the idle d1.
    const first = sb.chat({ model: 'g', messages: HI });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sb.routingStats().map((row) => row.inFlight)).toEqual([1, 0]);
    // While d0 is busy every call goes to d1 (round-robin would alternate).
    const texts: string[] = [];
    for (let i = 0; i < 6; i += 1) texts.push((await sb.chat({ model: 'g', messages: HI })).text);
    expect(texts).toEqual(Array(6).fill('fast'));
    expect((await first).text).toBe('slow');
    expect(sb.routingStats().map((row) => row.inFlight)).toEqual([0, 0]);
    // Concurrent slow calls spread evenly: 4 at once against two slow deployments is 2 + 2.
    fast.script([{ type: 'ok', text: 'fast', delayMs: 200 }]);
    const results = await Promise.all(Array.from({ length: 4 }, () => sb.chat({ model: 'g', messages: HI })));
    expect(results.filter((res) => res.text === 'slow')).toHaveLength(2);
  });

  it('local-first: a local deployment is tried before a hosted one, which serves when the local one is down', async () => {
    const local = await start({ type: 'ok', text: 'local' });
    const hosted = await start({ type: 'ok', text: 'hosted' });
    const sb = localAndHosted(hosted.baseURL, local.baseURL, {
      g: {
        strategy: 'local-first',
        // Listed hosted first: the strategy, not the order, puts the local one first.
        deployments: [{ model: 'openai/gpt-4o-mini' }, { model: 'lmstudio/qwen/qwen3-8b' }],
      },
    });
    for (let i = 0; i < 3; i += 1) expect((await sb.chat({ model: 'g', messages: HI })).text).toBe('local');
    local.script([{ type: 'status', status: 503 }]);
    const res = await sb.chat({ model: 'g', messages: HI });
    expect(res.text).toBe('hosted');
    expect(res.attempts?.map((attempt) => attempt.provider)).toEqual(['lmstudio', 'openai']);
    await sb.close();
  });

  it('latency-weighted: measures each deployment, then chooses in proportion to 1 / moving-average latency', async () => {
    const slow = await start({ type: 'ok', text: 'slow', delayMs: 40 });
    const fast = await start({ type: 'ok', text: 'fast', delayMs: 8 });
    const sb = faultSwitchboard(slow.baseURL, undefined, {
      clock: { random: seeded(3) },
      modelGroups: { g: { strategy: 'latency-weighted', deployments: deployments([slow, fast]) } },
    });
    // The first two calls measure both (unmeasured deployments go first).
    expect(Object.keys(await tally(sb, 2)).sort()).toEqual(['fast', 'slow']);
    const counts = await tally(sb, 120);
    const [slowStats, fastStats] = sb.routingStats();
    const expectedFast =
      1 /
      (fastStats?.latencyMs as number) /
      (1 / (slowStats?.latencyMs as number) + 1 / (fastStats?.latencyMs as number));
    const fastShare = (counts.fast ?? 0) / 120;
    // Proportional, not a plain sort: the slower deployment still gets its (smaller) share.
    expect(counts.slow ?? 0).toBeGreaterThan(0);
    expect(fastShare).toBeGreaterThan(0.6);
    expect(Math.abs(fastShare - expectedFast)).toBeLessThan(0.2);
  });

  it('capability-aware: skips deployments without vision or with too small a context window', async () => {
    const list = [await start({ type: 'ok', text: 'a' }), await start({ type: 'ok', text: 'b' })];
    const sb = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      modelGroups: {
        vision: {
          strategy: 'capability-aware',
          deployments: [
            { id: 'old', model: 'openai/gpt-3.5-turbo', baseURL: list[0]?.baseURL, apiKey: OPENAI_KEY },
            { id: 'new', model: 'openai/gpt-4o-mini', baseURL: list[1]?.baseURL, apiKey: OPENAI_KEY },
          ],
        },
      },
    });
    const image = {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: 'What is this?' },
        { type: 'image' as const, image: 'https://example.com/cat.png' },
      ],
    };
    expect((await sb.chat({ model: 'vision', messages: [image] })).text).toBe('b');
    // A plain short request may use the first deployment.
    expect((await sb.chat({ model: 'vision', messages: HI })).text).toBe('a');
    // ~20k tokens: more than gpt-3.5-turbo's 16,385 context, well within gpt-4o-mini's.
    const long = [{ role: 'user' as const, content: 'word '.repeat(16_000) }];
    const res = await sb.chat({ model: 'vision', messages: long });
    expect(res.text).toBe('b');
    expect(res.attempts?.map((attempt) => attempt.deployment)).toEqual(['new']);
    expect(list[0]?.requests).toHaveLength(1);
    // Nothing fits: a clear error naming why each deployment was skipped.
    const small = faultSwitchboard(list[0]?.baseURL as string, undefined, {
      modelGroups: { tiny: { deployments: [{ model: 'openai/gpt-3.5-turbo' }, { model: 'openai/gpt-4' }] } },
    });
    await expect(small.chat({ model: 'tiny', messages: [image] })).rejects.toThrow(/no image input/);
  });
});

describe('embeddings through the pipeline', () => {
  it('a repeated embedding is a cache hit (cached: true, one request), a different input is not', async () => {
    const server = await start({ type: 'ok', text: '1' });
    const sb = faultSwitchboard(server.baseURL);
    const first = await sb.embed({ model: 'openai/text-embedding-3-small', input: ['a', 'b'], cache: true });
    const second = await sb.embed({ model: 'openai/text-embedding-3-small', input: ['a', 'b'], cache: true });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.embeddings).toEqual(first.embeddings);
    expect(server.requests).toHaveLength(1);
    await sb.embed({ model: 'openai/text-embedding-3-small', input: ['c'], cache: true });
    expect(server.requests).toHaveLength(2);
    expect(sb.cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('an embedding falls back to another provider when the first keeps failing', async () => {
    const down = await start({ type: 'status', status: 503 });
    const up = await start({ type: 'ok', text: '2' });
    const sb = localAndHosted(down.baseURL, up.baseURL, {});
    const res = await sb.embed({
      model: 'openai/text-embedding-3-small',
      input: 'hello',
      retry: false,
      fallback: ['lmstudio/text-embedding-nomic-embed-text-v1.5'],
    });
    expect(res.provider).toBe('lmstudio');
    expect(res.embeddings[0]?.[0]).toBe(2);
    expect(res.attempts?.map((attempt) => [attempt.provider, attempt.error?.kind ?? 'ok'])).toEqual([
      ['openai', 'provider'],
      ['lmstudio', 'ok'],
    ]);
    expect(down.requests).toHaveLength(1);
    await sb.close();
  });
});
