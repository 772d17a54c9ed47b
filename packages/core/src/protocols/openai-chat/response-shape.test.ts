/**
 * A complete Chat Completions answer (and an embeddings or models body) that is not one is
 * `invalid-response` naming the field, never an empty success; the lenient cases real servers send
 * still parse.
 */
import { describe, expect, it } from 'vitest';
import type { ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext, PreparedEmbedRequest } from '../../types/protocol.js';
import { openaiChatAdapter } from './index.js';

const descriptor: ProviderDescriptor = {
  id: 'openai',
  name: 'OpenAI',
  protocol: 'openai-chat',
  baseURL: 'https://api.example.com/v1',
  auth: { type: 'bearer', env: [] },
  endpoints: { chat: '/chat/completions' },
  capabilities: [],
  defaultModel: 'gpt-4o-mini',
};
const ctx: CallContext = {
  descriptor,
  settings: {},
  model: undefined,
  modelId: 'gpt-4o-mini',
  baseURL: descriptor.baseURL,
  params: {},
  apiKey: 'sk-test-abcdefghijklmnop1234',
  env: {},
};

const choice = (message: Record<string, unknown>, finish: unknown = 'stop') => ({
  id: 'chatcmpl-1',
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

/** Runs `parse` and returns the error's kind and message (fails the test when it does not throw). */
function failure(parse: () => unknown): { kind: string; message: string } {
  try {
    parse();
  } catch (error) {
    const { kind, message } = error as { kind: string; message: string };
    return { kind, message };
  }
  throw new Error('expected the body to be rejected');
}

const ANTHROPIC_BODY = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 3, output_tokens: 1 },
};

describe('openai-chat parseChat rejects a body that is not a chat completion', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['an array', [1, 2, 3], 'the body is an array'],
    ['a string', 'OK', 'the body is a string'],
    ['choices missing', { id: 'x', usage: {} }, 'choices is missing'],
    ['choices null', { choices: null }, 'choices is null'],
    ['choices empty', { choices: [] }, 'choices is an empty array'],
    ['choices an object', { choices: { 0: {} } }, 'choices is an object'],
    ['a choice that is null', { choices: [null] }, 'choices[0] is null'],
    ['a choice without message', { choices: [{ index: 0, finish_reason: 'stop' }] }, 'choices[0].message is missing'],
    ['content a number', choice({ content: 42 }), 'choices[0].message.content is a number'],
    ['content an object', choice({ content: { text: 'hi' } }), 'choices[0].message.content is an object'],
    ['content parts with a number', choice({ content: ['a', 7] }), 'choices[0].message.content[1] is a number'],
    ['a part whose text is a number', choice({ content: [{ type: 'text', text: 3 }] }), 'content[0].text is a number'],
    ['content null and nothing else', choice({ content: null }), 'choices[0].message has no content'],
    ['tool_calls an object', choice({ content: null, tool_calls: {} }), 'choices[0].message.tool_calls is an object'],
    [
      'a tool call without a name',
      choice({ content: null, tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }, 'tool_calls'),
      'choices[0].message.tool_calls[0].function.name is missing',
    ],
    ['refusal a number', choice({ content: null, refusal: 1 }), 'choices[0].message.refusal is a number'],
    ['finish_reason a number', choice({ content: 'hi' }, 1), 'choices[0].finish_reason is a number'],
    ['usage a number', { ...choice({ content: 'hi' }), usage: 42 }, 'usage is a number'],
    [
      'a token count that is text',
      { ...choice({ content: 'hi' }), usage: { prompt_tokens: 'many' } },
      'usage.prompt_tokens is a string',
    ],
    ['an Anthropic message', ANTHROPIC_BODY, 'choices is missing'],
    [
      'an error object on a 200',
      { error: { message: 'upstream overloaded', code: 502 } },
      'choices is missing; the body holds an error: upstream overloaded',
    ],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      const error = failure(() => openaiChatAdapter.parseChat(ctx, body));
      expect(error.kind).toBe('invalid-response');
      expect(error.message).toContain(problem);
      expect(error.message).toContain("Provider 'openai' sent an invalid response");
    });
  }
});

