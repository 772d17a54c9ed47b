import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { SwitchboardError } from '../../errors/errors.js';
import type { ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext, PreparedChatRequest } from '../../types/protocol.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { ollamaAdapter } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/contract/fixtures/ollama/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../../shared/fixtures/ollama/', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8'));

/** The error rules of catalog/providers/ollama.yaml, so tests see what the runtime sees. */
const descriptor = {
  id: 'ollama',
  name: 'Ollama',
  protocol: 'ollama',
  baseURL: 'http://localhost:11434',
  auth: { type: 'bearer', env: ['OLLAMA_API_KEY'], optional: true },
  endpoints: { chat: '/api/chat', embeddings: '/api/embed', models: '/api/tags' },
  capabilities: [],
  defaultModel: 'llama3.2',
  errors: [
    { status: 404, match: 'not found', kind: 'not-found', retryable: false },
    { status: 400, match: 'does not support', kind: 'unsupported-capability', retryable: false },
    { status: 400, kind: 'invalid-request', retryable: false },
    { status: 500, kind: 'provider', retryable: false },
    { status: 503, kind: 'provider', retryable: true },
  ],
} as unknown as ProviderDescriptor;

function ctx(modelId: string, extra: Partial<CallContext> = {}): CallContext {
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId,
    baseURL: 'http://localhost:11434',
    params: {},
    apiKey: undefined,
    env: {},
    ...extra,
  };
}
const chat = (partial: Partial<PreparedChatRequest>): PreparedChatRequest => ({
  messages: [],
  tools: [],
  providerOptions: {},
  stream: false,
  ...partial,
});
const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

function decode(c: CallContext, text: string, chunkSize: number): ProtocolStreamEvent[] {
  const bytes = new TextEncoder().encode(text);
  const decoder = ollamaAdapter.streamDecoder(c);
  const events: ProtocolStreamEvent[] = [];
  for (let i = 0; i < bytes.byteLength; i += chunkSize) events.push(...decoder.push(bytes.subarray(i, i + chunkSize)));
  events.push(...decoder.end());
  return events;
}
const textOf = (events: ProtocolStreamEvent[]) => events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
const bodyOf = (spec: { body?: string }) => JSON.parse(spec.body ?? '');

