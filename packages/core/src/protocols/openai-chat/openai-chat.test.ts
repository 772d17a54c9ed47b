/** Edge cases of the openai-chat adapter that the recordings do not cover. */
import { describe, expect, it } from 'vitest';
import type { DialectSpec, ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext, PreparedChatRequest } from '../../types/protocol.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { buildChatBody, openaiChatAdapter } from './index.js';

function ctxFor(
  dialect: DialectSpec = {},
  extra: Partial<ProviderDescriptor> = {},
  apiKey = 'sk-test-abcdefghijklmnop1234',
): CallContext {
  const descriptor: ProviderDescriptor = {
    id: 'p',
    name: 'P',
    protocol: 'openai-chat',
    baseURL: 'https://api.example.com/v1',
    auth: { type: 'bearer', env: [] },
    endpoints: { chat: '/chat/completions' },
    capabilities: [],
    defaultModel: 'm',
    dialect,
    ...extra,
  };
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId: 'm',
    baseURL: descriptor.baseURL,
    params: {},
    apiKey,
    env: {},
  };
}

const base: PreparedChatRequest = {
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: [{ type: 'text', text: 'hi' }] },
  ],
  tools: [],
  providerOptions: {},
  stream: false,
};

function body(ctx: CallContext, req: Partial<PreparedChatRequest> = {}): Record<string, any> {
  return JSON.parse(openaiChatAdapter.chatRequest(ctx, { ...base, ...req }).body!);
}

function events(ctx: CallContext, sse: string): ProtocolStreamEvent[] {
  const d = openaiChatAdapter.streamDecoder(ctx);
  return [...d.push(new TextEncoder().encode(sse)), ...d.end()];
}

