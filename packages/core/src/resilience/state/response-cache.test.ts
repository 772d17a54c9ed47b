import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatRequest, EmbedRequest, StreamEvent } from '../../types/requests.js';
import { chatCacheKey, embedCacheKey } from './cache-key.js';
import { LruCacheBackend } from './lru-cache-backend.js';
import { MemoryStore } from './memory-store.js';
import { DEFAULT_CACHE_TTL_MS, ResponseCache } from './response-cache.js';
import { StoreCacheBackend } from './store-cache-backend.js';
import { chatResponse, embedResponse, iterate, streamEvents } from './test-helpers.js';

const request: ChatRequest = {
  model: 'openai/gpt-test',
  messages: [{ role: 'user', content: 'hello' }],
  temperature: 0,
};

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('cache keys', () => {
  it('are stable across object key order and differ for answer-changing options', () => {
    const a = chatCacheKey({
      model: 'openai/m',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.5,
      topP: 1,
    });
    const b = chatCacheKey({
      topP: 1,
      temperature: 0.5,
      messages: [{ content: 'x', role: 'user' }],
      model: 'openai/m',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^chat:[0-9a-f]{64}$/);
    const base = { model: 'openai/m', messages: [{ role: 'user' as const, content: 'x' }] };
    const variants: Partial<ChatRequest & { responseFormat: unknown }>[] = [
      { temperature: 0.7 },
      { maxTokens: 10 },
      { topP: 0.5 },
      { frequencyPenalty: 1 },
      { presencePenalty: 1 },
      { stop: ['\n'] },
      { seed: 1 },
      { reasoning: { effort: 'high' } },
      { providerOptions: { openai: { store: true } } },
      { toolChoice: 'required' },
      { responseFormat: { type: 'json_object' } },
      { model: 'openai/other' },
      { model: 'groq/m' },
      { messages: [{ role: 'user', content: 'y' }] },
    ];
    const keys = new Set(variants.map((v) => chatCacheKey({ ...base, ...v } as ChatRequest)));
    keys.add(chatCacheKey(base));
    expect(keys.size).toBe(variants.length + 1);
  });

  it('ignore headers, timeout, signal, trackCost and the tool loop callbacks', () => {
    const base = chatCacheKey(request);
    const noisy = {
      ...request,
      headers: { 'x-trace': '1' },
      timeout: 5,
      signal: new AbortController().signal,
      trackCost: false,
      maxRetries: 7,
    };
    expect(chatCacheKey(noisy)).toBe(base);
    const withExec = chatCacheKey({
      ...request,
      tools: [{ name: 't', parameters: { type: 'object' }, execute: () => 1 }],
    });
    const withoutExec = chatCacheKey({ ...request, tools: { t: { name: 't', parameters: { type: 'object' } } } });
    expect(withExec).toBe(withoutExec);
  });

  it('include zod schemas (as JSON Schema) and tool parameters', () => {
    const one = chatCacheKey({ ...request, schema: z.object({ a: z.string() }) });
    const two = chatCacheKey({ ...request, schema: z.object({ a: z.number() }) });
    const same = chatCacheKey({ ...request, schema: z.object({ a: z.string() }) });
    expect(one).not.toBe(two);
    expect(one).toBe(same);
    const t1 = chatCacheKey({ ...request, tools: [{ name: 't', parameters: z.object({ q: z.string() }) }] });
    const t2 = chatCacheKey({ ...request, tools: [{ name: 't', parameters: z.object({ q: z.number() }) }] });
    expect(t1).not.toBe(t2);
  });

  it('use the identity over request.model, and an object ref equals its string form', () => {
    expect(chatCacheKey({ ...request, model: { provider: 'openai', model: 'gpt-test' } })).toBe(chatCacheKey(request));
    expect(chatCacheKey({ ...request, model: 'alias' }, { provider: 'openai', model: 'gpt-test' })).toBe(
      chatCacheKey(request),
    );
  });

  it('name a group apart from every provider/model pair; `group:smart` and `smart` are one group', () => {
    const smart = chatCacheKey({ ...request, model: 'smart' });
    expect(chatCacheKey({ ...request, model: 'group:smart' })).toBe(smart);
    expect(chatCacheKey({ ...request, model: 'other/model' }, { group: 'smart' })).toBe(smart);
    // The old layout keyed groups as provider 'group': such a pair is now a different key.
    expect(chatCacheKey(request, { provider: 'group', model: 'smart' })).not.toBe(smart);
    expect(embedCacheKey({ model: 'smart', input: 'a' })).toBe(embedCacheKey({ model: 'group:smart', input: 'a' }));
  });

  it('for embeddings cover provider, model, input, dimensions and encoding', () => {
    const e: EmbedRequest = { model: 'openai/e', input: ['a', 'b'] };
    const k = embedCacheKey(e);
    expect(k).toMatch(/^embed:[0-9a-f]{64}$/);
    expect(embedCacheKey({ ...e, timeout: 1 })).toBe(k);
    expect(embedCacheKey({ ...e, dimensions: 256 })).not.toBe(k);
    expect(embedCacheKey({ ...e, encoding: 'base64' })).not.toBe(k);
    expect(embedCacheKey({ ...e, input: ['a'] })).not.toBe(k);
    expect(embedCacheKey({ ...e, model: 'openai/f' })).not.toBe(k);
  });
});

describe('ResponseCache', () => {
  it('misses, then hits with cached: true, lookup latency and no raw', async () => {
    const cache = new ResponseCache();
    expect(await cache.get(request)).toBeUndefined();
    await cache.set(request, chatResponse('hi'));
    const hit = await cache.get(request);
    expect(hit).toMatchObject({ text: 'hi', cached: true, provider: 'openai', usage: { totalTokens: 15 } });
    expect(hit?.raw).toBeUndefined();
    expect(hit?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(hit?.latencyMs).toBeLessThan(123);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, sets: 1, entries: 1, backend: 'memory-lru' });
    expect(cache.stats().bytes).toBeGreaterThan(0);
  });

  it('keeps raw when configured', async () => {
    const cache = new ResponseCache({ storeRaw: true });
    await cache.set('k', chatResponse('hi'));
    expect((await cache.get('k'))?.raw).toEqual({ id: 'resp_1', choices: [{ text: 'hi' }] });
  });

  it('expires entries after the default and per-call TTL', async () => {
    const clock = fakeClock();
    const cache = new ResponseCache({ backend: new LruCacheBackend({ now: clock.now }), ttlMs: 1000 });
    await cache.set('a', chatResponse('a'));
    await cache.set('b', chatResponse('b'), { ttlMs: 5000 });
    clock.advance(1001);
    expect(await cache.get('a')).toBeUndefined();
    expect((await cache.get('b'))?.text).toBe('b');
    clock.advance(4000);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry when over maxEntries', async () => {
    const cache = new ResponseCache({ backend: new LruCacheBackend({ maxEntries: 2 }) });
    await cache.set('a', chatResponse('a'));
    await cache.set('b', chatResponse('b'));
    await cache.get('a'); // a is now more recent than b
    await cache.set('c', chatResponse('c'));
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.text).toBe('a');
    expect((await cache.get('c'))?.text).toBe('c');
    expect(cache.stats()).toMatchObject({ evictions: 1, entries: 2 });
  });

  it('evicts by bytes and never stores an entry larger than the bound', async () => {
    const probe = new LruCacheBackend();
    await new ResponseCache({ backend: probe }).set('k1', chatResponse('x'.repeat(100)));
    const one = probe.size().bytes;
    const backend = new LruCacheBackend({ maxBytes: one * 2 + 10 });
    const cache = new ResponseCache({ backend });
    await cache.set('k1', chatResponse('x'.repeat(100)));
    await cache.set('k2', chatResponse('y'.repeat(100)));
    await cache.set('k3', chatResponse('z'.repeat(100)));
    expect(backend.size().entries).toBe(2);
    expect(backend.size().bytes).toBeLessThanOrEqual(one * 2 + 10);
    expect(await cache.get('k1')).toBeUndefined();
    await cache.set('huge', chatResponse('h'.repeat(one * 3)));
    expect(await cache.get('huge')).toBeUndefined();
    expect((await cache.get('k3'))?.text).toBe('z'.repeat(100));
  });

  it('deletes by key or by request, and clears', async () => {
    const cache = new ResponseCache();
    await cache.set(request, chatResponse('a'));
    await cache.set('other', chatResponse('b'));
    expect(await cache.delete(request)).toBe(true);
    expect(await cache.delete(request)).toBe(false);
    expect(await cache.get(request)).toBeUndefined();
    await cache.set(cache.chatKey(request), chatResponse('a'));
    await cache.clear();
    expect(cache.stats().entries).toBe(0);
    expect(await cache.get('other')).toBeUndefined();
  });

  it('does not store a response that finished with an error', async () => {
    const cache = new ResponseCache();
    await cache.set('k', chatResponse('partial', { finishReason: 'error' }));
    expect(await cache.get('k')).toBeUndefined();
  });

  it('does not store an empty answer, whatever its finish reason; stores tool calls without text', async () => {
    const cache = new ResponseCache();
    for (const finishReason of ['stop', 'length', 'content-filter', 'other'] as const)
      await cache.set(finishReason, chatResponse('', { finishReason }));
    await cache.set(
      'tools',
      chatResponse('', { finishReason: 'tool-calls', toolCalls: [{ id: '1', name: 'f', arguments: {} }] }),
    );
    for (const key of ['stop', 'length', 'content-filter', 'other']) expect(await cache.has(key)).toBe(false);
    expect(await cache.has('tools')).toBe(true);
    expect(cache.stats().sets).toBe(1);
  });

  it('does not record a stream that finished with an empty answer', async () => {
    const cache = new ResponseCache();
    const empty = chatResponse('', { finishReason: 'length' });
    const recorder = cache.recordStream('empty');
    recorder.push({ type: 'reasoning-delta', text: 'thinking until the token limit' });
    recorder.push({ type: 'finish', finishReason: 'length', usage: empty.usage, response: empty });
    expect(await recorder.done).toBe(false);
    expect(await cache.has('empty')).toBe(false);
  });

  it('does not store embeddings without a vector', async () => {
    const cache = new ResponseCache();
    const req: EmbedRequest = { model: 'openai/embed-test', input: ['a'] };
    await cache.setEmbedding(req, { ...embedResponse(), embeddings: [] });
    expect(await cache.has(req)).toBe(false);
  });

  it('keeps entries 15 minutes by default', async () => {
    expect(DEFAULT_CACHE_TTL_MS).toBe(900_000);
    const clock = fakeClock();
    const cache = new ResponseCache({ backend: new LruCacheBackend({ now: clock.now }) });
    expect(cache.ttlMs).toBe(900_000);
    await cache.set(request, chatResponse('a'));
    clock.advance(899_999);
    expect(await cache.has(request)).toBe(true);
    clock.advance(2);
    expect(await cache.has(request)).toBe(false);
  });

  it('has() answers for a key or a request without counting a hit or a miss', async () => {
    const cache = new ResponseCache();
    expect(await cache.has(request)).toBe(false);
    await cache.set(request, chatResponse('a'));
    expect(await cache.has(request)).toBe(true);
    expect(await cache.has(cache.chatKey(request))).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0 });
  });

  it('with a model resolver, an alias request finds, reports and deletes its base model entry', async () => {
    const cache = new ResponseCache();
    // What createSwitchboard installs: aliases to the catalog id, groups by name.
    const aliases: Record<string, string> = { 'gpt-test-2024-08-06': 'gpt-test' };
    cache.setModelResolver((model) => {
      const ref = typeof model === 'string' ? model : `${model.provider}/${model.model}`;
      const [provider = '', id = ''] = ref.split('/');
      return { provider, model: aliases[id] ?? id };
    });
    const dated: ChatRequest = { ...request, model: 'openai/gpt-test-2024-08-06' };
    expect(cache.chatKey(dated)).toBe(cache.chatKey(request));
    await cache.set(request, chatResponse('base'));
    expect(await cache.has(dated)).toBe(true);
    expect((await cache.get(dated))?.text).toBe('base');
    expect(await cache.delete(dated)).toBe(true);
    expect(await cache.has(request)).toBe(false);
    // The key the resolver gives is not the literal one: the standalone function without it differs.
    expect(chatCacheKey(dated)).not.toBe(cache.chatKey(dated));
  });

  it('records a finished stream and replays the same events', async () => {
    const cache = new ResponseCache();
    const events = streamEvents(['Hel', 'lo']);
    const recorder = cache.recordStream(request);
    const seen: StreamEvent[] = [];
    for await (const event of recorder.wrap(iterate(events))) seen.push(event);
    expect(seen).toEqual(events);
    expect(await recorder.done).toBe(true);
    const replayed = await cache.replay(request);
    expect(replayed).toBeDefined();
    const strip = (list: StreamEvent[]) =>
      list.map((e) =>
        e.type === 'finish'
          ? { ...e, response: { ...e.response, raw: undefined, cached: false, fromCache: undefined, latencyMs: 0 } }
          : e,
      );
    expect(strip(replayed ?? [])).toEqual(strip(events));
    const finish = replayed?.at(-1);
    expect(finish?.type === 'finish' && finish.response.cached).toBe(true);
    expect(finish?.type === 'finish' && finish.response.fromCache).toBe('response');
    // A stored stream also answers a non-streamed lookup.
    expect((await cache.get(request))?.text).toBe('Hello');
  });

  it('replays a non-streamed answer as events', async () => {
    const cache = new ResponseCache();
    await cache.set(
      'k',
      chatResponse('answer', { reasoning: 'r', toolCalls: [{ id: '1', name: 'f', arguments: {} }] }),
    );
    const events = await cache.replay('k');
    expect(events?.map((e) => e.type)).toEqual(['reasoning-delta', 'text-delta', 'tool-call', 'finish']);
  });

  it('never caches an errored, aborted or unfinished stream', async () => {
    const cache = new ResponseCache();
    const events = streamEvents(['a', 'b']);

    // The source throws midway.
    const broken = cache.recordStream('broken');
    await expect(async () => {
      for await (const _ of broken.wrap(iterate(events, 2))) {
        /* consume */
      }
    }).rejects.toThrow('connection reset');
    expect(await broken.done).toBe(false);

    // An error event.
    const errored = cache.recordStream('errored');
    errored.push(events[0] as StreamEvent);
    errored.push({ type: 'error', error: new Error('boom'), partial: chatResponse('a') });
    errored.push(events.at(-1) as StreamEvent);
    expect(await errored.done).toBe(false);

    // The consumer stops early (abort).
    const aborted = cache.recordStream('aborted');
    for await (const _ of aborted.wrap(iterate(events))) break;
    expect(await aborted.done).toBe(false);

    // The source ends without a finish event.
    const cut = cache.recordStream('cut');
    for await (const _ of cut.wrap(iterate(events.slice(0, 3)))) {
      /* consume */
    }
    expect(await cut.done).toBe(false);

    // discard() before finish.
    const discarded = cache.recordStream('discarded');
    discarded.push(events[0] as StreamEvent);
    discarded.discard();
    discarded.push(events.at(-1) as StreamEvent);
    expect(await discarded.done).toBe(false);

    for (const key of ['broken', 'errored', 'aborted', 'cut', 'discarded']) {
      expect(await cache.replay(key)).toBeUndefined();
    }
    expect(cache.stats().sets).toBe(0);
  });

  it('caches embeddings the same way', async () => {
    const cache = new ResponseCache();
    const req: EmbedRequest = { model: 'openai/embed-test', input: ['a', 'b'] };
    expect(await cache.getEmbedding(req)).toBeUndefined();
    await cache.setEmbedding(req, embedResponse());
    const hit = await cache.getEmbedding(req);
    expect(hit).toMatchObject({
      embeddings: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
      cached: true,
      raw: undefined,
    });
    expect(await cache.get(req)).toBeUndefined(); // not a chat answer
    expect(await cache.delete(req)).toBe(true);
  });

  it('works on any Store under sb:cache: with TTL', async () => {
    let now = 5_000;
    const store = new MemoryStore({ now: () => now, sweepIntervalMs: false });
    const cache = new ResponseCache({ backend: new StoreCacheBackend(store), ttlMs: 100 });
    await store.set('sb:rl:keep', '1');
    await cache.set(request, chatResponse('shared'));
    const key = cache.chatKey(request);
    expect(await store.get(`sb:cache:${key}`)).toBeDefined();
    const other = new ResponseCache({ backend: new StoreCacheBackend(store) });
    expect((await other.get(request))?.text).toBe('shared');
    expect(cache.stats()).toMatchObject({ backend: 'store:memory', entries: undefined });
    now += 101;
    expect(await cache.get(request)).toBeUndefined();
    await cache.set('x', chatResponse('x'));
    await cache.clear();
    expect(await cache.get('x')).toBeUndefined();
    expect(await store.get('sb:rl:keep')).toBe('1');
  });

  it('never puts an API key or auth header into a key or a stored value', async () => {
    const secret = 'sk-test-SECRET-0123456789abcdef';
    const backend = new LruCacheBackend();
    const written: string[] = [];
    const spy = {
      ...backend,
      kind: 'spy',
      get: (k: string) => backend.get(k),
      set: async (k: string, v: string, ttl?: number) => {
        written.push(k, v);
        await backend.set(k, v, ttl);
      },
      delete: (k: string) => backend.delete(k),
      clear: () => backend.clear(),
    };
    const cache = new ResponseCache({ backend: spy });
    const secretRequest = {
      ...request,
      apiKey: secret,
      headers: { Authorization: `Bearer ${secret}`, 'x-api-key': secret, 'x-goog-api-key': secret },
    } as ChatRequest;
    const key = cache.chatKey(secretRequest);
    expect(key).toBe(cache.chatKey(request));
    expect(key).not.toContain(secret);
    // A provider echoing the key in its raw body must not leak into the cache either.
    await cache.set(secretRequest, chatResponse('ok', { raw: { echoed: secret } }));
    const recorder = cache.recordStream(secretRequest);
    const events = streamEvents(['ok']);
    const finish = events.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    finish.response.raw = { headers: { authorization: `Bearer ${secret}` } };
    for await (const _ of recorder.wrap(iterate(events))) {
      /* consume */
    }
    expect(await recorder.done).toBe(true);
    await cache.setEmbedding({ model: 'openai/e', input: 'x', apiKey: secret } as EmbedRequest, {
      ...embedResponse(),
      raw: { key: secret },
    });
    expect(written.length).toBeGreaterThanOrEqual(6);
    for (const text of written) {
      expect(text).not.toContain(secret);
      expect(text.toLowerCase()).not.toContain('authorization');
    }
  });
});
