/**
 * The Anthropic translations on their own: a Messages body into a core ChatRequest (every field the
 * route maps, and the 400s naming the field), a ChatResponse into a message body (usage without the
 * cached prompt, stop reasons, thinking first), core stream events into Anthropic's SSE frames, and
 * core errors into Anthropic's statuses and types.
 */
import {
  type ChatResponse,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  RateLimitError,
  type StreamEvent,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { AnthropicRequestError, renderAnthropicError } from '../src/anthropic/errors.js';
import { readRequestHead, toChatRequest } from '../src/anthropic/request.js';
import { anthropicUsage, toAnthropicMessage } from '../src/anthropic/response.js';
import { AnthropicStreamEncoder } from '../src/anthropic/stream.js';

const base = { model: 'openai/gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

function refusal(body: unknown): string {
  try {
    toChatRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AnthropicRequestError);
    return (error as AnthropicRequestError).field;
  }
  throw new Error('expected a refusal');
}

describe('toChatRequest', () => {
  it('maps every option core has a field for', () => {
    const request = toChatRequest({
      ...base,
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'Answer in English.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      temperature: 0.5,
      top_p: 0.8,
      stop_sequences: ['###'],
      tools: [{ name: 'lookup', description: 'Finds things', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      service_tier: 'auto',
    });
    expect(request).toEqual({
      model: 'openai/gpt-4o',
      maxTokens: 100,
      messages: [
        {
          role: 'system',
          content: 'You are terse.\nAnswer in English.',
          cacheControl: { type: 'ephemeral', ttl: '1h' },
        },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.5,
      topP: 0.8,
      stop: ['###'],
      tools: [{ name: 'lookup', description: 'Finds things', parameters: { type: 'object' } }],
      toolChoice: 'required',
      reasoning: { budgetTokens: 2048 },
    });
  });

  it('maps tool_choice auto, none and a named tool', () => {
    expect(toChatRequest({ ...base, tool_choice: { type: 'auto' } }).toolChoice).toBe('auto');
    expect(toChatRequest({ ...base, tool_choice: { type: 'none' } }).toolChoice).toBe('none');
    expect(toChatRequest({ ...base, tool_choice: { type: 'tool', name: 'lookup' } }).toolChoice).toEqual({
      name: 'lookup',
    });
  });

  it('puts top_k and metadata.user_id in the target provider’s words, keyed by its id', () => {
    const body = { ...base, top_k: 40, metadata: { user_id: 'user-7' } };
    expect(toChatRequest(body, { providerId: 'anthropic', protocol: 'anthropic-messages' }).providerOptions).toEqual({
      anthropic: { top_k: 40, metadata: { user_id: 'user-7' } },
    });
    expect(toChatRequest(body, { providerId: 'openai', protocol: 'openai-chat' }).providerOptions).toEqual({
      openai: { top_k: 40, user: 'user-7' },
    });
    // A group has no single provider: top_k goes flat, the user id is dropped.
    expect(toChatRequest(body).providerOptions).toEqual({ top_k: 40 });
  });

  it('splits a user turn into tool messages first, then the rest; tool_result images follow as a user message', () => {
    const request = toChatRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'sig-1' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'And hurry.' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              is_error: true,
              content: [
                { type: 'text', text: 'service down' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/radar.png' } },
              ],
            },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: { city: 'Oslo' } }],
        reasoningBlocks: [{ type: 'thinking', thinking: 'Use the tool.', signature: 'sig-1' }],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: 'Error: service down' },
      { role: 'user', content: [{ type: 'image', image: 'https://example.com/radar.png' }] },
      { role: 'user', content: 'And hurry.' },
    ]);
  });

  it('takes images as base64 (a data URL) or an http(s) URL, PDFs as base64, with cache marks', () => {
    const request = toChatRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'AAAA' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            { type: 'text', text: 'Compare.', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'image', image: 'data:image/webp;base64,AAAA', mediaType: 'image/webp' },
        { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf' },
        { type: 'text', text: 'Compare.', cacheControl: { type: 'ephemeral' } },
      ],
    });
  });

  it('refuses a bad body naming the field', () => {
    expect(refusal({ messages: [] })).toBe('model');
    expect(refusal({ ...base, max_tokens: undefined })).toBe('max_tokens');
    expect(refusal({ ...base, max_tokens: 0 })).toBe('max_tokens');
    expect(refusal({ ...base, messages: [] })).toBe('messages');
    expect(refusal({ ...base, messages: [{ role: 'system', content: 'x' }] })).toBe('messages.0.role');
    expect(refusal({ ...base, temperature: 3 })).toBe('temperature');
    expect(refusal({ ...base, stop_sequences: ['ok', 5] })).toBe('stop_sequences.1');
    expect(refusal({ ...base, tool_choice: { type: 'sometimes' } })).toBe('tool_choice.type');
    expect(refusal({ ...base, tools: [{ name: 'x' }] })).toBe('tools.0.input_schema');
    expect(refusal({ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toBe('tools.0.type');
    expect(refusal({ ...base, thinking: { type: 'enabled' } })).toBe('thinking.budget_tokens');
    const image = (source: object) => ({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source }] }] });
    // Never a local file, whatever the spelling.
    expect(refusal(image({ type: 'url', url: 'file:///etc/passwd' }))).toBe('messages.0.content.0.source.url');
    expect(refusal(image({ type: 'url', url: '/etc/passwd' }))).toBe('messages.0.content.0.source.url');
    expect(refusal(image({ type: 'file', file_id: 'file_1' }))).toBe('messages.0.content.0.source.type');
    expect(refusal(image({ type: 'base64', media_type: 'image/svg+xml', data: 'x' }))).toBe(
      'messages.0.content.0.source.media_type',
    );
    expect(() => readRequestHead({ model: 'm', stream: 'yes' })).toThrow('stream: must be a boolean');
  });
});

