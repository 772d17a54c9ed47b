import { describe, expect, it } from 'vitest';
import type { PreparedChatRequest, PreparedMessage } from '../../types/protocol.js';
import { anthropicMessagesAdapter as adapter } from './index.js';
import {
  bodyText,
  decodeStream,
  type Fixture,
  fixtureHeaders,
  foldEvents,
  loadDescriptor,
  loadFixture,
  makeContext,
} from './test-helpers.js';

const { descriptor } = loadDescriptor('anthropic');
const ctxFor = (modelId: string) => makeContext(descriptor, modelId);
const fx = (name: string): Fixture => loadFixture('anthropic', name);

function prepared(over: Partial<PreparedChatRequest> & { messages: PreparedMessage[] }): PreparedChatRequest {
  return { tools: [], providerOptions: {}, stream: false, ...over };
}
const user = (text: string): PreparedMessage => ({ role: 'user', content: [{ type: 'text', text }] });

/** Recorded bodies as our adapter would send them: pydantic-ai adds `is_error: false` to tool results. */
function recordedBody(fixture: Fixture): unknown {
  const body = structuredClone(fixture.request?.body) as { messages?: { content: Record<string, unknown>[] }[] };
  for (const message of body.messages ?? []) {
    for (const block of message.content)
      if (block.type === 'tool_result' && block.is_error === false) delete block.is_error;
  }
  return body;
}

const sentBody = (req: ReturnType<typeof adapter.chatRequest>) => JSON.parse(req.body ?? 'null');

