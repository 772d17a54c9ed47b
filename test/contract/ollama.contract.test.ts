/**
 * Ollama contract edge cases; the main cases (chat, NDJSON stream, tool calls, embeddings, models,
 * 401/404/429/400 errors) are the `tests:` of catalog/providers/ollama.yaml, run by
 * catalog-cases.test.ts. Here: the recorded native NDJSON stream (magentic) and the maintainers'
 * docs examples (test/contract/fixtures/ollama) replayed through MSW and
 * `createSwitchboard` on both transports (undici and fetch, named in each test) with the catalog's ollama.yaml. Checks the request sent (method, URL, headers, body) and the
 * normalized result or error.
 */

import type { ChatStream, StreamEvent } from '@switchboard/core';
import { createSwitchboard, defineProvider } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FixtureFile,
  loadFixture,
  loadProvider,
  type MockServer,
  startMockServer,
  TRANSPORTS,
  type TransportName,
  transportOption,
} from './harness.js';

const provider = loadProvider('ollama');
const KEY = 'ollama-test-key-0123456789abcdef';

let mock: MockServer;
/** The transport of the describe block running (every block runs on each of TRANSPORTS). */
let current: TransportName = 'undici';
beforeAll(() => {
  mock = startMockServer();
});
afterAll(() => mock.close());

function switchboard(env: Record<string, string> = {}) {
  const definition = defineProvider({ descriptor: provider.descriptor as never, models: provider.models, aliases: {} });
  return createSwitchboard({ providers: [definition], ...transportOption(current), env });
}

function serve(name: string, secret?: string): FixtureFile {
  const fixture = loadFixture(`ollama/${name}`);
  mock.reset();
  mock.serve(fixture.response, secret);
  return fixture;
}

function sent() {
  expect(mock.captured).toHaveLength(1);
  const req = mock.captured[0];
  if (!req) throw new Error('no request');
  return req;
}

async function drain(stream: ChatStream): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

async function failure(promise: Promise<unknown>): Promise<(Error & Record<string, unknown>) | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => e as Error & Record<string, unknown>,
  );
}

const GET_WEATHER = {
  name: 'get_weather',
  description: 'Get the weather in a given city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city to get the weather for' } },
    required: ['city'],
  },
};