function response(fields: Partial<ChatResponse>): ChatResponse {
  return {
    text: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120 },
    model: 'gpt-4o',
    provider: 'openai',
    cached: false,
    latencyMs: 5,
    warnings: [],
    raw: {},
    ...fields,
  };
}

describe('toAnthropicMessage', () => {
  it('orders thinking, text and tool_use; echoes the requested model; maps the stop reason', () => {
    const message = toAnthropicMessage(
      response({
        id: 'chatcmpl-1',
        text: 'Calling.',
        reasoning: 'Think.',
        toolCalls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }],
        finishReason: 'tool-calls',
      }),
      'smart-group',
    );
    expect(message.model).toBe('smart-group');
    expect(message.id).toMatch(/^msg_[\w-]+$/);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Think.', signature: '' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('keeps signed reasoning blocks and an upstream msg_ id; a stop sequence is named', () => {
    const message = toAnthropicMessage(
      response({
        id: 'msg_upstream',
        text: 'Done',
        reasoningBlocks: [
          { type: 'thinking', thinking: 'a', signature: 's' },
          { type: 'redacted-thinking', data: 'opaque' },
        ],
        rawFinishReason: 'stop_sequence',
        raw: { stop_sequence: '###' },
      }),
      'anthropic/claude-sonnet-4-5',
    );
    expect(message.id).toBe('msg_upstream');
    expect(message.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: 'a', signature: 's' },
      { type: 'redacted_thinking', data: 'opaque' },
    ]);
    expect([message.stop_reason, message.stop_sequence]).toEqual(['stop_sequence', '###']);
    expect(toAnthropicMessage(response({ finishReason: 'length' }), 'm').stop_reason).toBe('max_tokens');
    expect(toAnthropicMessage(response({ finishReason: 'stop' }), 'm').stop_reason).toBe('end_turn');
  });

  it('counts input tokens without cache reads and writes, as Anthropic does', () => {
    expect(
      anthropicUsage({
        inputTokens: 1000,
        outputTokens: 50,
        totalTokens: 1050,
        cacheReadTokens: 700,
        cacheWriteTokens: 200,
      }),
    ).toEqual({ input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 700, cache_creation_input_tokens: 200 });
  });
});