describe('anthropic-messages chatRequest', () => {
  it('builds the recorded system-prompt request (pydantic-ai cassette)', () => {
    const f = fx('messages-nonstream-system.pydantic-ai');
    const recorded = f.request?.body as { system: string };
    const req = adapter.chatRequest(
      ctxFor('claude-3-opus-latest'),
      prepared({ messages: [{ role: 'system', content: recorded.system }, user('What is the capital of France?')] }),
    );
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://api.anthropic.com/v1/messages');
    expect(req.headers).toEqual({ 'content-type': 'application/json', 'anthropic-version': '2023-06-01' });
    expect(sentBody(req)).toEqual(recordedBody(f));
  });

  it('builds the recorded tool request and the tool-result round trip (tool_choice any)', () => {
    const first = fx('messages-tool-use-nonstream.pydantic-ai.0');
    const second = fx('messages-tool-use-nonstream.pydantic-ai.1');
    const rec = first.request?.body as {
      tools: { name: string; description: string; input_schema: Record<string, unknown> }[];
    };
    const tools = rec.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema }));
    const question = user('What is the largest city in the user country?');
    const ctx = ctxFor('claude-sonnet-4-5');
    expect(
      sentBody(adapter.chatRequest(ctx, prepared({ messages: [question], tools, toolChoice: 'required' }))),
    ).toEqual(recordedBody(first));
    const call = { id: 'toolu_01X9wcHKKAZD9tBC711xipPa', name: 'get_user_country', arguments: {} };
    const roundTrip = prepared({
      messages: [
        question,
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', toolCallId: call.id, content: 'Mexico' },
      ],
      tools,
      toolChoice: 'required',
    });
    expect(sentBody(adapter.chatRequest(ctx, roundTrip))).toEqual(recordedBody(second));
  });

  it('merges consecutive tool results into one user turn (recorded parallel round trip)', () => {
    const f = fx('messages-tool-use-parallel-nonstream.pydantic-ai.1');
    const rec = f.request?.body as {
      system: string;
      tools: { name: string; description: string; input_schema: Record<string, unknown> }[];
      messages: { role: string; content: Record<string, unknown>[] }[];
    };
    const assistant = rec.messages[1]?.content ?? [];
    const results = rec.messages[2]?.content ?? [];
    const messages: PreparedMessage[] = [
      { role: 'system', content: rec.system },
      user('Alice, Bob, Charlie and Daisy are a family. Who is the youngest?'),
      {
        role: 'assistant',
        content: String(assistant[0]?.text),
        toolCalls: assistant.slice(1).map((b) => ({
          id: String(b.id),
          name: String(b.name),
          arguments: b.input as Record<string, unknown>,
        })),
      },
      ...results.map(
        (b): PreparedMessage => ({ role: 'tool', toolCallId: String(b.tool_use_id), content: String(b.content) }),
      ),
    ];
    const tools = rec.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema }));
    const req = adapter.chatRequest(ctxFor('claude-haiku-4-5'), prepared({ messages, tools, toolChoice: 'auto' }));
    expect(sentBody(req)).toEqual(recordedBody(f));
  });

  it('builds the recorded streaming request (llm-anthropic), with temperature and max_tokens', () => {
    const f = fx('messages-stream-text.llm-anthropic');
    const req = adapter.chatRequest(
      ctxFor('claude-haiku-4-5-20251001'),
      prepared({ messages: [user('Say just hello')], maxTokens: 8192, temperature: 1, stream: true }),
    );
    expect(sentBody(req)).toEqual(f.request?.body);
  });

  it('maps images, PDFs, stop sequences, top_p, thinking, tool choice by name and none', () => {
    const ctx = ctxFor('claude-sonnet-4-5');
    const body = sentBody(
      adapter.chatRequest(
        ctx,
        prepared({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Compare' },
                { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
                { type: 'image', url: 'https://example.com/cat.jpg', mediaType: 'image/jpeg' },
                { type: 'file', data: 'JVBERi0xLjQ=', mediaType: 'application/pdf', filename: 'a.pdf' },
              ],
            },
          ],
          stop: 'END',
          topP: 0.9,
          maxTokens: 1000,
          reasoning: { budgetTokens: 2048 },
          tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
          toolChoice: { name: 'lookup' },
        }),
      ),
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 3048,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQ=' },
              title: 'a.pdf',
            },
          ],
        },
      ],
      top_p: 0.9,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      tools: [{ name: 'lookup', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: 'lookup' },
      stream: false,
    });
    const none = sentBody(
      adapter.chatRequest(
        ctx,
        prepared({ messages: [user('hi')], tools: [{ name: 'x', parameters: {} }], toolChoice: 'none' }),
      ),
    );
    expect(none.tool_choice).toEqual({ type: 'none' });
  });

  it('defaults max_tokens to the catalog output limit, else 4096', () => {
    const { models } = loadDescriptor('anthropic');
    const spec = models.find((m) => m.limits.output !== undefined);
    if (spec === undefined) throw new Error('catalog has no model with an output limit');
    const model = { ...spec, provider: 'anthropic', ref: `anthropic/${spec.id}` };
    const withModel = sentBody(
      adapter.chatRequest(makeContext(descriptor, spec.id, model), prepared({ messages: [user('hi')] })),
    );
    expect(withModel.max_tokens).toBe(spec.limits.output);
    expect(
      sentBody(adapter.chatRequest(ctxFor('claude-unknown'), prepared({ messages: [user('hi')] }))).max_tokens,
    ).toBe(4096);
  });

  it('forces a tool for a JSON-schema response format and returns its input as text', () => {
    const ctx = ctxFor('claude-sonnet-4-5');
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const body = sentBody(
      adapter.chatRequest(
        ctx,
        prepared({ messages: [user('City?')], responseFormat: { type: 'json-schema', name: 'answer', schema } }),
      ),
    );
    expect(body.tools).toEqual([
      { name: 'answer', description: 'Respond with a JSON object that matches this schema.', input_schema: schema },
    ]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer' });
    const result = adapter.parseChat(ctx, {
      id: 'msg_1',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'answer', input: { city: 'Paris' } }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 5, output_tokens: 7 },
    });
    expect(result.text).toBe('{"city":"Paris"}');
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
  });
});

