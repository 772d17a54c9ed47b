/**
 * A complete generateContent answer (or embeddings or models body) that is not one is
 * `invalid-response` naming the field, never an empty success; the lenient cases the API really
 * sends still parse.
 */
import { describe, expect, it } from 'vitest';
import { embedRequestFor, expectInvalidResponse, shapeContext } from '../shared/test-helpers.js';
import { geminiAdapter } from './index.js';

const ctx = shapeContext('gemini', 'gemini-2.5-flash');
const answer = (parts: unknown, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0, ...extra }],
  usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-1',
});
const OPENAI_BODY = {
  id: 'chatcmpl-1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
};

describe('gemini parseChat rejects a body that is not a GenerateContentResponse', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['null', null, 'the body is null'],
    ['an array', [1, 2, 3], 'the body is an array'],
    ['candidates missing', { usageMetadata: {} }, 'candidates is missing'],
    ['candidates empty without a block reason', { candidates: [] }, 'candidates is an empty array'],
    ['candidates an object', { candidates: {} }, 'candidates is an object'],
    ['a candidate that is null', { candidates: [null] }, 'candidates[0] is null'],
    ['a candidate with neither content nor finishReason', { candidates: [{ index: 0 }] }, 'candidates[0] has neither'],
    [
      'content a string',
      { candidates: [{ content: 'Hi', finishReason: 'STOP' }] },
      'candidates[0].content is a string',
    ],
    ['parts an object', answer({ text: 'Hi' }), 'candidates[0].content.parts is an object'],
    ['a part whose text is a number', answer([{ text: 42 }]), 'candidates[0].content.parts[0].text is a number'],
    [
      'a function call without a name',
      answer([{ functionCall: { args: {} } }]),
      'candidates[0].content.parts[0].functionCall.name is missing',
    ],
    ['finishReason a number', answer([{ text: 'Hi' }], { finishReason: 1 }), 'candidates[0].finishReason is a number'],
    [
      'usage counts that are text',
      { ...answer([{ text: 'Hi' }]), usageMetadata: { promptTokenCount: 'three' } },
      'usageMetadata.promptTokenCount is a string',
    ],
    ['an OpenAI chat completion', OPENAI_BODY, 'candidates is missing'],
    [
      'an error on a 200',
      { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
      'candidates is missing; the body holds an error: The model is overloaded.',
    ],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => geminiAdapter.parseChat(ctx, body), problem);
    });
  }
});

describe('gemini parseChat stays lenient where the API is', () => {
  it('a prompt blocked before generation is a content-filter answer', () => {
    const result = geminiAdapter.parseChat(ctx, { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: {} });
    expect(result).toMatchObject({ text: '', finishReason: 'content-filter', rawFinishReason: 'SAFETY' });
  });

  it('a candidate without content says why in finishReason', () => {
    expect(geminiAdapter.parseChat(ctx, { candidates: [{ finishReason: 'SAFETY', index: 0 }] }).finishReason).toBe(
      'content-filter',
    );
    const thinkingOnly = { candidates: [{ content: { role: 'model' }, finishReason: 'MAX_TOKENS' }] };
    expect(geminiAdapter.parseChat(ctx, thinkingOnly).finishReason).toBe('length');
  });

  it('reads text, thoughts and calls, ignoring unknown fields, without usage', () => {
    const result = geminiAdapter.parseChat(ctx, {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'plan', thought: true }, { text: 'Hi' }, { functionCall: { name: 'f', args: { a: 1 } } }],
          },
          finishReason: 'STOP',
          safetyRatings: [],
          avgLogprobs: -0.1,
        },
      ],
    });
    expect(result).toMatchObject({ text: 'Hi', reasoning: 'plan', finishReason: 'tool-calls' });
    expect(result.toolCalls.map((call) => call.name)).toEqual(['f']);
    expect(result.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});

describe('gemini parseEmbed rejects a body that is not an embeddings answer', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['embeddings missing', { usageMetadata: {} }, 'embeddings is missing'],
    ['embeddings null', { embeddings: null }, 'embeddings is null'],
    ['fewer vectors than inputs', { embeddings: [{ values: [0.1] }] }, 'embeddings has 1 embeddings for 2 inputs'],
    ['a vector without values', { embeddings: [{ values: [0.1] }, {}] }, 'embeddings[1].values is missing'],
    [
      'a vector with text in it',
      { embeddings: [{ values: [0.1] }, { values: [0.1, '0.2'] }] },
      'embeddings[1].values[1] is a string',
    ],
    ['a single embedding without values', { embedding: {} }, 'embedding.values is missing'],
    ['an OpenAI embeddings body', { object: 'list', data: [{ embedding: [0.1] }] }, 'embeddings is missing'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => geminiAdapter.parseEmbed?.(ctx, body, embedRequestFor(2)), problem);
    });
  }

  it('reads batchEmbedContents and embedContent answers', () => {
    const batch = geminiAdapter.parseEmbed?.(
      ctx,
      { embeddings: [{ values: [1] }, { values: [2] }] },
      embedRequestFor(2),
    );
    expect(batch?.embeddings).toEqual([[1], [2]]);
    const single = geminiAdapter.parseEmbed?.(ctx, { embedding: { values: [3] } }, embedRequestFor(1));
    expect(single?.embeddings).toEqual([[3]]);
  });
});

describe('gemini parseModels rejects a body that is not a models list', () => {
  const cases: [string, unknown, string][] = [
    ['an empty body', undefined, 'the body is empty'],
    ['models missing', { nextPageToken: 'x' }, 'models is missing'],
    ['an entry without name', { models: [{ displayName: 'Gemini' }] }, 'models[0].name is missing'],
    [
      'a token limit that is text',
      { models: [{ name: 'models/g', inputTokenLimit: 'big' }] },
      'models[0].inputTokenLimit',
    ],
    ['an Anthropic models body', { data: [{ id: 'claude', type: 'model' }] }, 'models is missing'],
  ];
  for (const [name, body, problem] of cases) {
    it(`${name} -> invalid-response naming the field`, () => {
      expectInvalidResponse(() => geminiAdapter.parseModels?.(ctx, body), problem);
    });
  }
});