describe('openai-chat parseChat stays lenient where real servers are', () => {
  it('content null beside tool calls is a tool call answer', () => {
    const result = openaiChatAdapter.parseChat(
      ctx,
      choice(
        { content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        'tool_calls',
      ),
    );
    expect(result).toMatchObject({ text: '', finishReason: 'tool-calls', toolCalls: [{ id: 'c1', name: 'f' }] });
  });

  it('content null with a refusal answers the refusal', () => {
    const result = openaiChatAdapter.parseChat(ctx, choice({ content: null, refusal: 'I cannot help with that.' }));
    expect(result.text).toBe('I cannot help with that.');
  });

  it('content null with reasoning only, or cut by length, is an answer', () => {
    expect(openaiChatAdapter.parseChat(ctx, choice({ content: null, reasoning_content: 'thinking' })).reasoning).toBe(
      'thinking',
    );
    expect(openaiChatAdapter.parseChat(ctx, choice({ content: null }, 'length')).finishReason).toBe('length');
  });

  it('joins the array-of-parts form and never prints [object Object]', () => {
    const result = openaiChatAdapter.parseChat(
      ctx,
      choice({ content: ['a', { type: 'text', text: 'b' }, { type: 'image_url', image_url: { url: 'x' } }] }),
    );
    expect(result.text).toBe('ab');
  });

  it('ignores OpenRouter, Azure and Groq extras and reads Groq usage from x_groq', () => {
    const result = openaiChatAdapter.parseChat(ctx, {
      id: 'gen-1',
      provider: 'Fireworks',
      object: 'chat.completion',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
      choices: [
        {
          index: 0,
          logprobs: null,
          native_finish_reason: 'stop',
          content_filter_results: { hate: { filtered: false } },
          message: { role: 'assistant', content: 'hi', refusal: null, reasoning: null },
          finish_reason: 'stop',
        },
      ],
      x_groq: { id: 'req_1', usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } },
    });
    expect(result).toMatchObject({ text: 'hi', finishReason: 'stop', usage: { inputTokens: 4, outputTokens: 1 } });
  });

  it('a body without usage parses with zero usage', () => {
    const { usage: _usage, ...body } = choice({ content: 'hi' });
    expect(openaiChatAdapter.parseChat(ctx, body).usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });

  it('an empty string is a (short) answer', () => {
    expect(openaiChatAdapter.parseChat(ctx, choice({ content: '' })).text).toBe('');
  });
});

const embedRequest = (count: number): PreparedEmbedRequest => ({
  input: Array.from({ length: count }, (_, index) => `text ${index}`),
  encoding: 'float',
  providerOptions: {},
});

describe('openai-chat parseEmbed rejects a body that is not an embeddings list', () => {
  const vector = (index: number, embedding: unknown = [0.1, 0.2]) => ({ object: 'embedding', index, embedding });
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['data missing', { object: 'list', model: 'm' }, 'data is missing'],
    ['data null', { data: null }, 'data is null'],
    ['fewer vectors than inputs', { data: [vector(0)] }, 'data has 1 embeddings for 2 inputs'],
    ['a vector that is missing', { data: [vector(0), { index: 1 }] }, 'data[1].embedding is missing'],
    ['a vector with text in it', { data: [vector(0), vector(1, [0.1, 'x'])] }, 'data[1].embedding[1] is a string'],
    ['an entry that is a number', { data: [vector(0), 5] }, 'data[1] is a number'],
    ['usage that is text', { data: [vector(0), vector(1)], usage: 'x' }, 'usage is a string'],
    ['a chat completion', choice({ content: 'hi' }), 'data is missing'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      const error = failure(() => openaiChatAdapter.parseEmbed?.(ctx, body, embedRequest(2)));
      expect(error.kind).toBe('invalid-response');
      expect(error.message).toContain(problem);
    });
  }

  it('parses vectors out of order by index, and without usage', () => {
    const result = openaiChatAdapter.parseEmbed?.(ctx, { data: [vector(1, [2]), vector(0, [1])] }, embedRequest(2));
    expect(result).toMatchObject({ embeddings: [[1], [2]], inputTokens: 0 });
  });
});

describe('openai-chat parseModels rejects a body that is not a models list', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['data missing', { object: 'list' }, 'data is missing'],
    ['data a string', { data: 'gpt-4o' }, 'data is a string'],
    ['an entry without id', { data: [{ object: 'model' }] }, 'data[0].id is missing'],
    ['an entry that is a number', { data: [1] }, 'data[0] is a number'],
    ['a bare array with a null', [null], 'body[0] is null'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      const error = failure(() => openaiChatAdapter.parseModels?.(ctx, body));
      expect(error.kind).toBe('invalid-response');
      expect(error.message).toContain(problem);
    });
  }

  it('reads data, models and bare arrays, and an empty list', () => {
    expect(openaiChatAdapter.parseModels?.(ctx, { data: [{ id: 'a' }] })?.map((m) => m.id)).toEqual(['a']);
    expect(openaiChatAdapter.parseModels?.(ctx, { models: [{ name: 'b' }] })?.map((m) => m.id)).toEqual(['b']);
    expect(openaiChatAdapter.parseModels?.(ctx, [{ id: 'c' }])?.map((m) => m.id)).toEqual(['c']);
    expect(openaiChatAdapter.parseModels?.(ctx, { object: 'list', data: [] })).toEqual([]);
  });
});