describe('ollama chatRequest', () => {
  it('rebuilds the recorded magentic request body', () => {
    const fx = fixture('chat-stream.magentic.json');
    const spec = ollamaAdapter.chatRequest(ctx('llama3.1'), chat({ stream: true, messages: [user('Say hello!')] }));
    expect(spec.method).toBe('POST');
    expect(spec.url).toBe(fx.request.url);
    const { options, ...rest } = fx.request.body;
    expect(options).toEqual({});
    expect(bodyOf(spec)).toEqual(rest);
  });

  it.each([
    ['chat-nonstream.docs.json', { messages: [user('why is the sky blue?')] }],
    ['chat-reproducible.docs.json', { messages: [user('Hello!')], seed: 101, temperature: 0 }],
    [
      'chat-tools-nonstream.docs.json',
      {
        messages: [user('what is the weather in tokyo?')],
        tools: [
          {
            name: 'get_weather',
            description: 'Get the weather in a given city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', description: 'The city to get the weather for' } },
              required: ['city'],
            },
          },
        ],
      },
    ],
    [
      'chat-structured-output.docs.json',
      {
        messages: [
          user('Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability.'),
        ],
        temperature: 0,
        responseFormat: {
          type: 'json-schema',
          name: 'x',
          schema: {
            type: 'object',
            properties: { age: { type: 'integer' }, available: { type: 'boolean' } },
            required: ['age', 'available'],
          },
        },
      },
    ],
  ] as const)('matches the docs request of %s', (name, request) => {
    const fx = fixture(name);
    const spec = ollamaAdapter.chatRequest(
      ctx(fx.request.body.model),
      chat(request as unknown as Partial<PreparedChatRequest>),
    );
    expect(spec.url).toBe('http://localhost:11434/api/chat');
    expect(bodyOf(spec)).toEqual(fx.request.body);
  });

  it('matches the docs history-with-tools request (tool_calls as objects, tool_name looked up by id)', () => {
    const fx = fixture('chat-history-tools.docs.json');
    const spec = ollamaAdapter.chatRequest(
      ctx('llama3.2'),
      chat({
        messages: [
          user('what is the weather in Toronto?'),
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Toronto' } }],
          },
          { role: 'tool', toolCallId: 'call_1', content: '11 degrees celsius' },
        ],
        tools: [
          {
            name: 'get_weather',
            description: 'Get the weather in a given city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string', description: 'The city to get the weather for' } },
              required: ['city'],
            },
          },
        ],
      }),
    );
    expect(bodyOf(spec)).toEqual(fx.request.body);
  });

  it('matches the docs image request (images: [base64])', () => {
    const fx = fixture('chat-images.docs.json');
    const image = fx.request.body.messages[0].images[0];
    const spec = ollamaAdapter.chatRequest(
      ctx('llava'),
      chat({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is in this image?' },
              { type: 'image', data: image, mediaType: 'image/png' },
            ],
          },
        ],
      }),
    );
    expect(bodyOf(spec)).toEqual(fx.request.body);
  });

  it('maps options, json mode, think, tool choice none and providerOptions', () => {
    const body = bodyOf(
      ollamaAdapter.chatRequest(
        ctx('qwen3'),
        chat({
          stream: true,
          messages: [{ role: 'system', content: 'Be brief.' }, user('hi')],
          maxTokens: 100,
          topP: 0.8,
          stop: 'END',
          reasoning: { effort: 'high' },
          responseFormat: { type: 'json-object' },
          tools: [{ name: 'f', parameters: {} }],
          toolChoice: 'none',
          providerOptions: { keep_alive: '10m', options: { num_ctx: 8192 } },
        }),
      ),
    );
    expect(body).toEqual({
      model: 'qwen3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      format: 'json',
      think: 'high',
      keep_alive: '10m',
      options: { top_p: 0.8, num_predict: 100, stop: ['END'], num_ctx: 8192 },
    });
    expect(bodyOf(ollamaAdapter.chatRequest(ctx('qwen3'), chat({ messages: [user('x')], reasoning: {} }))).think).toBe(
      true,
    );
    expect(() =>
      ollamaAdapter.chatRequest(
        ctx('llava'),
        chat({
          messages: [{ role: 'user', content: [{ type: 'image', url: 'https://x/y.png', mediaType: 'image/png' }] }],
        }),
      ),
    ).toThrow(/image bytes/);
  });
});

describe('ollama parseChat (docs examples)', () => {
  it('parses a plain answer', () => {
    const fx = fixture('chat-nonstream.docs.json');
    expect(ollamaAdapter.parseChat(ctx('llama3.2'), fx.response.body)).toEqual({
      text: 'Hello! How are you today?',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 26, outputTokens: 298, totalTokens: 324 },
      model: 'llama3.2',
      raw: fx.response.body,
    });
  });

  it('parses tool calls (object arguments, generated deterministic ids) as finish tool-calls', () => {
    const fx = fixture('chat-tools-nonstream.docs.json');
    expect(ollamaAdapter.parseChat(ctx('llama3.2'), fx.response.body)).toEqual({
      text: '',
      toolCalls: [{ id: 'call_20250707203253844124_0', name: 'get_weather', arguments: { city: 'Tokyo' } }],
      finishReason: 'tool-calls',
      rawFinishReason: 'stop',
      usage: { inputTokens: 169, outputTokens: 18, totalTokens: 187 },
      model: 'llama3.2',
      raw: fx.response.body,
    });
  });

  it('parses structured output text, thinking and length', () => {
    expect(
      ollamaAdapter.parseChat(ctx('llama3.1'), fixture('chat-structured-output.docs.json').response.body).text,
    ).toBe('{"age": 22, "available": false}');
    const r = ollamaAdapter.parseChat(ctx('qwen3'), {
      model: 'qwen3',
      message: {
        role: 'assistant',
        content: 'Four',
        thinking: '2+2',
        tool_calls: [{ id: 'call_x', function: { name: 'f', arguments: {} } }],
      },
      done: true,
      done_reason: 'length',
    });
    expect(r).toMatchObject({
      text: 'Four',
      reasoning: '2+2',
      finishReason: 'length',
      toolCalls: [{ id: 'call_x', name: 'f', arguments: {} }],
    });
  });
});

