/**
 * Timeouts by default (issue 8, item 2), against real loopback servers: every call has a finite
 * limit from the catalog (or the switchboard's options, `perProvider`, the call), a silent stall
 * ends with a `timeout` error, a stream that only sends keep-alives (SSE `: ping` comments,
 * Anthropic's `event: ping`, blank NDJSON lines) stalls out on its idle limit keeping the text that
 * arrived, a slow but steady stream survives, bad values are refused naming the field, and a stall
 * falls back to the next target.
 *
 * No test waits for a real default (10 minutes): the limits under test are short values given
 * through the descriptor, the options or the call, and the defaults are read from the timer the
 * call arms (a `setTimeout` spy) and fired by hand.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConfigurationError, createSwitchboard, type StreamEvent, TimeoutError } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createGroq } from '@switchboard/provider-groq';
import { createOllama } from '@switchboard/provider-ollama';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GROQ_KEY, HI, OPENAI_KEY } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => void;

interface ScriptedServer {
  baseURL: string;
  /** Requests received. */
  requests: number;
  /** Keep-alives written (pings, comments, blank lines) after the last data event. */
  keepAlives: number;
  /** Stops `timer` when the server closes. */
  track(timer: ReturnType<typeof setInterval>): void;
  close(): Promise<void>;
}

const servers: ScriptedServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A loopback server answering every request with `handler`; closing it destroys open sockets. */
async function serve(handler: (server: ScriptedServer) => Handler): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  const state: ScriptedServer = {
    baseURL: '',
    requests: 0,
    keepAlives: 0,
    track: (timer) => timers.add(timer),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  const answer = handler(state);
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      state.requests += 1;
      answer(req, res, raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  state.baseURL = `http://127.0.0.1:${address.port}`;
  servers.push(state);
  return state;
}

/** Writes `text` every `ms` until the response closes, counting keep-alives. */
function keepWriting(server: ScriptedServer, res: ServerResponse, text: string, ms = 20): void {
  const timer = setInterval(() => {
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    server.keepAlives += 1;
  }, ms);
  server.track(timer);
  res.on('close', () => clearInterval(timer));
}

const openAIChunk = (content: string) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-t',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`;

const completion = (text: string) =>
  JSON.stringify({
    id: 'chatcmpl-t',
    object: 'chat.completion',
    created: 1_733_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  });

/** Headers, the start of a JSON body, then silence. */
const stallAfterHeaders: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"id": "chatcmpl-t", "choices": [');
};

/** An OpenAI stream: `chunks` as data events, then `: ping` comments forever. */
const pingsAfter =
  (chunks: string[]) =>
  (server: ScriptedServer): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of chunks) res.write(openAIChunk(chunk));
    keepWriting(server, res, ': ping\n\n');
  };

const openai = (baseURL: string) => createOpenAI({ apiKey: OPENAI_KEY, baseURL });
const groq = (baseURL: string) => createGroq({ apiKey: GROQ_KEY, baseURL });

async function collect(stream: AsyncIterable<StreamEvent>) {
  let text = '';
  const events: StreamEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (event.type === 'text-delta') text += event.text;
  }
  return { text, events, last: events.at(-1) };
}

/** What core's per-call time limit (its internal CallSignal) exposes to the timer it arms: enough to spot it. */
interface ArmedCall {
  readonly timeoutMs: number | undefined;
  expire(kind: string): void;
  release(): void;
}

type TimerArguments = [callback: (call: ArmedCall) => void, delay: number, call: unknown];

/**
 * True for the object core passes to the `setTimeout` of a call's time limit. Recognised by its shape,
 * not by class: the class is internal to core and tests outside core see only its public exports.
 */
function isArmedCall(value: unknown): value is ArmedCall {
  if (typeof value !== 'object' || value === null) return false;
  const call = value as Partial<Record<keyof ArmedCall, unknown>>;
  return 'timeoutMs' in call && typeof call.expire === 'function' && typeof call.release === 'function';
}

/**
 * Starts a call and reads the request limit of every CallSignal it arms (from its `setTimeout`);
 * `fire` runs those timers by hand: what happens when the limit runs out, without waiting for it.
 */
