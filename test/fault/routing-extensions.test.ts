/**
 * Routing extensions over real loopback servers (one per deployment, so the server that answered
 * tells which deployment was chosen): a model group with a custom strategy function; providers
 * added to and removed from a running switchboard (calls, model groups and `sb.catalog` follow;
 * a call in flight finishes); models found by live listing joining the catalog as discovered
 * entries with unknown price, and called without warnings or cost.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigurationError,
  type CustomRoutingStrategy,
  createSwitchboard,
  NotFoundError,
  type RoutingContext,
} from '@switchboard/core';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { GROQ_KEY, HI, OPENAI_KEY } from './helpers.js';

const servers: FaultServer[] = [];
const plain: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(
    plain.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function start(...faults: Parameters<typeof startFaultServer>[0]): Promise<FaultServer> {
  const server = await startFaultServer(faults);
  servers.push(server);
  return server;
}

/** Deployments of gpt-4o-mini, one per server (their own base URL), ids d0, d1, ... */
function deployments(list: FaultServer[]) {
  return list.map((server, index) => ({
    id: `d${index}`,
    model: 'openai/gpt-4o-mini',
    baseURL: server.baseURL,
    apiKey: OPENAI_KEY,
  }));
}

describe('custom routing strategy', () => {
  it('sends each call where the function says, with the request and per-deployment stats', async () => {
    const list = [await start({ type: 'ok', text: 'a' }), await start({ type: 'ok', text: 'b' })];
    const contexts: RoutingContext[] = [];
    // Short prompts to the second deployment, long ones to the first.
    const bySize: CustomRoutingStrategy = (targets, context) => {
      contexts.push(context);
      const text = 'messages' in context.request ? String(context.request.messages[0]?.content) : '';
      return text.length < 10 ? [...targets].reverse() : targets;
    };
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: list[0]?.baseURL })],
      retry: false,
      modelGroups: { g: { strategy: bySize, deployments: deployments(list) } },
    });
    expect((await sb.chat({ model: 'g', messages: HI })).text).toBe('b');
    expect((await sb.chat({ model: 'g', messages: [{ role: 'user', content: 'a much longer prompt' }] })).text).toBe(
      'a',
    );
    expect((await sb.chat({ model: 'group:g', messages: HI })).text).toBe('b');
    expect(list[0]?.requests).toHaveLength(1);
    expect(list[1]?.requests).toHaveLength(2);
    const last = contexts[2] as RoutingContext;
    expect(last.group).toBe('g');
    expect(last.stats.map((row) => row.deployment)).toEqual(['d0', 'd1']);
    // Both deployments answered once before: each has a measured latency.
    expect(last.stats.every((row) => typeof row.latencyMs === 'number' && row.inFlight === 0)).toBe(true);
  });

  it('the rest of its order is the fallback chain; a subset leaves the others out', async () => {
    const list = [await start({ type: 'ok', text: 'a' }), await start({ type: 'status', status: 500 })];
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: list[0]?.baseURL })],
      retry: false,
      modelGroups: {
        both: { strategy: (targets) => [...targets].reverse(), deployments: deployments(list) },
        only: { strategy: (targets) => [targets[1] as (typeof targets)[number]], deployments: deployments(list) },
      },
    });
    const res = await sb.chat({ model: 'both', messages: HI });
    expect(res.text).toBe('a');
    expect(res.attempts?.map((attempt) => attempt.error?.kind ?? 'ok')).toEqual(['provider', 'ok']);
    await expect(sb.chat({ model: 'only', messages: HI })).rejects.toMatchObject({ kind: 'provider', status: 500 });
    expect(list[0]?.requests).toHaveLength(1);
  });

  it('an empty or foreign answer fails the call with a ConfigurationError naming the group, sending nothing', async () => {
    const server = await start({ type: 'ok', text: 'a' });
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: server.baseURL })],
      retry: false,
      modelGroups: {
        empty: { strategy: () => [], deployments: deployments([server]) },
        foreign: {
          // An object that looks like a target but is not one of the group's.
          strategy: () => [{ ref: 'openai/gpt-4o', provider: 'openai', modelId: 'gpt-4o' } as never],
          deployments: deployments([server]),
        },
      },
    });
    const empty = await sb.chat({ model: 'empty', messages: HI }).catch((error: unknown) => error);
    expect(empty).toBeInstanceOf(ConfigurationError);
    expect((empty as Error).message).toMatch(/routing strategy of model group 'empty' returned no target/);
    const foreign = await sb.chat({ model: 'foreign', messages: HI }).catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(ConfigurationError);
    expect((foreign as Error).message).toMatch(/model group 'foreign' returned a target it was not given/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('adding and removing providers on a running switchboard', () => {
  it('an added provider is callable at once and joins sb.catalog; a removed one fails with NotFoundError', async () => {
    const openai = await start({ type: 'ok', text: 'from openai' });
    const groq = await start({ type: 'ok', text: 'from groq' });
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: openai.baseURL })],
      retry: false,
    });
    // The catalog and the resolved-target cache are built before the change: they must follow it.
    expect(sb.catalog.getProvider('groq')).toBeUndefined();
    await expect(sb.chat({ model: 'groq/llama-3.1-8b-instant', messages: HI })).rejects.toBeInstanceOf(NotFoundError);

    sb.addProvider(createGroq({ apiKey: GROQ_KEY, baseURL: groq.baseURL }));
    expect((await sb.chat({ model: 'groq/llama-3.1-8b-instant', messages: HI })).text).toBe('from groq');
    expect(sb.catalog.getProvider('groq')?.id).toBe('groq');
    expect(sb.catalog.getModel('groq/llama-3.1-8b-instant')?.provider).toBe('groq');
    expect(sb.resolveModel('groq/llama-3.1-8b-instant').provider.id).toBe('groq');
    expect(() => sb.addProvider(createGroq({ apiKey: GROQ_KEY, baseURL: groq.baseURL }))).toThrow(
      /Provider 'groq' is already installed/,
    );

    sb.removeProvider('groq');
    const gone = await sb.chat({ model: 'groq/llama-3.1-8b-instant', messages: HI }).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as Error).message).toMatch(/Provider 'groq' is not installed \(installed: openai\)/);
    expect(sb.catalog.getProvider('groq')).toBeUndefined();
    expect(groq.requests).toHaveLength(1);
    expect(() => sb.removeProvider('groq')).toThrow(NotFoundError);
  });

  it('a call in flight to a removed provider finishes', async () => {
    const slow = await start({ type: 'ok', text: 'slow answer', delayMs: 150 });
    const sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: slow.baseURL })],
      retry: false,
    });
    const pending = sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    // Removed once the request has reached the server.
    for (let i = 0; i < 200 && slow.requests.length === 0; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    sb.removeProvider('openai');
    expect((await pending).text).toBe('slow answer');
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('model groups skip a removed provider, fail clearly when none is left, and take it back when re-added', async () => {
    const openai = await start({ type: 'ok', text: 'openai' });
    const groq = await start({ type: 'ok', text: 'groq' });
    const openaiProvider = createOpenAI({ apiKey: OPENAI_KEY, baseURL: openai.baseURL });
    const groqProvider = createGroq({ apiKey: GROQ_KEY, baseURL: groq.baseURL });
    const sb = createSwitchboard({
      providers: [openaiProvider, groqProvider] as const,
      retry: false,
      modelGroups: {
        g: { deployments: [{ model: 'openai/gpt-4o-mini' }, { model: 'groq/llama-3.1-8b-instant' }] },
      },
    });
    const texts = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i += 1) out.push((await sb.chat({ model: 'g', messages: HI })).text);
      return out;
    };
    expect(await texts(2)).toEqual(['openai', 'groq']);
    sb.removeProvider('groq');
    expect(await texts(3)).toEqual(['openai', 'openai', 'openai']);
    sb.removeProvider('openai');
    const none = await sb.chat({ model: 'g', messages: HI }).catch((error: unknown) => error);
    expect(none).toBeInstanceOf(ConfigurationError);
    expect((none as Error).message).toMatch(
      /Every deployment of model group 'g' uses a provider that is not installed/,
    );
    sb.addProvider(groqProvider);
    expect(await texts(2)).toEqual(['groq', 'groq']);
    expect(openai.requests).toHaveLength(4);
    expect(groq.requests).toHaveLength(3);
  });
});

