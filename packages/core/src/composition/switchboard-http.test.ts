import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, NetworkError, TimeoutError, UnsupportedCapabilityError } from '../errors/errors.js';
import { encodeBase64Embedding } from '../features/embedding-math.js';
import { registerProtocolAdapter } from '../protocols/registry.js';
import { fakeAdapter } from '../runtime/test-support/fake-adapter.js';
import { createFakeProvider } from '../runtime/test-support/fake-provider.js';
import { type LocalServer, type RecordedRequest, sse, startServer } from '../runtime/test-support/local-server.js';
import type { StreamEvent } from '../types/requests.js';
import { createSwitchboard } from './create-switchboard.js';

const KEY = 'sk-test-SECRET-123456';
type Reply = (req: RecordedRequest, res: import('node:http').ServerResponse) => void | Promise<void>;
let reply: Reply = (_req, res) => {
  res.end('{}');
};
let server: LocalServer;

beforeAll(async () => {
  registerProtocolAdapter(fakeAdapter);
  server = await startServer((req, res) => reply(req, res));
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const env = () => ({ FAKE_API_KEY: KEY, FAKE_PORT: String(server.port) });
const json =
  (body: unknown, status = 200): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.end(JSON.stringify(body));
  };
const sb = (transport?: 'undici' | 'fetch', settings = {}) =>
  createSwitchboard({ providers: [createFakeProvider(settings)], env: env(), ...(transport ? { transport } : {}) });
const messages = [{ role: 'user' as const, content: 'Hi' }];

describe.each(['undici', 'fetch'] as const)('chat over %s', (transport) => {
  it('sends auth, headers, query params and normalizes usage and cost', async () => {
    reply = json({ text: 'Hello!', usage: { inputTokens: 1000, outputTokens: 500 }, id: 'x1' });
    const res = await sb(transport, { headers: { 'x-user': 'u' } }).chat({
      model: 'fake/large',
      messages,
      headers: { 'x-call': 'c' },
      temperature: 0.2,
    });
    expect(res).toMatchObject({
      text: 'Hello!',
      provider: 'fake',
      model: 'big',
      id: 'x1',
      cached: false,
      warnings: [],
    });
    expect(res.usage).toEqual({ inputTokens: 1000, outputTokens: 500, totalTokens: 1500 });
    expect(res.cost?.total).toBeCloseTo(0.006, 10);
    expect(res.latencyMs).toBeGreaterThan(0);
    const [req] = server.requests;
    expect(req?.url).toBe('/v1/chat?api-version=2024-01-01');
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.headers['x-fake-version']).toBe('2024-01-01');
    expect(req?.headers['x-user']).toBe('u');
    expect(req?.headers['x-call']).toBe('c');
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ model: 'big', temperature: 0.2, stream: false });
  });
});