async function armedLimits(
  start: () => Promise<unknown>,
): Promise<{ limits: number[]; fire: () => void; pending: Promise<unknown> }> {
  const spy = vi.spyOn(globalThis, 'setTimeout');
  const calls = () => spy.mock.calls as unknown as TimerArguments[];
  const pending = start();
  pending.catch(() => undefined);
  // Let the call reach the transport.
  for (let turn = 0; turn < 50 && !calls().some((args) => isArmedCall(args[2])); turn += 1)
    await new Promise((resolve) => setImmediate(resolve));
  const armed = calls().filter((args) => isArmedCall(args[2]));
  spy.mockRestore();
  return {
    limits: armed.map((args) => args[1]),
    fire: () => {
      for (const [callback, , call] of armed) callback(call as ArmedCall);
    },
    pending,
  };
}

describe('a stall ends with a timeout error', () => {
  it('a body that never ends after the headers times out at the call timeout', async () => {
    const server = await serve(() => stallAfterHeaders);
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false });
    const error = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, timeout: 150 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', provider: 'openai', model: 'gpt-4o-mini' });
    // The call's timeout is its overall deadline: the attempt gets what is left of it (a ms may have passed).
    const limit = Number(/^Request timed out after (\d+) ms$/.exec((error as Error).message)?.[1]);
    expect(limit).toBeLessThanOrEqual(150);
    expect(limit).toBeGreaterThan(100);
  });

  it("a body that never ends times out at the descriptor's catalog limit when the call has none", async () => {
    const server = await serve(() => stallAfterHeaders);
    const provider = openai(server.baseURL);
    const tiny = { ...provider, descriptor: { ...provider.descriptor, timeouts: { requestMs: 120, idleMs: 60 } } };
    const sb = createSwitchboard({ providers: [tiny], retry: false });
    const error = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', message: 'Request timed out after 120 ms' });
  });

  it('embeddings and model listing get the provider limit too', async () => {
    const server = await serve(() => stallAfterHeaders);
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false, timeout: 100 });
    await expect(sb.embed({ model: 'openai/text-embedding-3-small', input: 'x' })).rejects.toMatchObject({
      kind: 'timeout',
      message: 'Request timed out after 100 ms',
    });
    await expect(sb.listModels('openai')).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('the default limit: catalog < switchboard option < perProvider < call', () => {
  it('a call with no timeout anywhere still arms a finite one: the catalog value (10 min hosted, 30 min local)', async () => {
    const hanging = await serve(() => () => undefined);
    const sb = createSwitchboard({
      providers: [openai(hanging.baseURL), createOllama({ baseURL: hanging.baseURL })],
      retry: false,
    });
    const hosted = await armedLimits(() => sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }));
    expect(hosted.limits).toEqual([600_000]);
    hosted.fire();
    await expect(hosted.pending).rejects.toMatchObject({
      kind: 'timeout',
      message: 'Request timed out after 600000 ms',
    });

    const local = await armedLimits(() => sb.chat({ model: 'ollama/llama3.2', messages: HI }));
    expect(local.limits).toEqual([1_800_000]);
    local.fire();
    await expect(local.pending).rejects.toMatchObject({ kind: 'timeout', provider: 'ollama' });
  });

  it('a custom provider (no descriptor) gets core fallback of 10 minutes', async () => {
    let seen: AbortSignal | undefined;
    const sb = createSwitchboard({
      providers: [
        {
          id: 'mine',
          kind: 'custom' as const,
          chat: ({ signal }) => {
            seen = signal;
            return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
          },
        },
      ],
      retry: false,
    });
    const { limits, fire, pending } = await armedLimits(() => sb.chat({ model: 'mine/any', messages: HI }));
    expect(limits).toEqual([600_000]);
    expect(seen?.aborted).toBe(false);
    fire();
    expect(seen?.aborted).toBe(true);
    await expect(pending).rejects.toBeDefined();
  });

  it('the switchboard option beats the catalog, perProvider beats the option, the call beats both', async () => {
    const hanging = await serve(() => () => undefined);
    const providers = [openai(hanging.baseURL), groq(hanging.baseURL)] as const;
    const sb = createSwitchboard({
      providers,
      retry: false,
      timeout: 250_000,
      perProvider: { groq: { timeout: 90_000 } },
    });
    const cases: [string, number | undefined, number][] = [
      ['openai/gpt-4o-mini', undefined, 250_000],
      ['groq/llama-3.1-8b-instant', undefined, 90_000],
      ['groq/llama-3.1-8b-instant', 42_000, 42_000],
    ];
    for (const [model, timeout, expected] of cases) {
      const { limits, fire, pending } = await armedLimits(() =>
        sb.chat({ model, messages: HI, ...(timeout === undefined ? {} : { timeout }) }),
      );
      // A call's own timeout is its overall deadline: each attempt gets what is left of it (a ms may have passed).
      expect(limits, model).toHaveLength(1);
      expect(limits[0], model).toBeLessThanOrEqual(expected);
      expect(limits[0], model).toBeGreaterThan(timeout === undefined ? expected - 1 : expected - 1000);
      fire();
      await expect(pending).rejects.toMatchObject({ kind: 'timeout' });
    }
  });
});