describe('ollama stream decoder', () => {
  const recorded = 'Hello! How are you today? Is there something I can help you with or would you like to chat?';

  it.each([1, 7, 64, 100000])('decodes the recorded magentic NDJSON fed in %i-byte chunks', (size) => {
    const events = decode(ctx('llama3.1'), fixture('chat-stream.magentic.json').response.bodyText, size);
    expect(textOf(events)).toBe(recorded);
    expect(events.slice(-3)).toEqual([
      { type: 'metadata', model: 'llama3.1' },
      { type: 'usage', usage: { inputTokens: 13, outputTokens: 23, totalTokens: 36 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it.skipIf(!existsSync(SHARED))('uses the body of the shared cassette unchanged', () => {
    const cassette = YAML.parse(readFileSync(`${SHARED}api-chat-stream-ndjson.magentic.yaml`, 'utf8'));
    expect(fixture('chat-stream.magentic.json').response.bodyText).toBe(cassette.interactions[0].response.body.string);
  });

  it('streams whole tool calls (docs example) and keeps UTF-8 split across chunks', () => {
    const events = decode(ctx('llama3.2'), fixture('chat-tools-stream.docs.json').response.bodyText, 3);
    expect(events).toEqual([
      {
        type: 'tool-call',
        index: 0,
        id: 'call_20250707202219184789_0',
        name: 'get_weather',
        arguments: '{"city":"Tokyo"}',
      },
      { type: 'metadata', model: 'llama3.2' },
      { type: 'usage', usage: { inputTokens: 169, outputTokens: 15, totalTokens: 184 } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'stop' },
    ]);
    const utf8 = decode(ctx('x'), '{"message":{"content":"11°C ✓"},"done":false}\n{"done":true}', 1);
    expect(textOf(utf8)).toBe('11°C ✓');
  });

  it('decodes the docs streaming example whose final line has no done_reason', () => {
    const events = decode(ctx('llama3.2'), fixture('chat-stream.docs.json').response.bodyText, 50);
    expect(events).toEqual([
      { type: 'text-delta', text: 'The' },
      { type: 'metadata', model: 'llama3.2' },
      { type: 'usage', usage: { inputTokens: 26, outputTokens: 282, totalTokens: 308 } },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  it('emits reasoning deltas for thinking', () => {
    const events = decode(ctx('qwen3'), fixture('chat-stream-thinking.synthesized.json').response.bodyText, 17);
    expect(events.filter((e) => e.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', text: 'The user asks 2+2.' },
      { type: 'reasoning-delta', text: ' That is 4.' },
    ]);
    expect(textOf(events)).toBe('2 + 2 = 4.');
  });

  it('turns a mid-stream error line into an error event after the text', () => {
    const events = decode(ctx('gemma4'), fixture('chat-stream-midstream-error.synthesized.json').response.bodyText, 9);
    expect(textOf(events)).toBe(' Yes.Ican');
    const last = events[events.length - 1] as { type: 'error'; error: SwitchboardError };
    expect(last.type).toBe('error');
    expect(last.error).toMatchObject({ kind: 'provider', provider: 'ollama', model: 'gemma4' });
    expect(last.error.message).toContain('an error was encountered while running the model');
  });

  it('flushes a last line without a newline and reports a stream cut before done as invalid-response', () => {
    const events = decode(
      ctx('x'),
      '{"message":{"content":"a"},"done":false}\n{"message":{"content":"b"},"done":false}',
      1000,
    );
    expect(events.slice(0, 2)).toEqual([
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
    ]);
    expect(events).toHaveLength(3);
    const last = events[2] as { type: 'error'; error: SwitchboardError };
    expect(last.type).toBe('error');
    expect(last.error).toMatchObject({ kind: 'invalid-response', provider: 'ollama', model: 'x' });
    expect(last.error.message).toContain('ended before the done line');
  });
});

describe('ollama parseError', () => {
  const parse = (name: string, model = 'llama3.2') => {
    const { response } = fixture(name);
    return ollamaAdapter.parseError(
      ctx(model),
      response.status,
      new Headers(response.headers),
      JSON.stringify(response.body),
    );
  };
  it.each([
    ['error-404-model-not-found.synthesized.json', 'not-found', 404, false],
    ['error-400-bad-request.synthesized.json', 'invalid-request', 400, false],
    ['error-401-unauthorized.synthesized.json', 'authentication', 401, false],
    ['error-429-rate-limit.synthesized.json', 'rate-limit', 429, true],
    ['error-500-model-failed.synthesized.json', 'provider', 500, false],
  ])('%s -> %s', (name, kind, status, retryable) => {
    const error = parse(name);
    expect(error).toMatchObject({ kind, status, retryable, provider: 'ollama' });
    expect(error.message).toContain(fixture(name).response.body.error);
  });
  it('reads retry-after, context length and unsupported features', () => {
    expect(parse('error-429-rate-limit.synthesized.json').retryAfterMs).toBe(2000);
    const ctxLen = ollamaAdapter.parseError(
      ctx('x', { descriptor: { ...descriptor, errors: [] } }),
      400,
      new Headers(),
      '{"error":"input length exceeds the context length"}',
    );
    expect(ctxLen.kind).toBe('context-length-exceeded');
    const tools = ollamaAdapter.parseError(
      ctx('gemma'),
      400,
      new Headers(),
      '{"error":"registry.ollama.ai/library/gemma:latest does not support tools"}',
    );
    expect(tools.kind).toBe('unsupported-capability');
  });
});

describe('ollama embeddings and models', () => {
  it('builds /api/embed and parses the docs responses', () => {
    const fx = fixture('embed.docs.json');
    const req = { input: ['Why is the sky blue?'], encoding: 'float' as const, providerOptions: {} };
    const spec = ollamaAdapter.embedRequest?.(ctx('all-minilm'), req);
    expect(spec?.url).toBe('http://localhost:11434/api/embed');
    expect(bodyOf(spec ?? {})).toEqual(fx.request.body);
    expect(ollamaAdapter.parseEmbed?.(ctx('all-minilm'), fx.response.body, req)).toEqual({
      embeddings: fx.response.body.embeddings,
      inputTokens: 8,
      raw: fx.response.body,
    });
    const multi = fixture('embed-multiple.docs.json');
    expect(
      bodyOf(ollamaAdapter.embedRequest?.(ctx('all-minilm'), { ...req, input: multi.request.body.input }) ?? {}),
    ).toEqual(multi.request.body);
    const both = { ...req, input: multi.request.body.input };
    expect(ollamaAdapter.parseEmbed?.(ctx('all-minilm'), multi.response.body, both)?.embeddings).toHaveLength(2);
    expect(
      bodyOf(
        ollamaAdapter.embedRequest?.(ctx('m'), { ...req, dimensions: 256, providerOptions: { truncate: false } }) ?? {},
      ),
    ).toEqual({
      model: 'm',
      input: ['Why is the sky blue?'],
      dimensions: 256,
      truncate: false,
    });
  });

  it('lists /api/tags models', () => {
    const fx = fixture('tags.docs.json');
    const spec = ollamaAdapter.listModelsRequest?.(ctx(''));
    expect(spec).toEqual({
      method: 'GET',
      url: 'http://localhost:11434/api/tags',
      headers: { accept: 'application/json' },
    });
    const models = ollamaAdapter.parseModels?.(ctx(''), fx.response.body) ?? [];
    expect(models.map(({ raw: _raw, ...m }) => m)).toEqual([
      { id: 'deepseek-r1:latest', provider: 'ollama', name: 'deepseek-r1:latest' },
      { id: 'llama3.2:latest', provider: 'ollama', name: 'llama3.2:latest' },
    ]);
    expect(models[0]?.raw).toMatchObject({ size: 4683075271, details: { parameter_size: '7.6B', family: 'qwen2' } });
  });
});
