/**
 * The replay engine through both doors: the default undici transport (installReplay, no transport
 * option) and MSW with `transport: 'fetch'`. Matching by body, tie-breaking by order, the miss
 * message, volatile and ignored fields, redacted values and a user matcher.
 */
import { createSwitchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../exchange.js';
import { recordExchanges } from '../record.js';
import { replayExchanges } from '../replay.js';
import { createReplayEngine, type ReplayEngine } from './replay-engine.js';
import { installReplay, replayDispatcher } from './undici-door.js';
import { UnmatchedRequestError } from './unmatched-error.js';

const URL_CHAT = 'https://api.openai.com/v1/chat/completions';

function answer(text: string): RecordedExchange['response'] {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: {
      id: `chatcmpl-${text.length}`,
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    },
  };
}

/** What core sends for one user message (key order deliberately unlike core's). */
function question(content: string, extra: Record<string, unknown> = {}): RecordedExchange['request'] {
  return {
    method: 'POST',
    url: URL_CHAT,
    body: { messages: [{ content, role: 'user' }], model: 'gpt-4o-mini', ...extra },
  };
}

const exchanges: RecordedExchange[] = [
  { request: question('Hello'), response: answer('Hi there') },
  { request: question('What is 2+2?'), response: answer('4') },
  { request: question('Again'), response: answer('first') },
  { request: question('Again'), response: answer('second') },
];

type Door = 'undici' | 'fetch';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
let uninstall: (() => Promise<void>) | undefined;
afterEach(async () => {
  server.resetHandlers();
  await uninstall?.();
  uninstall = undefined;
});

/** Serves `engine` through one door; returns a switchboard that goes through it without naming the replay. */
function through(door: Door, engine: ReplayEngine) {
  if (door === 'undici') uninstall = installReplay(engine).uninstall;
  else server.use(...replayExchanges(engine));
  return createSwitchboard({
    providers: [createOpenAI({ apiKey: 'sk-test-0123456789abcdef' })],
    retry: { maxRetries: 0 },
    cache: false,
    ...(door === 'fetch' ? { transport: 'fetch' as const } : {}),
  });
}

const ask = (sb: ReturnType<typeof through>, content: string, extra: Record<string, unknown> = {}) =>
  sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }], ...extra }).then((r) => r.text);

describe.each(['undici', 'fetch'] as const)('replay through %s', (door) => {
  it('answers each body with its own recording, in any order (key order ignored)', async () => {
    const sb = through(door, createReplayEngine(exchanges));
    expect(await ask(sb, 'What is 2+2?')).toBe('4');
    expect(await ask(sb, 'Hello')).toBe('Hi there');
    expect(await ask(sb, 'What is 2+2?')).toBe('4');
  });

  it('serves identical requests their recordings in recorded order, the last repeating', async () => {
    const sb = through(door, createReplayEngine(exchanges));
    expect(await ask(sb, 'Again')).toBe('first');
    expect(await ask(sb, 'Again')).toBe('second');
    expect(await ask(sb, 'Again')).toBe('second');
  });

  it('fails an unmatched request naming the closest recording and the differing body field', async () => {
    const engine = createReplayEngine(exchanges);
    const sb = through(door, engine);
    const failure = await ask(sb, 'Goodbye').then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toContain(`No recorded exchange matches POST ${URL_CHAT}`);
    expect(failure?.message).toContain('Closest: exchange #');
    expect(failure?.message).toContain('body.messages[0].content: recorded');
    expect(failure?.message).toContain('sent "Goodbye"');
    expect(engine.misses).toHaveLength(1);
    expect(engine.misses[0]).toBeInstanceOf(UnmatchedRequestError);
  });

  it('ignores volatile fields (user) and fields the test names (stream_options)', async () => {
    const recorded: RecordedExchange[] = [
      { request: question('Hello', { user: 'recorded-user', temperature: 0 }), response: answer('volatile ok') },
    ];
    const sb = through(door, createReplayEngine(recorded, { ignoreFields: ['stream_options'] }));
    expect(await ask(sb, 'Hello', { temperature: 0, providerOptions: { user: 'someone-else' } })).toBe('volatile ok');
  });

  it('matches a redacted recorded value against any sent value', async () => {
    const recorded: RecordedExchange[] = [
      { request: question('token REDACTED here'), response: answer('redacted ok') },
    ];
    const sb = through(door, createReplayEngine(recorded));
    expect(await ask(sb, 'token sk-live-anything here')).toBe('redacted ok');
  });

  it('lets a user matcher decide (here: by the last user message only)', async () => {
    const lastUser = (body: unknown) =>
      (body as { messages: { content: unknown }[] }).messages.at(-1)?.content as string | undefined;
    const engine = createReplayEngine(exchanges, {
      matcher: (request, recorded) => lastUser(request.body) === lastUser(recorded.body),
    });
    const sb = through(door, engine);
    expect(await ask(sb, 'Hello', { temperature: 1 })).toBe('Hi there');
  });
});

describe('miss message', () => {
  it('names method, path and query differences', () => {
    const engine = createReplayEngine([
      { request: { method: 'GET', url: 'https://x.test/v1/models?api-version=1' }, response: { body: {} } },
    ]);
    const request = {
      method: 'POST',
      url: 'https://x.test/v1/model?api-version=2',
      headers: {},
      bodyText: '',
      body: undefined,
    };
    expect(() => engine.respond(request)).toThrowError(
      /method: recorded "GET", sent "POST"\n {2}path: recorded "\/v1\/models", sent "\/v1\/model"\n {2}query.api-version: recorded "1", sent "2"/,
    );
  });

  it('says when nothing was recorded', () => {
    expect(() =>
      createReplayEngine([]).respond({
        method: 'GET',
        url: 'https://x.test/',
        headers: {},
        bodyText: '',
        body: undefined,
      }),
    ).toThrowError(/There are no recorded exchanges/);
  });
});

describe('undici door options', () => {
  it('is accepted as createSwitchboard({ transport }) without installing anything', async () => {
    const replay = replayDispatcher(exchanges);
    try {
      const sb = createSwitchboard({
        providers: [createOpenAI({ apiKey: 'sk-test-0123456789abcdef' })],
        transport: replay.dispatcher,
        retry: { maxRetries: 0 },
      });
      expect(await ask(sb as ReturnType<typeof through>, 'Hello')).toBe('Hi there');
      expect(replay.engine.servedCounts[0]).toBe(1);
    } finally {
      await replay.close();
    }
  });

  it('a recorder that was on but saw nothing refuses to save an empty file', async () => {
    const recorder = recordExchanges({ enabled: true, secrets: [] });
    await expect(recorder.save('/tmp/never-written.json')).rejects.toThrow(/no exchange was seen/);
  });
});