function decode(sse: string): Record<string, unknown>[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => JSON.parse(frame.split('\n')[1]?.slice(6) ?? 'null') as Record<string, unknown>);
}

describe('AnthropicStreamEncoder', () => {
  it('gives a provider that sends whole tool calls (no deltas) one block per call', () => {
    const encoder = new AnthropicStreamEncoder('msg_1', 'gemini/gemini-2.5-flash');
    const final = response({ toolCalls: [{ id: 'c1', name: 'f', arguments: { x: 1 } }], finishReason: 'tool-calls' });
    const events: StreamEvent[] = [
      { type: 'text-delta', text: 'Hi' },
      { type: 'tool-call', toolCall: { id: 'c1', name: 'f', arguments: { x: 1 } } },
      { type: 'finish', finishReason: 'tool-calls', usage: final.usage, response: final },
    ];
    const frames = decode(encoder.start() + events.map((event) => encoder.encode(event)).join(''));
    expect(frames.map((frame) => frame.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[4]).toMatchObject({ index: 1, content_block: { type: 'tool_use', id: 'c1', name: 'f' } });
    expect(frames[5]).toMatchObject({ index: 1, delta: { type: 'input_json_delta', partial_json: '{"x":1}' } });
    expect(frames[7]).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 100, output_tokens: 20 },
    });
  });

  it('does not repeat tool calls already streamed as deltas, and ends with an error event on failure', () => {
    const encoder = new AnthropicStreamEncoder('msg_2', 'm');
    encoder.start();
    const streamed =
      encoder.encode({ type: 'tool-call-delta', index: 0, id: 'c1', name: 'f', argumentsDelta: '{"x":' }) +
      encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '1}' }) +
      encoder.encode({ type: 'tool-call', toolCall: { id: 'c1', name: 'f', arguments: { x: 1 } } });
    expect(decode(streamed).map((frame) => frame.type)).toEqual([
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
    ]);
    const failure = new RateLimitError('slow down', { status: 429 });
    const ended = decode(encoder.encode({ type: 'error', error: failure, partial: response({}) }));
    expect(ended).toEqual([{ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }]);
    expect(encoder.encode({ type: 'text-delta', text: 'late' })).toBe('');
  });
});

describe('renderAnthropicError', () => {
  it('maps core kinds, gateway refusals and fastify refusals to Anthropic statuses and types', () => {
    const cases: [unknown, number, string][] = [
      [new InvalidRequestError('bad'), 400, 'invalid_request_error'],
      [new NotFoundError('no model'), 404, 'not_found_error'],
      [new RateLimitError('later', { retryAfterMs: 2500 }), 429, 'rate_limit_error'],
      [new ProviderError('overloaded', { status: 529 }), 529, 'overloaded_error'],
      [new ProviderError('boom', { status: 500 }), 502, 'api_error'],
      [
        Object.assign(new Error('bad key'), { name: 'GatewayError', status: 401, details: {} }),
        401,
        'authentication_error',
      ],
      [Object.assign(new Error('too big'), { statusCode: 413 }), 413, 'request_too_large'],
      [new Error('secret internals'), 500, 'api_error'],
    ];
    for (const [error, status, type] of cases) {
      const rendered = renderAnthropicError(error);
      expect([rendered.status, rendered.body.type, rendered.body.error.type]).toEqual([status, 'error', type]);
    }
    expect(renderAnthropicError(cases[2]?.[0]).headers).toEqual({ 'retry-after': '3' });
    // An unexpected error's message is not shown to the client.
    expect(renderAnthropicError(new Error('secret internals')).body.error.message).toBe('Internal gateway error');
  });
});