describe('configuration before any request', () => {
  it('missing key: ConfigurationError naming the env variables, zero requests', async () => {
    const board = createSwitchboard({ providers: [createFakeProvider()], env: { FAKE_PORT: String(server.port) } });
    const error = await board.chat({ model: 'fake/big', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('FAKE_API_KEY');
    expect((error as ConfigurationError).setting).toBe('FAKE_API_KEY');
    const streamed = board.stream({ model: 'fake/big', messages });
    await expect(streamed.response).rejects.toBeInstanceOf(ConfigurationError);
    expect(server.requests).toHaveLength(0);
  });

  it('missing required URL parameter names its env variable', async () => {
    const board = createSwitchboard({ providers: [createFakeProvider()], env: { FAKE_API_KEY: KEY } });
    await expect(board.chat({ model: 'fake/big', messages })).rejects.toThrow(/FAKE_PORT/);
    expect(server.requests).toHaveLength(0);
  });

  it('image to a model without vision and tools to a model without tools fail before the network', async () => {
    const image = { type: 'image' as const, image: 'https://example.com/cat.png' };
    const error = await sb()
      .chat({ model: 'fake/small', messages: [{ role: 'user', content: [{ type: 'text', text: 'what?' }, image] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedCapabilityError);
    expect((error as UnsupportedCapabilityError).capability).toBe('vision');
    const toolError = await sb()
      .chat({ model: 'fake/small', messages, tools: [{ name: 't', parameters: { type: 'object' } }] })
      .catch((e: unknown) => e);
    expect((toolError as UnsupportedCapabilityError).capability).toBe('tools');
    expect(server.requests).toHaveLength(0);
  });
});

describe('option support', () => {
  it('drops options the model or provider rejects, with warnings', async () => {
    reply = json({ text: 'ok' });
    const res = await sb().chat({ model: 'fake/small', messages, temperature: 1, frequencyPenalty: 0.5, topP: 0.9 });
    expect(res.warnings).toEqual([
      "Dropped option 'temperature': not supported by model 'small'",
      "Dropped option 'frequencyPenalty': not supported by provider 'fake'",
    ]);
    const body = JSON.parse(server.requests[0]?.body ?? '{}');
    expect(body.temperature).toBeUndefined();
    expect(body.frequencyPenalty).toBeUndefined();
    expect(body.topP).toBe(0.9);
  });

  it('sends an unknown model as is, with a warning and no cost', async () => {
    reply = json({ text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } });
    const res = await sb().chat({ model: { provider: 'fake', model: 'future-model' }, messages });
    expect(res.warnings[0]).toMatch(/not in the catalog/);
    expect(res.cost).toBeUndefined();
    expect(JSON.parse(server.requests[0]?.body ?? '{}').model).toBe('future-model');
  });
});

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('streaming', () => {
  it('accumulates text, tool calls (indexed, unindexed, parallel, whole) and merged usage', async () => {
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive\n\n');
      res.write(
        sse([
          { type: 'metadata', id: 'resp-1' },
          { type: 'text-delta', text: 'Hel' },
        ]),
      );
      res.write(
        sse([
          { type: 'text-delta', text: 'lo' },
          { type: 'usage', usage: { inputTokens: 10 } },
        ]),
      );
      res.write(
        sse([
          { type: 'tool-call-delta', index: 0, id: 'a', name: 'get', argumentsDelta: '{"x":' },
          { type: 'tool-call-delta', index: 1, id: 'b', name: 'put', argumentsDelta: '{"y":2}' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
          // same index, new id: a new call
          { type: 'tool-call-delta', index: 1, id: 'c', name: 'del', argumentsDelta: '{}' },
          // no index: id starts a call, following deltas continue it
          { type: 'tool-call-delta', id: 'd', name: 'noidx', argumentsDelta: '{"z"' },
          { type: 'tool-call-delta', argumentsDelta: ':3}' },
          { type: 'tool-call', index: 9, id: 'e', name: 'whole', arguments: '{"w":true}' },
        ]),
      );
      res.end(
        sse([
          { type: 'usage', usage: { outputTokens: 5 } },
          { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
          '[DONE]',
        ]),
      );
    };
    const stream = sb().stream({ model: 'fake/big', messages });
    const events = await collect(stream);
    const response = await stream.response;
    expect(events.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text)).toEqual([
      'Hel',
      'lo',
    ]);
    expect(response.text).toBe('Hello');
    expect(response.id).toBe('resp-1');
    expect(response.toolCalls).toEqual([
      { id: 'a', name: 'get', arguments: { x: 1 } },
      { id: 'b', name: 'put', arguments: { y: 2 } },
      { id: 'c', name: 'del', arguments: {} },
      { id: 'd', name: 'noidx', arguments: { z: 3 } },
      { id: 'e', name: 'whole', arguments: { w: true } },
    ]);
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(5);
    const finish = events.at(-1);
    expect(finish?.type).toBe('finish');
    expect(response.usage).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(response.cost?.total).toBeCloseTo((10 * 2 + 5 * 8) / 1e6, 12);
    expect(response.finishReason).toBe('tool-calls');
    expect(JSON.parse(server.requests[0]?.body ?? '{}').stream).toBe(true);
  });

  it('keeps the partial text when the connection is cut midway', async () => {
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        sse([
          { type: 'text-delta', text: 'partial ' },
          { type: 'text-delta', text: 'answer' },
        ]),
      );
      setTimeout(() => res.socket?.destroy(), 30);
    };
    const stream = sb().stream({ model: 'fake/big', messages });
    const events = await collect(stream);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') throw new Error('expected error');
    expect(last.partial.text).toBe('partial answer');
    expect(last.error).toBeInstanceOf(NetworkError);
    const error = await stream.response.catch((e: unknown) => e);
    expect(error).toBe(last.error);
    expect((error as NetworkError).partial?.text).toBe('partial answer');
  });

  it('turns an error event under HTTP 200 into an error with the partial text', async () => {
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        sse([
          { type: 'text-delta', text: 'so far' },
          { type: 'error', message: 'overloaded' },
        ]),
      );
    };
    const stream = sb().stream({ model: 'fake/big', messages });
    const error = await stream.response.catch((e: unknown) => e);
    expect((error as Error).message).toContain('overloaded');
    expect((error as { partial?: { text: string } }).partial?.text).toBe('so far');
  });

  it('abort() stops the stream and keeps what arrived', async () => {
    reply = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse([{ type: 'text-delta', text: 'first' }]));
    };
    const stream = sb().stream({ model: 'fake/big', messages });
    const events: StreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'text-delta') stream.abort();
    }
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.partial.text).toBe('first');
  });
});

