/**
 * A complete Converse answer (or InvokeModel embeddings body) that is not one is `invalid-response`
 * naming the field, never an empty success; the lenient cases the API really sends still parse.
 */
import { describe, expect, it } from 'vitest';
import { embedRequestFor, expectInvalidResponse, shapeContext } from '../shared/test-helpers.js';
import { bedrockConverseAdapter } from './index.js';

const ctx = shapeContext('bedrock-converse', 'us.amazon.nova-micro-v1:0');
const converse = (content: unknown, extra: Record<string, unknown> = {}) => ({
  output: { message: { role: 'assistant', content } },
  stopReason: 'end_turn',
  usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
  metrics: { latencyMs: 100 },
  ...extra,
});
const OPENAI_BODY = {
  id: 'chatcmpl-1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
};

describe('bedrock-converse parseChat rejects a body that is not a Converse answer', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['an array', [1, 2, 3], 'the body is an array'],
    ['output missing', { stopReason: 'end_turn' }, 'output is missing'],
    ['output.message missing', { output: {}, stopReason: 'end_turn' }, 'output.message is missing'],
    ['content null', converse(null), 'output.message.content is null'],
    ['content a string', converse('Hi'), 'output.message.content is a string'],
    ['a block that is a number', converse([42]), 'output.message.content[0] is a number'],
    ['a text block whose text is a number', converse([{ text: 42 }]), 'output.message.content[0].text is a number'],
    [
      'a toolUse block without a name',
      converse([{ toolUse: { toolUseId: 't1', input: {} } }]),
      'output.message.content[0].toolUse.name is missing',
    ],
    ['stopReason missing', { output: { message: { content: [{ text: 'Hi' }] } } }, 'stopReason is missing'],
    ['usage a number', converse([{ text: 'Hi' }], { usage: 3 }), 'usage is a number'],
    [
      'a token count that is text',
      converse([{ text: 'Hi' }], { usage: { inputTokens: '3' } }),
      'usage.inputTokens is a string',
    ],
    ['an OpenAI chat completion', OPENAI_BODY, 'output is missing'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => bedrockConverseAdapter.parseChat(ctx, body), problem);
    });
  }
});

describe('bedrock-converse parseChat stays lenient where the API is', () => {
  it('ignores unknown blocks and fields, and reads a body without usage', () => {
    const { usage: _usage, ...body } = converse([
      { citationsContent: { citations: [] } },
      { reasoningContent: { redactedContent: 'abc' } },
      { text: 'Hi' },
    ]);
    const result = bedrockConverseAdapter.parseChat(ctx, { ...body, trace: {}, performanceConfig: {} });
    expect(result).toMatchObject({ text: 'Hi', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } });
  });
});

describe('bedrock-converse parseEmbed rejects a body that is not an embeddings answer', () => {
  const titan = shapeContext('bedrock-converse', 'amazon.titan-embed-text-v2:0');
  const cohere = shapeContext('bedrock-converse', 'cohere.embed-english-v3');
  const cases: [string, typeof titan, unknown, string][] = [
    ['an empty Titan body', titan, undefined, 'the body is empty'],
    ['Titan without embedding', titan, { inputTextTokenCount: 4 }, 'embedding is missing'],
    ['Titan with a string in the vector', titan, { embedding: [0.1, 'x'] }, 'embedding[1] is a string'],
    [
      'Titan with a token count that is text',
      titan,
      { embedding: [0.1], inputTextTokenCount: 'six' },
      'inputTextTokenCount',
    ],
    ['Cohere without embeddings', cohere, { id: 'x', texts: ['a'] }, 'embeddings is missing'],
    [
      'Cohere with fewer vectors than inputs',
      cohere,
      { embeddings: [[0.1]] },
      'embeddings has 1 embeddings for 2 inputs',
    ],
    ['Cohere by type without float', cohere, { embeddings: { int8: [[1], [2]] } }, 'embeddings.float is missing'],
    ['Cohere with a vector that is null', cohere, { embeddings: [[0.1], null] }, 'embeddings[1] is null'],
  ];
  for (const [name, context, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      const count = context === titan ? 1 : 2;
      expectInvalidResponse(() => bedrockConverseAdapter.parseEmbed?.(context, body, embedRequestFor(count)), problem);
    });
  }
});