describe('openai-chat request', () => {
  it('serializes plain calls to the same bytes as the general body builder', () => {
    const cases: [CallContext, PreparedChatRequest][] = [
      [ctxFor(), base],
      [ctxFor({ systemMessage: 'developer-message' }), base],
      [ctxFor({ modelInPath: true }), base],
      [
        ctxFor(),
        {
          ...base,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'quote " \\ \n \u2028 \ud800 é' }] },
            { role: 'system', content: '' },
          ],
        },
      ],
      [ctxFor(), { ...base, messages: [] }],
      [{ ...ctxFor(), modelId: 'other/"model"' }, base],
      [ctxFor(), { ...base, reasoning: { budgetTokens: 10 } }],
      [ctxFor(), { ...base, providerOptions: { p: { user: 'u' } } }],
      [ctxFor({ unsupportedParams: ['temperature'] }), { ...base, temperature: 0.5 }],
    ];
    for (const [ctx, req] of cases) {
      expect(openaiChatAdapter.chatRequest(ctx, req).body).toBe(JSON.stringify(buildChatBody(ctx, req)));
    }
  });

  it('uses the dialect max tokens parameter and system role', () => {
    expect(body(ctxFor(), { maxTokens: 10 })).toMatchObject({
      max_tokens: 10,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    });
    const b = body(ctxFor({ maxTokensParam: 'max_completion_tokens', systemMessage: 'developer-message' }), {
      maxTokens: 10,
    });
    expect(b.max_completion_tokens).toBe(10);
    expect(b.max_tokens).toBeUndefined();
    expect(b.messages[0].role).toBe('developer');
  });

  it('drops unsupported params and applies renames', () => {
    const b = body(
      ctxFor({
        unsupportedParams: ['seed', 'frequencyPenalty'],
        paramRenames: { maxTokens: 'max_output_tokens', top_p: 'topp' },
      }),
      {
        seed: 1,
        frequencyPenalty: 0.5,
        maxTokens: 5,
        topP: 0.9,
        temperature: 0,
      },
    );
    expect(b).toEqual({ model: 'm', messages: expect.any(Array), max_output_tokens: 5, topp: 0.9, temperature: 0 });
  });

  it('sends stream_options only for include-usage-option', () => {
    expect(body(ctxFor({ streamUsage: 'include-usage-option' }), { stream: true }).stream_options).toEqual({
      include_usage: true,
    });
    expect(body(ctxFor({ streamUsage: 'final-chunk' }), { stream: true }).stream_options).toBeUndefined();
    expect(body(ctxFor({ streamUsage: 'final-chunk' }), { stream: true }).stream).toBe(true);
  });

  it('sends images as image_url parts with detail, and files', () => {
    const b = body(ctxFor(), {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image', url: 'https://x/y.png', mediaType: 'image/png', detail: 'low' },
            { type: 'image', data: 'AAAA', mediaType: 'image/jpeg' },
            { type: 'file', data: 'JVBE', mediaType: 'application/pdf', filename: 'a.pdf' },
          ],
        },
      ],
    });
    expect(b.messages[0].content).toEqual([
      { type: 'text', text: 'what is this' },
      { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
    ]);
  });

  it('maps tools, tool choice and response formats', () => {
    const tools = [{ name: 'f', description: 'd', parameters: { type: 'object' } }];
    expect(body(ctxFor(), { tools, toolChoice: { name: 'f' } }).tool_choice).toEqual({
      type: 'function',
      function: { name: 'f' },
    });
    expect(body(ctxFor(), { tools, toolChoice: 'required' }).tool_choice).toBe('required');
    expect(body(ctxFor({ toolChoiceRequired: false }), { tools, toolChoice: 'required' }).tool_choice).toBe('any');
    expect(body(ctxFor(), { tools }).tools).toEqual([
      { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' } } },
    ]);
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(body(ctxFor(), { responseFormat: { type: 'json-schema', name: 's', schema } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 's', schema },
    });
    expect(
      body(ctxFor({ jsonSchemaResponseFormat: false }), { responseFormat: { type: 'json-schema', name: 's', schema } })
        .response_format,
    ).toEqual({ type: 'json_object' });
  });

  it('merges providerOptions last, by provider id or flat', () => {
    expect(body(ctxFor(), { providerOptions: { p: { user: 'u' } } }).user).toBe('u');
    expect(body(ctxFor(), { providerOptions: { service_tier: 'flex' } }).service_tier).toBe('flex');
  });

  it('fills query params and omits the model for modelInPath', () => {
    const ctx = {
      ...ctxFor({ modelInPath: true, queryParams: { 'api-version': '{apiVersion}', unset: '{nope}' } }),
      params: { apiVersion: '2024-10-21' },
    };
    const spec = openaiChatAdapter.chatRequest(ctx, base);
    expect(spec.url).toBe('https://api.example.com/v1/chat/completions?api-version=2024-10-21');
    expect(JSON.parse(spec.body!).model).toBeUndefined();
    expect(openaiChatAdapter.embedRequest!(ctx, { input: ['a'], encoding: 'float', providerOptions: {} }).url).toBe(
      'https://api.example.com/v1/embeddings?api-version=2024-10-21',
    );
  });

  it('builds embedding requests', () => {
    const spec = openaiChatAdapter.embedRequest!(ctxFor(), {
      input: ['a', 'b'],
      encoding: 'base64',
      dimensions: 256,
      providerOptions: {},
    });
    expect(JSON.parse(spec.body!)).toEqual({
      model: 'm',
      input: ['a', 'b'],
      encoding_format: 'base64',
      dimensions: 256,
    });
    expect(openaiChatAdapter.listModelsRequest!(ctxFor())).toEqual({
      method: 'GET',
      url: 'https://api.example.com/v1/models',
      headers: { accept: 'application/json' },
    });
  });
});