describe('timeouts, errors and secrets', () => {
  it('maps a timeout to TimeoutError', async () => {
    reply = (_req, res) => {
      setTimeout(() => res.end('{"text":"late"}'), 500);
    };
    await expect(sb().chat({ model: 'fake/big', messages, timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('never puts the key in an error message', async () => {
    reply = json({ error: `invalid key ${KEY}` }, 401);
    const error = (await sb()
      .chat({ model: 'fake/big', messages })
      .catch((e: unknown) => e)) as Error & { status: number; requestId: string; provider: string };
    expect(error.name).toBe('AuthenticationError');
    expect(error.status).toBe(401);
    expect(error.requestId).toBe('req_1');
    expect(error.provider).toBe('fake');
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });

  it('maps a refused connection to NetworkError', async () => {
    const board = createSwitchboard({
      providers: [createFakeProvider({ baseURL: 'http://127.0.0.1:1/v1' })],
      env: env(),
    });
    await expect(board.chat({ model: 'fake/big', messages })).rejects.toBeInstanceOf(NetworkError);
  });

  it('reports shared pool statistics', async () => {
    reply = json({ text: 'ok' });
    const board = sb();
    await board.chat({ model: 'fake/big', messages });
    const stats = board.dispatcherStats();
    expect(stats.origins).toBeGreaterThanOrEqual(1);
    expect(stats.connected).toBeGreaterThanOrEqual(1);
  });
});

describe('embeddings and models', () => {
  it('batches by maxEmbeddingInputs and decodes base64 vectors', async () => {
    reply = (req, res) => {
      const body = JSON.parse(req.body) as { input: string[] };
      res.end(
        JSON.stringify({
          data: body.input.map((text, i) => (i % 2 ? encodeBase64Embedding([text.length, 0.5]) : [text.length, 0.25])),
          tokens: body.input.length,
        }),
      );
    };
    const res = await sb().embed({
      model: 'fake/embed',
      input: ['a', 'bb', 'ccc', 'dddd', 'eeeee'],
      encoding: 'base64',
    });
    expect(server.requests).toHaveLength(3);
    expect(res.embeddings).toEqual([
      [1, 0.25],
      [2, 0.5],
      [3, 0.25],
      [4, 0.5],
      [5, 0.25],
    ]);
    expect(res.usage.inputTokens).toBe(5);
    expect(res.cost?.total).toBeCloseTo(5e-7, 12);
  });

  it('lists models through the adapter', async () => {
    reply = json({ ids: ['big', 'new'] });
    const models = await sb().listModels('fake');
    expect(models.map((m) => m.id)).toEqual(['big', 'new']);
    expect(server.requests[0]?.method).toBe('GET');
  });
});