describe('anthropic-messages parseChat on recorded responses', () => {
  const ctx = ctxFor('claude-3-5-sonnet-20241022');

  it('ace: simple answer with zero cache usage', () => {
    const f = fx('messages-nonstream.ace');
    const { raw, ...result } = adapter.parseChat(ctx, f.response.body);
    expect(raw).toBe(f.response.body);
    expect(result).toEqual({
      text: '4',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 20, outputTokens: 5, totalTokens: 25, cacheReadTokens: 0, cacheWriteTokens: 0 },
      id: 'msg_0122oMjTFi3bXgHa86yu7D5s',
      model: 'claude-3-5-sonnet-20241022',
    });
  });

  it('vercel: claude-sonnet-4-5 text', () => {
    const { raw: _raw, ...result } = adapter.parseChat(ctx, fx('messages-nonstream.vercel').response.body);
    expect(result).toEqual({
      text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 29, totalTokens: 41, cacheReadTokens: 0, cacheWriteTokens: 0 },
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      model: 'claude-sonnet-4-5-20250929',
    });
  });

  it('pydantic-ai: text plus four parallel tool_use blocks', () => {
    const result = adapter.parseChat(ctx, fx('messages-tool-use-parallel-nonstream.pydantic-ai.0').response.body);
    expect(result.text).toBe(
      "I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.",
    );
    expect(result.toolCalls).toEqual([
      { id: 'toolu_0167cfEnoQaPviGdVXA95zcu', name: 'retrieve_entity_info', arguments: { name: 'Alice' } },
      { id: 'toolu_01EEe2V5HD1Ac4rKiUR4HD2T', name: 'retrieve_entity_info', arguments: { name: 'Bob' } },
      { id: 'toolu_01XFyAjstT3966qvRynZyVPo', name: 'retrieve_entity_info', arguments: { name: 'Charlie' } },
      { id: 'toolu_013mnQZbgtK2oe3Mo3XKJsx3', name: 'retrieve_entity_info', arguments: { name: 'Daisy' } },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.rawFinishReason).toBe('tool_use');
    expect(result.usage).toEqual({
      inputTokens: 423,
      outputTokens: 202,
      totalTokens: 625,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('pydantic-ai: tool_use with empty input, then with arguments', () => {
    expect(adapter.parseChat(ctx, fx('messages-tool-use-nonstream.pydantic-ai.0').response.body).toolCalls).toEqual([
      { id: 'toolu_01X9wcHKKAZD9tBC711xipPa', name: 'get_user_country', arguments: {} },
    ]);
    const second = adapter.parseChat(ctx, fx('messages-tool-use-nonstream.pydantic-ai.1').response.body);
    expect(second.text).toBe('');
    expect(second.toolCalls).toEqual([
      {
        id: 'toolu_01LZABsgreMefH2Go8D5PQbW',
        name: 'final_result',
        arguments: { city: 'Mexico City', country: 'Mexico' },
      },
    ]);
  });

  it('synthesized: thinking block and cache reads/writes counted in inputTokens', () => {
    const { raw: _raw, ...result } = adapter.parseChat(
      ctx,
      fx('messages-nonstream-thinking-cache.synthesized').response.body,
    );
    expect(result).toEqual({
      text: 'Yes, there are infinitely many prime numbers such that n mod 4 = 3.',
      reasoning: 'Let me analyze this step by step...',
      reasoningBlocks: [
        {
          type: 'thinking',
          thinking: 'Let me analyze this step by step...',
          signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL',
        },
      ],
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 2098, outputTokens: 503, totalTokens: 2601, cacheReadTokens: 1800, cacheWriteTokens: 248 },
      id: 'msg_01SynthThinkingCache',
      model: 'claude-sonnet-4-5-20250929',
    });
  });

  it('maps every stop_reason', () => {
    const finish = (stop_reason: string) => adapter.parseChat(ctx, { content: [], stop_reason }).finishReason;
    expect(finish('end_turn')).toBe('stop');
    expect(finish('stop_sequence')).toBe('stop');
    expect(finish('max_tokens')).toBe('length');
    expect(finish('tool_use')).toBe('tool-calls');
    expect(finish('refusal')).toBe('content-filter');
    expect(finish('pause_turn')).toBe('other');
  });
});

describe('anthropic-messages streamDecoder on recorded streams', () => {
  const ctx = ctxFor('claude-haiku-4-5');

  it('llm-anthropic: text stream with ping and padded data lines', () => {
    const events = decodeStream(adapter, ctx, bodyText(fx('messages-stream-text.llm-anthropic')));
    expect(events).toEqual([
      { type: 'metadata', id: 'msg_01T8kTq7cYyYJeQ5DxcVUc6D', model: 'claude-haiku-4-5-20251001' },
      {
        type: 'usage',
        usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
      { type: 'text-delta', text: 'Hello' },
      {
        type: 'usage',
        usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  it('vercel: text stream (framing added), one byte at a time', () => {
    const folded = foldEvents(decodeStream(adapter, ctx, bodyText(fx('messages-stream-text.vercel')), 1));
    expect(folded).toEqual({
      text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
      reasoning: '',
      toolCalls: [],
      usage: { inputTokens: 12, outputTokens: 30, totalTokens: 42, cacheReadTokens: 0, cacheWriteTokens: 0 },
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
      model: 'claude-sonnet-4-5-20250929',
      errors: [],
    });
  });

  it('llm-anthropic: answer after a tool result, emoji split across chunks', () => {
    const folded = foldEvents(
      decodeStream(adapter, ctx, bodyText(fx('messages-stream-after-tool-result.llm-anthropic')), 5),
    );
    expect(folded.text).toBe(
      'Here are two great names for your pet pelican:\n\n1. **Charles** - A sophisticated and dignified name, perfect for a pelican with personality!\n2. **Sammy** - A friendly and playful name that gives off warm, approachable vibes.\n\nEither of these would make an excellent name for your feathered friend! 🦅',
    );
    expect(folded.usage).toEqual({
      inputTokens: 678,
      outputTokens: 82,
      totalTokens: 760,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(folded.finishReason).toBe('stop');
  });

  it('synthesized: text then a tool_use streamed as input_json_delta', () => {
    const events = decodeStream(adapter, ctx, bodyText(fx('messages-stream-tool-use.synthesized')));
    expect(events.filter((e) => e.type === 'tool-call-delta')[0]).toEqual({
      type: 'tool-call-delta',
      index: 0,
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
      argumentsDelta: '',
    });
    const folded = foldEvents(events);
    expect(folded.text).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(folded.toolCalls).toEqual([
      {
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        arguments: { location: 'San Francisco, CA', unit: 'fahrenheit' },
      },
    ]);
    expect(folded.finishReason).toBe('tool-calls');
    expect(folded.usage).toEqual({ inputTokens: 472, outputTokens: 89, totalTokens: 561 });
  });

  it('synthesized: thinking deltas become reasoning; cache reads count as input', () => {
    const folded = foldEvents(decodeStream(adapter, ctx, bodyText(fx('messages-stream-thinking.synthesized'))));
    expect(folded.reasoning).toBe(
      'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21',
    );
    expect(folded.text).toBe('The greatest common divisor of 1071 and 462 is **21**.');
    expect(folded.usage).toEqual({
      inputTokens: 1060,
      outputTokens: 184,
      totalTokens: 1244,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
    });
  });

  it('synthesized: an error event under HTTP 200 keeps the text received so far', () => {
    const folded = foldEvents(decodeStream(adapter, ctx, bodyText(fx('messages-stream-error-overloaded.synthesized'))));
    expect(folded.text).toBe('Hello, I am');
    expect(folded.errors).toEqual([{ kind: 'provider', message: 'Anthropic: Overloaded', retryable: true }]);
    expect(folded.finishReason).toBeUndefined();
  });

  it('a tool called without arguments streams {}', () => {
    const sse = [
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_x', name: 'now', input: {} },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
    ]
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join('');
    expect(foldEvents(decodeStream(adapter, ctx, sse)).toolCalls).toEqual([
      { id: 'toolu_x', name: 'now', arguments: {} },
    ]);
  });
});

describe('anthropic-messages parseError', () => {
  const ctx = ctxFor('claude-sonnet-4-5');
  const parse = (name: string) => {
    const f = fx(name);
    return adapter.parseError(ctx, f.response.status, fixtureHeaders(f), bodyText(f));
  };

  it('401 authentication_error (ace, x-should-retry false, request-id header)', () => {
    const e = parse('error-401-authentication.ace');
    expect(e.kind).toBe('authentication');
    expect(e.status).toBe(401);
    expect(e.retryable).toBe(false);
    expect(e.requestId).toBe('req_011CQNDj717xsZRLkp5RxHWt');
    expect(e.code).toBe('authentication_error');
    expect(e.message).toBe('Anthropic: invalid x-api-key');
    expect(e.provider).toBe('anthropic');
    expect(e.model).toBe('claude-sonnet-4-5');
  });

  it('400 invalid_request_error (pydantic-ai, request id only in the body)', () => {
    const e = parse('error-400-invalid-request.pydantic-ai');
    expect(e.kind).toBe('invalid-request');
    expect(e.retryable).toBe(false);
    expect(e.requestId).toBe('req_011Ca7jT9AHpgXgdv8igm4z9');
    expect(e.message).toBe(
      "Anthropic: This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
    );
  });

  it('400 prompt is too long -> context-length-exceeded', () => {
    const e = parse('error-400-context-length.synthesized');
    expect(e.kind).toBe('context-length-exceeded');
    expect(e.retryable).toBe(false);
  });

  it('429 rate_limit_error with retry-after seconds', () => {
    const e = parse('error-429-rate-limit.synthesized');
    expect(e.kind).toBe('rate-limit');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(13_000);
    expect(e.requestId).toBe('req_011CSynth429RateLimit');
  });

  it('529 overloaded_error -> retryable provider error', () => {
    const e = parse('error-529-overloaded.synthesized');
    expect(e.kind).toBe('provider');
    expect(e.status).toBe(529);
    expect(e.retryable).toBe(true);
  });

  it('404 not_found_error', () => {
    const e = parse('error-404-not-found.synthesized');
    expect(e.kind).toBe('not-found');
    expect(e.retryable).toBe(false);
  });

  it('without catalog rules: overloaded is retryable, x-should-retry decides', () => {
    const bare = makeContext({ ...descriptor, errors: [] }, 'claude-sonnet-4-5');
    const overloaded = adapter.parseError(
      bare,
      529,
      new Headers(),
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    );
    expect([overloaded.kind, overloaded.retryable]).toEqual(['provider', true]);
    const forced = adapter.parseError(
      bare,
      400,
      new Headers({ 'x-should-retry': 'true' }),
      '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 300000 tokens > 200000 maximum"}}',
    );
    expect([forced.kind, forced.retryable]).toEqual(['context-length-exceeded', true]);
    const html = adapter.parseError(bare, 502, new Headers(), '<html>Bad gateway</html>');
    expect([html.kind, html.retryable]).toEqual(['provider', true]);
  });
});

describe('anthropic-messages models list', () => {
  it('GET /v1/models and maps display names', () => {
    const ctx = ctxFor('claude-sonnet-4-5');
    const req = adapter.listModelsRequest?.(ctx);
    expect(req).toEqual({
      method: 'GET',
      url: 'https://api.anthropic.com/v1/models?limit=1000',
      headers: { 'anthropic-version': '2023-06-01' },
    });
    const body = {
      data: [
        {
          type: 'model',
          id: 'claude-sonnet-4-5-20250929',
          display_name: 'Claude Sonnet 4.5',
          created_at: '2025-09-29T00:00:00Z',
        },
      ],
      has_more: false,
    };
    expect(adapter.parseModels?.(ctx, body)).toEqual([
      { id: 'claude-sonnet-4-5-20250929', provider: 'anthropic', name: 'Claude Sonnet 4.5', raw: body.data[0] },
    ]);
  });
});