describe('streams end when no data event arrives for idleTimeout', () => {
  it('SSE `: ping` comments forever: timeout, keeping the text that arrived before', async () => {
    const server = await serve(pingsAfter(['One', ' two']));
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false });
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, idleTimeout: 200 });
    const { text, last } = await collect(stream);
    expect(text).toBe('One two');
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error).toBeInstanceOf(TimeoutError);
    expect(last.error).toMatchObject({ kind: 'timeout', code: 'STREAM_IDLE_TIMEOUT', provider: 'openai' });
    expect(last.partial.text).toBe('One two');
    await expect(stream.response).rejects.toMatchObject({ kind: 'timeout', partial: { text: 'One two' } });
    // The pings kept coming and did not keep the stream alive.
    expect(server.keepAlives).toBeGreaterThanOrEqual(3);
  });

  it("Anthropic's `event: ping` does not count as data either", async () => {
    const server = await serve((state) => (_req, res) => {
      const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        event('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_t',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [],
            stop_reason: null,
            usage: { input_tokens: 5, output_tokens: 1 },
          },
        }),
      );
      res.write(
        event('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }),
      );
      res.write(
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: 'Hello' },
        }),
      );
      keepWriting(state, res, event('ping', { type: 'ping' }));
    });
    const sb = createSwitchboard({
      providers: [createAnthropic({ apiKey: 'sk-ant-test-0123456789abcdefghij', baseURL: server.baseURL })],
      retry: false,
      idleTimeout: 200,
    });
    const stream = sb.stream({ model: 'anthropic/claude-sonnet-4-5', messages: HI });
    const { text, last } = await collect(stream);
    expect(text).toBe('Hello');
    expect(last).toMatchObject({ type: 'error', error: { kind: 'timeout' }, partial: { text: 'Hello' } });
    expect(server.keepAlives).toBeGreaterThanOrEqual(3);
  });

  it('blank NDJSON lines from Ollama do not count either (idle limit from perProvider)', async () => {
    const server = await serve((state) => (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(
        `${JSON.stringify({ model: 'llama3.2', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content: 'Hi' }, done: false })}\n`,
      );
      keepWriting(state, res, '\n');
    });
    const sb = createSwitchboard({
      providers: [createOllama({ baseURL: server.baseURL })],
      retry: false,
      perProvider: { ollama: { idleTimeout: 200 } },
    });
    const { text, last } = await collect(sb.stream({ model: 'ollama/llama3.2', messages: HI }));
    expect(text).toBe('Hi');
    expect(last).toMatchObject({
      type: 'error',
      error: { kind: 'timeout', provider: 'ollama' },
      partial: { text: 'Hi' },
    });
  });

  it('a slow but steady stream survives an idle limit shorter than its whole duration', async () => {
    const words = ['a', ' b', ' c', ' d', ' e', ' f', ' g', ' h', ' i', ' j'];
    const server = await serve(() => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        if (sent < words.length) {
          res.write(openAIChunk(words[sent] as string));
          // A comment between data events: it must not be what keeps the stream alive.
          res.write(': ping\n\n');
          sent += 1;
          return;
        }
        clearInterval(timer);
        res.end('data: [DONE]\n\n');
      }, 50);
    });
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false });
    // 10 data events 50 ms apart (~500 ms in all) under a 300 ms idle limit.
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, idleTimeout: 300 });
    const { text, last } = await collect(stream);
    expect(text).toBe(words.join(''));
    expect(last?.type).toBe('finish');
  });

  it('a stream that trickles data forever is cut at the provider limit (the limit covers the whole body), keeping its text', async () => {
    const server = await serve((state) => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => {
        if (!res.destroyed) res.write(openAIChunk('x'));
      }, 20);
      state.track(timer);
    });
    // No call timeout: the switchboard's provider-level limit (400 ms) applies; data every 20 ms
    // keeps the 300 ms idle limit from ever firing.
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false, timeout: 400 });
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, idleTimeout: 300 });
    const { text, last } = await collect(stream);
    expect(last?.type).toBe('error');
    const error = (last as Extract<StreamEvent, { type: 'error' }>).error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(text.length).toBeGreaterThan(0);
    expect(text).toMatch(/^x+$/);
    expect((last as Extract<StreamEvent, { type: 'error' }>).partial.text).toBe(text);
  });

  it('a slow consumer is not a stalled provider: the idle clock stops while the consumer holds an event', async () => {
    const server = await serve(() => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${openAIChunk('One')}${openAIChunk(' two')}data: [DONE]\n\n`);
    });
    const sb = createSwitchboard({ providers: [openai(server.baseURL)], retry: false });
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, idleTimeout: 100 });
    let text = '';
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        text += event.text;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (event.type === 'error') throw event.error;
    }
    expect(text).toBe('One two');
  });
});

describe('bad limits are refused naming the field', () => {
  const bad: unknown[] = [-1, 0, Number.NaN, Number.POSITIVE_INFINITY, '5s'];

  it.each(bad)('per call: timeout and idleTimeout %s', async (value) => {
    const sb = createSwitchboard({ providers: [openai('http://127.0.0.1:9')], retry: false });
    const chat = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, timeout: value as number })
      .catch((caught: unknown) => caught);
    expect(chat).toBeInstanceOf(ConfigurationError);
    expect(chat).toMatchObject({ setting: 'timeout' });
    expect((chat as Error).message).toMatch(/^`timeout` must be a positive finite number of milliseconds, got /);
    const idle = await sb
      .chat({ model: 'openai/gpt-4o-mini', messages: HI, idleTimeout: value as number })
      .catch((caught: unknown) => caught);
    expect(idle).toMatchObject({ kind: 'configuration', setting: 'idleTimeout' });
    expect(() => sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, timeout: value as number })).toThrow(
      /`timeout` must be a positive finite number/,
    );
    // (sb.embed refuses synchronously today: the request validation runs before its promise exists.)
    await expect(
      Promise.resolve().then(() =>
        sb.embed({ model: 'openai/text-embedding-3-small', input: 'x', timeout: value as number }),
      ),
    ).rejects.toMatchObject({ setting: 'timeout' });
  });

  it.each(bad)('in the switchboard options and perProvider: %s', (value) => {
    const providers = [openai('http://127.0.0.1:9')] as const;
    expect(() => createSwitchboard({ providers, timeout: value as number })).toThrow(
      expect.objectContaining({ setting: 'timeout' }),
    );
    expect(() => createSwitchboard({ providers, idleTimeout: value as number })).toThrow(
      expect.objectContaining({ setting: 'idleTimeout' }),
    );
    expect(() => createSwitchboard({ providers, perProvider: { openai: { timeout: value as number } } })).toThrow(
      expect.objectContaining({ setting: 'perProvider.openai.timeout' }),
    );
  });

  it('refuses before sending anything', async () => {
    const server = await serve(() => (_req, res) => res.end(completion('never')));
    const sb = createSwitchboard({ providers: [openai(server.baseURL)] });
    await expect(sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, timeout: -1 })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    expect(server.requests).toBe(0);
  });
});

describe('a stall falls back to the next target', () => {
  it('chat: a stalled body on the first provider (its own limit) moves on to the second', async () => {
    const stalled = await serve(() => stallAfterHeaders);
    const healthy = await serve(() => (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion('from groq'));
    });
    const sb = createSwitchboard({
      providers: [openai(stalled.baseURL), groq(healthy.baseURL)],
      retry: false,
      perProvider: { openai: { timeout: 150 } },
    });
    const response = await sb.chat({
      model: 'openai/gpt-4o-mini',
      messages: HI,
      fallback: ['groq/llama-3.1-8b-instant'],
    });
    expect(response.text).toBe('from groq');
    expect(response.provider).toBe('groq');
    expect(response.attempts?.[0]).toMatchObject({ provider: 'openai', error: { kind: 'timeout' } });
    expect(stalled.requests).toBe(1);
  });

  it('stream: pings only on the first provider, before any data, fall back to the second', async () => {
    const pinging = await serve(pingsAfter([]));
    const healthy = await serve(() => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${openAIChunk('from')}${openAIChunk(' groq')}data: [DONE]\n\n`);
    });
    const sb = createSwitchboard({ providers: [openai(pinging.baseURL), groq(healthy.baseURL)], retry: false });
    const stream = sb.stream({
      model: 'openai/gpt-4o-mini',
      messages: HI,
      idleTimeout: 150,
      fallback: ['groq/llama-3.1-8b-instant'],
    });
    const { text, last } = await collect(stream);
    expect(text).toBe('from groq');
    expect(last?.type).toBe('finish');
    expect((await stream.response).provider).toBe('groq');
  });
});