/** An OpenAI-compatible server whose model list names models the catalog does not know. */
async function listingServer(ids: string[]): Promise<{ baseURL: string; chatModels: string[] }> {
  const chatModels: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.endsWith('/models')) {
        res.end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model', owned_by: 'lab' })) }));
        return;
      }
      const model = (JSON.parse(raw) as { model: string }).model;
      chatModels.push(model);
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_733_000_000,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: `hi from ${model}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
        }),
      );
    });
  });
  plain.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, chatModels };
}

describe('models found by live discovery', () => {
  it('join sb.catalog as discovered entries with unknown price, seen by queries and recommendations', async () => {
    const server = await listingServer(['gpt-4o-mini', 'lab-model-9', 'lab-embed-2']);
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: server.baseURL })] });
    expect(sb.catalog.getModel('openai/lab-model-9')).toBeUndefined();

    const listed = await sb.listModels('openai');
    expect(listed.map((model) => model.id)).toEqual(['gpt-4o-mini', 'lab-model-9', 'lab-embed-2']);
    const found = sb.catalog.getModel('openai/lab-model-9');
    expect(found).toMatchObject({ ref: 'openai/lab-model-9', discovered: true, type: 'chat', status: 'active' });
    expect(found?.pricing).toBeUndefined();
    expect(sb.catalog.getModel('openai/lab-embed-2')?.type).toBe('embedding');
    // A model the catalog already lists is not duplicated.
    expect(sb.catalog.findModels({ provider: 'openai' }).filter((model) => model.id === 'gpt-4o-mini')).toHaveLength(1);
    expect(
      sb.catalog
        .findModels({ provider: 'openai' })
        .filter((model) => model.discovered)
        .map((m) => m.id),
    ).toEqual(['lab-model-9', 'lab-embed-2']);
    expect(sb.catalog.calculateCost('openai/lab-model-9', { inputTokens: 10, outputTokens: 10 })).toBeUndefined();

    const recommended = sb.catalog.recommendModels({ providers: ['openai'], limit: Number.POSITIVE_INFINITY });
    const discovered = recommended.find((entry) => entry.model.id === 'lab-model-9');
    expect(discovered?.reasons).toContain('price unknown');
    expect(discovered?.blendedPricePer1M).toBeUndefined();
    // Without price or quality signals it ranks below the listed flagship.
    const rank = (id: string) => recommended.findIndex((entry) => entry.model.id === id);
    expect(rank('gpt-4o')).toBeGreaterThanOrEqual(0);
    expect(rank('lab-model-9')).toBeGreaterThan(rank('gpt-4o'));

    // Listing again adds nothing twice.
    await sb.listModels('openai');
    expect(sb.catalog.findModels({ provider: 'openai' }).filter((model) => model.discovered)).toHaveLength(2);
  });

  it('calls to a discovered model work, without the "not in the catalog" warning and without cost', async () => {
    const server = await listingServer(['lab-model-9']);
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: server.baseURL })] });
    // A model newer than the catalog: typed `string`, the escape hatch of the model-reference check.
    const labModel: string = 'openai/lab-model-9';
    const before = await sb.chat({ model: labModel, messages: HI });
    expect(before.warnings.some((warning) => warning.includes('not in the catalog'))).toBe(true);
    await sb.listModels('openai');
    const after = await sb.chat({ model: labModel, messages: HI });
    expect(after.text).toBe('hi from lab-model-9');
    expect(after.warnings.some((warning) => warning.includes('not in the catalog'))).toBe(false);
    expect(after.cost).toBeUndefined();
    expect(server.chatModels).toEqual(['lab-model-9', 'lab-model-9']);
  });

  it('{ discover: false } only lists', async () => {
    const server = await listingServer(['lab-model-9']);
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: OPENAI_KEY, baseURL: server.baseURL })] });
    expect((await sb.listModels('openai', { discover: false })).map((model) => model.id)).toEqual(['lab-model-9']);
    expect(sb.catalog.getModel('openai/lab-model-9')).toBeUndefined();
  });
});
