/**
 * A complete Messages answer (or models list) that is not one is `invalid-response` naming the
 * field, never an empty success; the lenient cases the API really sends still parse.
 */
import { describe, expect, it } from 'vitest';
import { expectInvalidResponse, shapeContext } from '../shared/test-helpers.js';
import { anthropicMessagesAdapter } from './index.js';

const ctx = shapeContext('anthropic-messages', 'claude-sonnet-4-5');
const message = (content: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content,
  stop_reason: 'end_turn',
  usage: { input_tokens: 3, output_tokens: 1 },
  ...extra,
});
const OPENAI_BODY = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
};

describe('anthropic-messages parseChat rejects a body that is not a message', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['an array', [1, 2, 3], 'the body is an array'],
    ['content missing', { id: 'msg', type: 'message' }, 'content is missing'],
    ['content null', message(null), 'content is null'],
    ['content a string', message('Hello'), 'content is a string'],
    ['a block that is a number', message([42]), 'content[0] is a number'],
    ['a block without type', message([{ text: 'hi' }]), 'content[0].type is missing'],
    ['a text block whose text is a number', message([{ type: 'text', text: 42 }]), 'content[0].text is a number'],
    ['a text block without text', message([{ type: 'text' }]), 'content[0].text is missing'],
    ['a thinking block without thinking', message([{ type: 'thinking' }]), 'content[0].thinking is missing'],
    [
      'a tool_use block without a name',
      message([{ type: 'tool_use', id: 'toolu_1', input: {} }]),
      'content[0].name is missing',
    ],
    [
      'a tool_use block whose input is text',
      message([{ type: 'tool_use', id: 'toolu_1', name: 'f', input: '{}' }]),
      'content[0].input is a string',
    ],
    ['stop_reason a number', message([], { stop_reason: 1 }), 'stop_reason is a number'],
    ['usage a string', message([], { usage: 'lots' }), 'usage is a string'],
    ['a token count that is text', message([], { usage: { input_tokens: '3' } }), 'usage.input_tokens is a string'],
    ['an OpenAI chat completion', OPENAI_BODY, 'content is missing'],
    [
      'an error on a 200',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      'type is "error" (expected "message"); the body holds an error: Overloaded',
    ],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => anthropicMessagesAdapter.parseChat(ctx, body), problem);
    });
  }
});

describe('anthropic-messages parseChat stays lenient where the API is', () => {
  it('an empty content list is an (empty) end of turn', () => {
    expect(anthropicMessagesAdapter.parseChat(ctx, message([]))).toMatchObject({ text: '', finishReason: 'stop' });
  });

  it('ignores unknown block types and fields, and reads a body without usage', () => {
    const result = anthropicMessagesAdapter.parseChat(ctx, {
      content: [
        { type: 'redacted_thinking', data: 'abc' },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        { type: 'text', text: 'Hi', citations: null },
      ],
      stop_reason: 'end_turn',
      container: null,
    });
    expect(result).toMatchObject({ text: 'Hi', toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 } });
  });
});

describe('anthropic-messages parseModels rejects a body that is not a models list', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['data missing', { has_more: false }, 'data is missing'],
    ['an entry without id', { data: [{ type: 'model', display_name: 'Claude' }] }, 'data[0].id is missing'],
    [
      'a display name that is a number',
      { data: [{ id: 'claude', display_name: 4 }] },
      'data[0].display_name is a number',
    ],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => anthropicMessagesAdapter.parseModels?.(ctx, body), problem);
    });
  }
});