describe('openai-chat response parsing is lenient', () => {
  it('rejects junk as invalid-response instead of an empty answer (details in response-shape.test.ts)', () => {
    for (const junk of [
      null,
      undefined,
      42,
      'x',
      {},
      { choices: null },
      { choices: [null] },
      { choices: [{ message: null }] },
    ]) {
      expect(() => openaiChatAdapter.parseChat(ctxFor(), junk)).toThrow(
        expect.objectContaining({ kind: 'invalid-response' }),
      );
    }
  });

  it('keeps invalid tool arguments under __raw', () => {
    const r = openaiChatAdapter.parseChat(ctxFor(), {
      choices: [
        {
          index: 0,
          message: { tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{"x":' } }] },
          finish_reason: 'tool_calls',
        },
      ],
    });
    expect(r.toolCalls).toEqual([{ id: 'a', name: 'f', arguments: { __raw: '{"x":' } }]);
  });

  it('maps finish reasons', () => {
    const fr = (f: unknown) =>
      openaiChatAdapter.parseChat(ctxFor(), { choices: [{ message: { content: '' }, finish_reason: f }] }).finishReason;
    expect([
      fr('stop'),
      fr('length'),
      fr('tool_calls'),
      fr('function_call'),
      fr('content_filter'),
      fr('weird'),
    ]).toEqual(['stop', 'length', 'tool-calls', 'tool-calls', 'content-filter', 'other']);
  });

  it('reads DeepSeek cache hits and reasoning_content', () => {
    const r = openaiChatAdapter.parseChat(ctxFor({ reasoningField: 'reasoning_content' }), {
      choices: [{ message: { content: 'a', reasoning_content: 'think' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_cache_hit_tokens: 4,
        prompt_cache_miss_tokens: 6,
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    });
    expect(r.reasoning).toBe('think');
    expect(r.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
      cacheReadTokens: 4,
      reasoningTokens: 3,
    });
  });
});

describe('openai-chat stream decoder', () => {
  it('ignores comments, keep-alives, [DONE] and CRLF framing', () => {
    const sse =
      ': OPENROUTER PROCESSING\r\n\r\n' +
      'data: {"id":"a","choices":[{"index":0,"delta":{"content":"He"}}]}\r\n\r\n' +
      ':\n\n' +
      'data: {"id":"a","choices":[{"index":0,"delta":{"content":"llo"},"finish_reason":"stop"}]}\n\n' +
      'data: [DONE]\n\n';
    const ev = events(ctxFor(), sse);
    expect(
      ev
        .filter((e) => e.type === 'text-delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('Hello');
    expect(ev.find((e) => e.type === 'finish')).toEqual({
      type: 'finish',
      finishReason: 'stop',
      rawFinishReason: 'stop',
    });
  });

  it('turns an error sent under HTTP 200 into an error event, keeping earlier text', () => {
    const ev = events(
      ctxFor(),
      'data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n' +
        'data: {"error":{"message":"Rate limit exceeded","code":429}}\n\n',
    );
    expect(ev[0]).toEqual({ type: 'text-delta', text: 'partial' });
    const err = ev.find((e) => e.type === 'error') as Extract<ProtocolStreamEvent, { type: 'error' }>;
    expect(err.error.kind).toBe('rate-limit');
    expect(err.error.status).toBe(429);
    expect(err.error.message).toContain('Rate limit exceeded');
    const ev2 = events(ctxFor(), 'event: error\ndata: {"error":{"message":"boom","type":"server_error"}}\n\n');
    expect((ev2[0] as Extract<ProtocolStreamEvent, { type: 'error' }>).error.kind).toBe('provider');
  });

  it('keeps parallel tool calls without index apart by id', () => {
    const ev = events(
      ctxFor(),
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"id":"aaaaaaaaa","function":{"name":"f","arguments":"{}"}},{"id":"bbbbbbbbb","function":{"name":"g","arguments":"{\\"x\\":1}"}}]}}]}\n\n',
    );
    expect(ev.filter((e) => e.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, id: 'aaaaaaaaa', name: 'f', argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 1, id: 'bbbbbbbbb', name: 'g', argumentsDelta: '{"x":1}' },
    ]);
  });

  it('flushes a final event without a blank line', () => {
    const ev = events(ctxFor(), 'data: {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"length"}]}');
    expect(ev.map((e) => e.type)).toEqual(['text-delta', 'finish']);
  });
});