describe.each(TRANSPORTS)('[%s]', (transport) => {
  beforeAll(() => {
    current = transport;
  });

  describe('ollama contract: chat', () => {
    it('non-streaming /api/chat (docs example)', async () => {
      const fx = serve('chat-nonstream.docs.json');
      const res = await switchboard().chat({
        model: 'ollama/llama3.2',
        messages: [{ role: 'user', content: 'why is the sky blue?' }],
      });
      const req = sent();
      expect(req.method).toBe('POST');
      expect(req.url).toBe('http://localhost:11434/api/chat');
      expect(req.rawHeaders['content-type']).toBe('application/json');
      expect(req.rawHeaders.authorization).toBeUndefined();
      expect(req.body).toEqual(fx.request?.body);
      expect(res).toMatchObject({
        text: 'Hello! How are you today?',
        toolCalls: [],
        finishReason: 'stop',
        usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
        provider: 'ollama',
      });
    });

    it('streaming NDJSON (recorded, magentic) with OLLAMA_API_KEY as bearer', async () => {
      const fx = serve('chat-stream.magentic.json', KEY);
      const stream = switchboard({ OLLAMA_API_KEY: KEY }).stream({
        model: 'ollama/llama3.1',
        messages: [{ role: 'user', content: 'Say hello!' }],
      });
      const events = await drain(stream);
      const res = await stream.response;
      const req = sent();
      expect(req.url).toBe(fx.request?.url);
      expect(req.rawHeaders.authorization).toBe(`Bearer ${KEY}`);
      expect(req.bodyText).not.toContain(KEY);
      const { options: _empty, ...recorded } = (fx.request?.body ?? {}) as Record<string, unknown>;
      expect(req.body).toEqual(recorded);
      expect(res.text).toBe(
        'Hello! How are you today? Is there something I can help you with or would you like to chat?',
      );
      expect(res).toMatchObject({
        finishReason: 'stop',
        rawFinishReason: 'stop',
        usage: { inputTokens: 13, outputTokens: 23, totalTokens: 36 },
      });
      expect(events.filter((e) => e.type === 'text-delta').length).toBe(22);
    });

    it('tool call, streamed (docs example): whole call in one line', async () => {
      const fx = serve('chat-tools-stream.docs.json');
      const stream = switchboard().stream({
        model: 'ollama/llama3.2',
        messages: [{ role: 'user', content: 'what is the weather in tokyo?' }],
        tools: [GET_WEATHER],
      });
      const events = await drain(stream);
      const res = await stream.response;
      expect(sent().body).toEqual(fx.request?.body);
      expect(res.toolCalls).toEqual([
        { id: 'call_20250707202219184789_0', name: 'get_weather', arguments: { city: 'Tokyo' } },
      ]);
      expect(res).toMatchObject({
        finishReason: 'tool-calls',
        usage: { inputTokens: 169, outputTokens: 15, totalTokens: 184 },
      });
      expect(events.some((e) => e.type === 'tool-call')).toBe(true);
    });

    it('tool result round trip (docs "with history, with tools"): tool_name from the call', async () => {
      const fx = serve('chat-history-tools.docs.json');
      const res = await switchboard().chat({
        model: 'ollama/llama3.2',
        messages: [
          { role: 'user', content: 'what is the weather in Toronto?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Toronto' } }],
          },
          { role: 'tool', toolCallId: 'call_1', content: '11 degrees celsius' },
        ],
        tools: [GET_WEATHER],
      });
      expect(sent().body).toEqual(fx.request?.body);
      expect(res.text).toBe('The current temperature in Toronto is 11°C.');
    });

    it('structured output: JSON schema in `format` (docs example)', async () => {
      const fx = serve('chat-structured-output.docs.json');
      const res = await switchboard().chat({
        model: 'ollama/llama3.1',
        messages: [
          {
            role: 'user',
            content:
              'Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability.',
          },
        ],
        temperature: 0,
        providerOptions: {
          format: {
            type: 'object',
            properties: { age: { type: 'integer' }, available: { type: 'boolean' } },
            required: ['age', 'available'],
          },
        },
      });
      expect(sent().body).toEqual(fx.request?.body);
      expect(JSON.parse(res.text)).toEqual({ age: 22, available: false });
    });

    it('thinking stream: message.thinking -> reasoning', async () => {
      const fx = serve('chat-stream-thinking.synthesized.json');
      const stream = switchboard().stream({
        model: 'ollama/qwen3',
        messages: [{ role: 'user', content: 'What is 2+2?' }],
        providerOptions: { think: true },
      });
      const events = await drain(stream);
      const res = await stream.response;
      expect(sent().body).toEqual(fx.request?.body);
      expect(res).toMatchObject({
        text: '2 + 2 = 4.',
        reasoning: 'The user asks 2+2. That is 4.',
        finishReason: 'stop',
      });
      expect(events.filter((e) => e.type === 'reasoning-delta')).toHaveLength(2);
    });

    it('an error line mid-stream (HTTP 200) fails the stream and keeps the text', async () => {
      serve('chat-stream-midstream-error.synthesized.json');
      const stream = switchboard().stream({
        model: 'ollama/gemma4',
        messages: [{ role: 'user', content: 'Can you?' }],
      });
      const events: StreamEvent[] = [];
      try {
        for await (const e of stream) events.push(e);
      } catch {
        // the iterator may throw as well as emit the error event
      }
      const error = await failure(stream.response);
      expect(error).toMatchObject({ kind: 'provider', provider: 'ollama' });
      expect(error?.message).toContain('an error was encountered while running the model');
      const errorEvent = events.find((e) => e.type === 'error');
      if (errorEvent?.type === 'error') expect(errorEvent.partial.text).toBe(' Yes.Ican');
    });
  });

  describe('ollama contract: models', () => {
    it('GET /api/tags (docs example)', async () => {
      serve('tags.docs.json');
      const models = await switchboard().listModels('ollama');
      const req = sent();
      expect(req.method).toBe('GET');
      expect(req.url).toBe('http://localhost:11434/api/tags');
      expect(models.map((m) => m.id)).toEqual(['deepseek-r1:latest', 'llama3.2:latest']);
      expect(models[0]).toMatchObject({
        provider: 'ollama',
        raw: { size: 4683075271, details: { parameter_size: '7.6B', family: 'qwen2' } },
      });
    });
  });

  describe('ollama contract: errors', () => {
    it.each([['error-500-model-failed.synthesized.json', 'provider', 500, false]])(
      '%s -> %s',
      async (name, kind, status, retryable) => {
        const fx = serve(name, KEY);
        const body = fx.request?.body as { model: string; options?: { temperature?: number; stop?: string[] } };
        const error = await failure(
          switchboard({ OLLAMA_API_KEY: KEY }).chat({
            model: `ollama/${body.model}`,
            messages: [{ role: 'user', content: 'Hello!' }],
            ...(body.options?.temperature !== undefined ? { temperature: body.options.temperature } : {}),
            ...(body.options?.stop !== undefined ? { stop: body.options.stop } : {}),
          }),
        );
        const req = sent();
        expect(req.url).toBe(fx.request?.url);
        expect(req.body).toEqual(fx.request?.body);
        expect(req.rawHeaders.authorization).toBe(`Bearer ${KEY}`);
        expect(error).toMatchObject({ kind, status, retryable, provider: 'ollama' });
        expect(error?.message).toContain((fx.response.body as { error: string }).error);
        expect(error?.message).not.toContain(KEY);
      },
    );
  });
});
