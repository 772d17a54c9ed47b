/**
 * The response cache through `createSwitchboard`, against a real loopback server that counts the
 * requests it receives: `cache: true` answers repeated calls without any per-call option, entries are
 * keyed by the resolved model (a dated alias hits its base model's entry) or the group name, and
 * `sb.cache.get / has / delete` work with the request the user holds, so a deleted answer is really
 * asked again. TTLs run on the injected clock, never on wall time.
 */

import type { ChatRequest, EmbedRequest } from '@switchboard/core';
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

/** Requests that reached the server's chat endpoint. */
const chats = (server: FaultServer) => server.requests.filter((request) => request.path.endsWith('/chat/completions'));

describe('cache keys through createSwitchboard', () => {
  it('`cache: true` caches chat calls without any per-call option; `cache: false` bypasses it', async () => {
    const server = await start([{ type: 'ok', text: 'the answer' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI };
    const first = await sb.chat(request);
    const second = await sb.chat(request);
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, text: 'the answer' });
    expect(chats(server)).toHaveLength(1);
    expect((await sb.chat({ ...request, cache: false })).cached).toBe(false);
    expect(chats(server)).toHaveLength(2);
  });

  it('delete(request) removes the entry and the next call reaches the server; has and get take the request', async () => {
    const server = await start([{ type: 'ok', text: 'stale' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI, temperature: 0 };
    expect(await sb.cache.has(request)).toBe(false);
    await sb.chat(request);
    expect(await sb.cache.has(request)).toBe(true);
    expect(await sb.cache.get(request)).toMatchObject({ text: 'stale', cached: true });
    expect(await sb.cache.delete(request)).toBe(true);
    expect(await sb.cache.has(request)).toBe(false);

    server.script([{ type: 'ok', text: 'fresh' }]);
    expect(await sb.chat(request)).toMatchObject({ text: 'fresh', cached: false });
    expect(chats(server)).toHaveLength(2);
    // The key form works too, and a second delete finds nothing.
    expect(await sb.cache.delete(sb.cache.chatKey(request))).toBe(true);
    expect(await sb.cache.delete(request)).toBe(false);
  });

  it('a model group is keyed by its name: `smart` and `group:smart` share the entry, delete(request) removes it', async () => {
    const server = await start([{ type: 'ok', text: 'from a deployment' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, {
      cache: true,
      modelGroups: {
        smart: { deployments: [{ model: 'openai/gpt-4o-mini' }, { model: 'groq/llama-3.1-8b-instant' }] },
      },
    });
    const request: ChatRequest = { model: 'smart', messages: HI };
    await sb.chat(request);
    // Round-robin would pick the other deployment now: the group's entry answers whichever it is.
    expect(await sb.chat({ ...request, model: 'group:smart' })).toMatchObject({ cached: true });
    expect(chats(server)).toHaveLength(1);
    expect(await sb.cache.has(request)).toBe(true);
    // A deployment's own model is another entry: the group is what the user asked for.
    expect(await sb.cache.has({ ...request, model: 'openai/gpt-4o-mini' })).toBe(false);
    expect(await sb.cache.delete(request)).toBe(true);
    await sb.chat(request);
    expect(chats(server)).toHaveLength(2);
  });

  it('a dated alias hits, reports and deletes the entry of its base model', async () => {
    const server = await start([{ type: 'ok', text: 'gpt-4o says hi' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const base: ChatRequest = { model: 'openai/gpt-4o', messages: HI };
    // The catalog maps openai/gpt-4o-2024-08-06 to gpt-4o.
    const dated: ChatRequest = { ...base, model: 'openai/gpt-4o-2024-08-06' };
    expect(sb.resolveModel('openai/gpt-4o-2024-08-06').modelId).toBe('gpt-4o');
    await sb.chat(base);
    expect(await sb.chat(dated)).toMatchObject({ cached: true, text: 'gpt-4o says hi' });
    expect(await sb.chat({ ...base, model: { provider: 'openai', model: 'gpt-4o-2024-11-20' } })).toMatchObject({
      cached: true,
    });
    expect(chats(server)).toHaveLength(1);
    expect(sb.cache.chatKey(dated)).toBe(sb.cache.chatKey(base));
    expect(await sb.cache.has(dated)).toBe(true);
    expect(await sb.cache.delete(dated)).toBe(true);
    expect(await sb.cache.has(base)).toBe(false);
  });

  it('entries live 15 minutes by default, measured on the injected clock', async () => {
    const server = await start([{ type: 'ok', text: 'timed' }]);
    const clock = recordingClock();
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true, clock });
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI };
    expect(sb.cache.ttlMs).toBe(15 * 60_000);
    await sb.chat(request);
    clock.advance(15 * 60_000 - 1);
    expect((await sb.chat(request)).cached).toBe(true);
    clock.advance(2);
    expect((await sb.chat(request)).cached).toBe(false);
    expect(chats(server)).toHaveLength(2);
  });

  it('keeps the options forms: `ttlMs` sets the default TTL, `default: false` caches only calls that ask', async () => {
    const server = await start([{ type: 'ok', text: 'x' }]);
    const clock = recordingClock();
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI };
    const short = faultSwitchboard(server.baseURL, server.baseURL, { cache: { ttlMs: 1000 }, clock });
    await short.chat(request);
    expect((await short.chat(request)).cached).toBe(true);
    clock.advance(1001);
    expect((await short.chat(request)).cached).toBe(false);
    expect(chats(server)).toHaveLength(2);

    const optIn = faultSwitchboard(server.baseURL, server.baseURL, { cache: { default: false } });
    await optIn.chat(request);
    await optIn.chat(request);
    expect(chats(server)).toHaveLength(4);
    await optIn.chat({ ...request, cache: true });
    expect((await optIn.chat({ ...request, cache: { ttl: 60_000 } })).cached).toBe(true);
    expect(chats(server)).toHaveLength(5);
  });

  it('streams use the cache only when they ask, even with `cache: true`', async () => {
    const server = await start([{ type: 'ok', chunks: ['str', 'eam'] }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI };
    expect((await sb.stream(request).response).cached).toBe(false);
    expect((await sb.stream(request).response).cached).toBe(false);
    expect(chats(server)).toHaveLength(2);
    expect(await sb.cache.has(request)).toBe(false);
    await sb.stream({ ...request, cache: true }).response;
    expect(await sb.stream({ ...request, cache: true }).response).toMatchObject({ cached: true, text: 'stream' });
    expect(chats(server)).toHaveLength(3);
  });

  it('embeddings are cached by default and deleted by their request', async () => {
    const server = await start([{ type: 'ok', text: '1' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const request: EmbedRequest = { model: 'openai/text-embedding-3-small', input: ['a', 'b'] };
    const embeddings = () => server.requests.filter((entry) => entry.path.endsWith('/embeddings'));
    await sb.embed(request);
    expect((await sb.embed(request)).cached).toBe(true);
    expect(embeddings()).toHaveLength(1);
    expect(await sb.cache.has(request)).toBe(true);
    expect(await sb.cache.delete(request)).toBe(true);
    expect((await sb.embed(request)).cached).toBe(false);
    expect(embeddings()).toHaveLength(2);
  });

  it('never stores an empty answer: the next identical call asks the provider again', async () => {
    const server = await start([{ type: 'ok', text: '' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { cache: true });
    const request: ChatRequest = { model: 'openai/gpt-4o-mini', messages: HI };
    expect((await sb.chat(request)).text).toBe('');
    expect((await sb.chat(request)).cached).toBe(false);
    expect(chats(server)).toHaveLength(2);
    expect(await sb.cache.has(request)).toBe(false);
  });
});
