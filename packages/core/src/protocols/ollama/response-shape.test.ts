/**
 * A complete /api/chat answer (or /api/embed or /api/tags body) that is not one is
 * `invalid-response` naming the field, never an empty success; the lenient cases Ollama really sends
 * still parse.
 */
import { describe, expect, it } from 'vitest';
import { embedRequestFor, expectInvalidResponse, shapeContext } from '../shared/test-helpers.js';
import { ollamaAdapter } from './index.js';

const ctx = shapeContext('ollama', 'llama3.2');
const chat = (message: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'llama3.2',
  created_at: '2024-07-22T20:33:28.123648Z',
  message,
  done: true,
  done_reason: 'stop',
  prompt_eval_count: 3,
  eval_count: 1,
  ...extra,
});
const OPENAI_BODY = {
  id: 'chatcmpl-1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
};

describe('ollama parseChat rejects a body that is not a chat answer', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['an array', [1, 2, 3], 'the body is an array'],
    ['message missing', { model: 'llama3.2', done: true }, 'message is missing'],
    ['message a string', chat('Hello'), 'message is a string'],
    ['content a number', chat({ role: 'assistant', content: 42 }), 'message.content is a number'],
    ['content an object', chat({ role: 'assistant', content: { text: 'Hi' } }), 'message.content is an object'],
    ['no content at all', chat({ role: 'assistant' }), 'message has no content, thinking or tool_calls'],
    [
      'tool_calls an object',
      chat({ role: 'assistant', content: '', tool_calls: {} }),
      'message.tool_calls is an object',
    ],
    [
      'a tool call without a name',
      chat({ role: 'assistant', content: '', tool_calls: [{ function: { arguments: {} } }] }),
      'message.tool_calls[0].function.name is missing',
    ],
    ['done_reason a number', chat({ role: 'assistant', content: 'Hi' }, { done_reason: 1 }), 'done_reason is a number'],
    [
      'counts that are text',
      chat({ role: 'assistant', content: 'Hi' }, { eval_count: 'one' }),
      'eval_count is a string',
    ],
    ['an OpenAI chat completion', OPENAI_BODY, 'message is missing'],
    ['an error on a 200', { error: 'model "x" not found, try pulling it first' }, 'the body holds an error: model "x"'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => ollamaAdapter.parseChat(ctx, body), problem);
    });
  }
});

describe('ollama parseChat stays lenient where Ollama is', () => {
  it('an empty content beside tool calls, and no counts (a cached prompt), parse', () => {
    const result = ollamaAdapter.parseChat(ctx, {
      model: 'llama3.2',
      message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] },
      done: true,
    });
    expect(result).toMatchObject({ text: '', finishReason: 'tool-calls', toolCalls: [{ name: 'f' }] });
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});

describe('ollama parseEmbed rejects a body that is not an /api/embed answer', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['embeddings missing', { model: 'all-minilm' }, 'embeddings is missing'],
    ['fewer vectors than inputs', { embeddings: [[0.1]] }, 'embeddings has 1 embeddings for 2 inputs'],
    ['a vector with text in it', { embeddings: [[0.1], [0.2, '0.3']] }, 'embeddings[1][1] is a string'],
    ['a vector that is an object', { embeddings: [[0.1], {}] }, 'embeddings[1] is an object'],
    ['the old /api/embeddings shape', { embedding: [0.1, 0.2] }, 'embeddings is missing'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => ollamaAdapter.parseEmbed?.(ctx, body, embedRequestFor(2)), problem);
    });
  }
});

describe('ollama parseModels rejects a body that is not an /api/tags answer', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['models missing', { object: 'list', data: [] }, 'models is missing'],
    ['an entry without name or model', { models: [{ size: 1 }] }, 'models[0].name is missing'],
    ['a name that is a number', { models: [{ name: 3 }] }, 'models[0].name is a number'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => ollamaAdapter.parseModels?.(ctx, body), problem);
    });
  }

  it('an empty list is no models installed', () => {
    expect(ollamaAdapter.parseModels?.(ctx, { models: [] })).toEqual([]);
  });
});
