/**
 * The test cache end to end on the default (undici) transport, against a local node:http server
 * standing in for OpenAI (through `baseURL`) with a real-looking key: record mode sends each
 * exchange once, replay mode answers from the files with no key and undici's network disabled,
 * refresh re-records, a miss is an error naming the closest recording, and the files diff well.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../exchange.js';
import { testCacheMode } from './cache-mode.js';
import type { TestIdentity } from './entry-path.js';
import { createTestCache, type TestCache, TestCacheMissError } from './test-cache.js';

const KEY = 'sk-proj-TestCacheLooksReal0123456789abcdefghijklmnopqr';
const TEST: TestIdentity = { file: 'test/app.test.ts', name: 'app > answers questions' };
const ENTRY = 'openai/test/app.test.ts/app - answers questions.json';

interface LocalServer {
  port: number;
  requests: { url: string; body: string }[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 (random port) that keeps every request it answers. */
async function startServer(handler: (request: { url: string; body: string }, res: ServerResponse) => void) {
  const requests: LocalServer['requests'] = [];
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { url: req.url ?? '', body };
      requests.push(request);
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  } satisfies LocalServer;
}

let answer = 'Paris';
let server: LocalServer;
let dir: string;
const installed: { uninstall(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-test-cache-'));
  server = await startServer((request, res) => {
    const body = JSON.parse(request.body) as { stream?: boolean; input?: string[]; messages?: { content: string }[] };
    if (request.url.endsWith('/embeddings')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: (body.input ?? []).map((_, index) => ({ object: 'embedding', index, embedding: [index, 0.5] })),
          model: 'text-embedding-3-small',
          usage: { prompt_tokens: 2, total_tokens: 2 },
        }),
      );
      return;
    }
    const question = body.messages?.at(-1)?.content ?? '';
    const text = `${answer} (${question})`;
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const events = [
        `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { role: 'assistant', content: text.slice(0, 3) } }] })}\n\n`,
        `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { content: text.slice(3) }, finish_reason: 'stop' }] })}\n\n`,
        'data: [DONE]\n\n',
      ].join('');
      // Cut mid-event, as a network does: the file must still hold one string per event.
      res.write(events.slice(0, 17));
      setTimeout(() => res.end(events.slice(17)), 5);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      }),
    );
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const item of installed.splice(0)) await item.uninstall();
});

function cacheFor(mode: 'replay' | 'record' | 'refresh', test: TestIdentity = TEST): TestCache {
  const cache = createTestCache({
    dir,
    mode,
    currentTest: () => test,
    providerOf: () => 'openai',
    secrets: mode === 'replay' ? [] : [KEY],
  });
  installed.push(cache.install());
  return cache;
}

/** A switchboard as the user's code builds it: default transport, nothing about the cache. */
function board(apiKey: string) {
  return createSwitchboard({
    providers: [createOpenAI({ apiKey, baseURL: `http://127.0.0.1:${server.port}/v1` })],
    retry: false,
    cache: false,
  });
}

async function exercise(apiKey: string) {
  const sb = board(apiKey);
  const chat = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Capital?' }] });
  const stream = await sb.stream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Stream it' }] })
    .response;
  const embed = await sb.embed({ model: 'openai/text-embedding-3-small', input: ['a', 'b'] });
  return { chat, stream, embed };
}

const readEntry = async (entry = ENTRY) =>
  JSON.parse(await readFile(join(dir, ...entry.split('/')), 'utf8')) as RecordedExchange[];