describe('openai-chat errors', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  it('maps status defaults', () => {
    const kinds = [400, 401, 403, 404, 408, 409, 422, 429, 500, 503].map(
      (s) => openaiChatAdapter.parseError(ctxFor(), s, h(), '{"error":{"message":"x"}}').kind,
    );
    expect(kinds).toEqual([
      'invalid-request',
      'authentication',
      'permission',
      'not-found',
      'timeout',
      'provider',
      'invalid-request',
      'rate-limit',
      'provider',
      'provider',
    ]);
    expect(openaiChatAdapter.parseError(ctxFor(), 409, h(), '').retryable).toBe(true);
  });

  it('detects context length on 400', () => {
    const e = openaiChatAdapter.parseError(
      ctxFor(),
      400,
      h(),
      '{"error":{"message":"This model\'s maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}',
    );
    expect(e.kind).toBe('context-length-exceeded');
    expect(e.retryable).toBe(false);
  });

  it('reads retry-after-ms, retry-after seconds and dates, and x-should-retry', () => {
    expect(openaiChatAdapter.parseError(ctxFor(), 429, h({ 'retry-after-ms': '1500' }), '').retryAfterMs).toBe(1500);
    expect(openaiChatAdapter.parseError(ctxFor(), 429, h({ 'retry-after': '2' }), '').retryAfterMs).toBe(2000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const ms = openaiChatAdapter.parseError(ctxFor(), 429, h({ 'retry-after': date }), '').retryAfterMs!;
    expect(ms).toBeGreaterThan(25_000);
    expect(ms).toBeLessThanOrEqual(30_000);
    expect(openaiChatAdapter.parseError(ctxFor(), 500, h({ 'x-should-retry': 'false' }), '').retryable).toBe(false);
    expect(openaiChatAdapter.parseError(ctxFor(), 400, h({ 'x-should-retry': 'true' }), '').retryable).toBe(true);
  });

  it('applies catalog rules first', () => {
    const ctx = ctxFor(
      {},
      {
        errors: [
          { status: 400, match: 'tool_use_failed', kind: 'provider', retryable: true },
          { match: 'overloaded', kind: 'rate-limit' },
        ],
      },
    );
    const e = openaiChatAdapter.parseError(ctx, 400, h(), '{"error":{"code":"tool_use_failed","message":"x"}}');
    expect(e.kind).toBe('provider');
    expect(e.retryable).toBe(true);
    expect(openaiChatAdapter.parseError(ctx, 503, h(), 'Model Overloaded').kind).toBe('rate-limit');
  });

  it('handles plain-text 401, detail bodies, request ids, and never echoes the key', () => {
    const key = 'sk-test-abcdefghijklmnop1234';
    const e = openaiChatAdapter.parseError(ctxFor(), 401, h({ 'request-id': 'req_1' }), `Unauthorized: bad key ${key}`);
    expect(e.kind).toBe('authentication');
    expect(e.requestId).toBe('req_1');
    expect(e.message).not.toContain(key);
    expect(JSON.stringify(e.body)).not.toContain(key);
    const masked = openaiChatAdapter.parseError(
      ctxFor(),
      401,
      h(),
      '{"error":{"message":"Incorrect API key provided: sk-test-****************1234."}}',
    );
    expect(masked.message).not.toContain('1234');
    const d = openaiChatAdapter.parseError(
      ctxFor(),
      422,
      h(),
      '{"detail":[{"loc":["body","model"],"msg":"field required"}]}',
    );
    expect(d.message).toContain('field required');
    expect(d.kind).toBe('invalid-request');
  });
});