describe('test cache', () => {
  it('record mode sends each exchange once; replay answers from the files with no key and the network disabled', async () => {
    const before = server.requests.length;
    const recorder = cacheFor('record');
    const live = await exercise(KEY);
    expect(server.requests.length - before).toBe(3);
    expect(recorder.stats).toEqual({ hits: 0, misses: 0, saves: 3 });
    expect(recorder.usedEntries()).toEqual([ENTRY]);
    expect(live.chat.fromCache).toBeUndefined();
    expect(live.chat.text).toBe('Paris (Capital?)');

    // A second record run finds everything on file: no call goes out, nothing is saved twice.
    await installed.pop()?.uninstall();
    const again = cacheFor('record');
    await exercise(KEY);
    expect(server.requests.length - before).toBe(3);
    expect(again.stats).toEqual({ hits: 3, misses: 0, saves: 0 });

    // Replay: no real key, undici's MockAgent below with net connect disabled.
    await installed.pop()?.uninstall();
    const replay = cacheFor('replay');
    const replayed = await exercise('sk-not-a-real-key');
    expect(server.requests.length - before).toBe(3);
    expect(replay.stats).toEqual({ hits: 3, misses: 0, saves: 0 });
    expect(replayed.chat.text).toBe(live.chat.text);
    expect(replayed.stream.text).toBe(live.stream.text);
    expect(replayed.stream.usage).toEqual(live.stream.usage);
    expect(replayed.embed.embeddings).toEqual(live.embed.embeddings);
    expect([replayed.chat.fromCache, replayed.stream.fromCache, replayed.embed.fromCache]).toEqual([
      'test',
      'test',
      'test',
    ]);
    expect(replayed.chat.cached).toBe(false);
  });

  it('keeps files reviewable: pretty JSON, SSE as one string per event, the key redacted', async () => {
    const text = await readFile(join(dir, ...ENTRY.split('/')), 'utf8');
    expect(text).toContain('\n  {\n    "request": {');
    expect(text).not.toContain(KEY);
    const exchanges = JSON.parse(text) as RecordedExchange[];
    const streamed = exchanges.find((exchange) => exchange.response.chunks !== undefined);
    expect(streamed?.response.chunks).toHaveLength(3);
    for (const event of streamed?.response.chunks ?? []) expect(event).toMatch(/^data: .*\n\n$/s);
    expect(exchanges[0]?.request.headers?.authorization).toBe('Bearer REDACTED');
  });

  it('refresh re-records every exchange of the test and rewrites its file', async () => {
    answer = 'Lyon';
    const before = server.requests.length;
    const refresh = cacheFor('refresh');
    const fresh = await exercise(KEY);
    expect(server.requests.length - before).toBe(3);
    expect(refresh.stats).toEqual({ hits: 0, misses: 0, saves: 3 });
    expect(fresh.chat.text).toBe('Lyon (Capital?)');
    const exchanges = await readEntry();
    expect(exchanges).toHaveLength(3);
    expect(JSON.stringify(exchanges)).not.toContain('Paris');

    await installed.pop()?.uninstall();
    cacheFor('replay');
    expect((await exercise('sk-not-a-real-key')).chat.text).toBe('Lyon (Capital?)');
  });

  it('a request the files do not hold fails in replay mode with the closest recording and the difference', async () => {
    const before = server.requests.length;
    const replay = cacheFor('replay');
    const failure = await board('sk-not-a-real-key')
      .chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of Peru?' }] })
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(server.requests.length).toBe(before);
    expect(failure?.message).toContain('Test cache (replay mode) has no answer for test "app > answers questions"');
    expect(failure?.message).toContain(ENTRY);
    expect(failure?.message).toContain('body.messages[0].content: recorded "Capital?", sent "Capital of Peru?"');
    expect(replay.stats).toEqual({ hits: 0, misses: 1, saves: 0 });
    expect(replay.misses[0]).toBeInstanceOf(TestCacheMissError);
  });

  it('a test with no recording at all names the closest recording of another test of the provider', async () => {
    const replay = cacheFor('replay', { file: 'test/other.test.ts', name: 'never recorded' });
    const failure = await board('sk-not-a-real-key')
      .chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Capital?' }] })
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(failure?.message).toContain('no recording at openai/test/other.test.ts/never recorded.json exists');
    expect(failure?.message).toMatch(
      new RegExp(
        `Closest: exchange #\\d+ POST http://127.0.0.1:${server.port}/v1/chat/completions \\(.*openai/test/app.test.ts/app - answers questions.json`,
      ),
    );
    expect(replay.misses).toHaveLength(1);
  });

  it('names a misspelt SWITCHBOARD_TEST_CACHE', () => {
    expect(testCacheMode(undefined)).toBe('replay');
    expect(testCacheMode('refresh')).toBe('refresh');
    expect(() => testCacheMode('recrod')).toThrow(
      'SWITCHBOARD_TEST_CACHE must be one of replay, record, refresh (got "recrod")',
    );
  });
});
