/**
 * Gemini contract edge cases; the main cases (chat, stream, tool calls, embeddings, models, errors)
 * are the `tests:` of catalog/providers/gemini.yaml, run by catalog-cases.test.ts. Recorded exchanges
 * (and docs-synthesized ones where nothing was recorded) replayed by @switchboard/testing's engine, run through `createSwitchboard` on both transports
 * (undici and fetch, named in each test; else straight through the adapter), checking the request sent and the normalized result.
 */
import { createRequire } from 'node:module';
import type { ContractCaseSpec } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, checkResult } from './assertions.js';
import {
  type CaseOutcome,
  loadFixture,
  loadProvider,
  type MockServer,
  runCase,
  startMockServer,
  TRANSPORTS,
} from './harness.js';

const provider = loadProvider('gemini');
const HEADERS = { 'content-type': 'application/json' };
const path = (model: string, method: string) => `/v1beta/models/${model}:${method}`;
const recorded = (fixture: string) => loadFixture(`gemini/${fixture}`).request?.body;

const COUNTRY_TOOLS = [
  {
    name: 'get_user_country',
    description: '',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
  {
    name: 'final_result',
    description: 'The final response which ends this conversation',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, country: { type: 'string' } },
      required: ['city', 'country'],
    },
  },
];
/** The recorded declarations (pydantic-ai writes OBJECT/STRING; the API takes either case). */
const COUNTRY_DECLARATIONS = [
  {
    functionDeclarations: [
      { description: '', name: 'get_user_country', parameters: { type: 'object', properties: {} } },
      {
        description: 'The final response which ends this conversation',
        name: 'final_result',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' }, country: { type: 'string' } },
          required: ['city', 'country'],
        },
      },
    ],
  },
];
const CITY_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, country: { type: 'string' } },
  required: ['city', 'country'],
  additionalProperties: false,
};
// zod is core's dependency, not this package's: borrow core's copy for the schema of the structured-output case.
const { z } = createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  'zod',
) as typeof import('zod');
const QUESTION = 'What is the largest city in the user country?';

const cases: ContractCaseSpec[] = [
  {
    id: 'chat-generation-config',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.0-flash-lite',
      temperature: 0.7,
      maxTokens: 8192,
      messages: [{ role: 'user', content: 'What is 2+2? Reply with just the number.' }],
    },
    request: {
      path: path('gemini-2.0-flash-lite', 'generateContent'),
      headers: HEADERS,
      body: recorded('generate-nonstream.ace'),
    },
    response: { fixture: 'gemini/generate-nonstream.ace' },
    expect: { text: '4\n', finishReason: 'stop', usage: { inputTokens: 13, outputTokens: 2, totalTokens: 15 } },
  },
  {
    id: 'chat-prompt-blocked',
    kind: 'chat',
    input: { model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello' }] },
    request: {
      path: path('gemini-2.5-flash', 'generateContent'),
      body: recorded('generate-prompt-blocked.synthesized'),
    },
    response: { fixture: 'gemini/generate-prompt-blocked.synthesized' },
    expect: { text: '', finishReason: 'content-filter', rawFinishReason: 'SAFETY' },
  },
  {
    id: 'chat-cached-thinking',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.5-flash',
      maxTokens: 2048,
      reasoning: { budgetTokens: 1024 },
      messages: [{ role: 'user', content: 'Summarize the cached document.' }],
    },
    request: {
      path: path('gemini-2.5-flash', 'generateContent'),
      body: recorded('generate-cached-thinking.synthesized'),
    },
    response: { fixture: 'gemini/generate-cached-thinking.synthesized' },
    expect: {
      text: 'The document describes three topics.',
      reasoningStartsWith: '**Planning the summary**',
      finishReason: 'length',
      usage: { inputTokens: 4200, outputTokens: 127, totalTokens: 4327, cacheReadTokens: 4096, reasoningTokens: 120 },
    },
  },
  {
    id: 'tool-result-round-trip',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.0-flash',
      toolChoice: 'required',
      tools: COUNTRY_TOOLS,
      messages: [
        { role: 'user', content: QUESTION },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'pyd_ai_3fa5644dae1d4aad997ae39c70006fbd', name: 'get_user_country', arguments: {} }],
        },
        { role: 'tool', toolCallId: 'pyd_ai_3fa5644dae1d4aad997ae39c70006fbd', content: '{"return_value":"Mexico"}' },
      ],
    },
    request: {
      path: path('gemini-2.0-flash', 'generateContent'),
      body: {
        contents: (recorded('function-call-nonstream.pydantic-ai.1') as { contents: unknown }).contents,
        tools: COUNTRY_DECLARATIONS,
      },
    },
    response: { fixture: 'gemini/function-call-nonstream.pydantic-ai.1' },
    expect: {
      toolCalls: [
        {
          id: 'call_LlteaOzCOPOdnvgPrJbnoQg_0',
          name: 'final_result',
          arguments: { city: 'Mexico City', country: 'Mexico' },
        },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 47, outputTokens: 8, totalTokens: 55 },
    },
  },
  {
    id: 'stream-json-array-thoughts',
    kind: 'stream',
    input: {
      model: 'gemini/gemini-flash-latest',
      messages: [{ role: 'user', content: 'Name for a pet pelican, just the name' }],
      providerOptions: {
        safetySettings: (recorded('stream-json-array-text.llm-gemini') as { safetySettings: unknown }).safetySettings,
        generationConfig: { thinkingConfig: { includeThoughts: true } },
      },
    },
    request: {
      path: `${path('gemini-flash-latest', 'streamGenerateContent')}?alt=sse`,
      body: recorded('stream-json-array-text.llm-gemini'),
    },
    response: { fixture: 'gemini/stream-json-array-text.llm-gemini' },
    expect: {
      text: 'Scoop',
      reasoningStartsWith: '**Considering the Constraint**',
      finishReason: 'stop',
      usage: { inputTokens: 11, outputTokens: 293, totalTokens: 304, reasoningTokens: 291 },
    },
  },
  {
    id: 'structured-output-json-schema',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Which city is the capital of France?' }],
      // createSwitchboard plans native JSON-schema output from `schema`; the adapter-only path reads `responseFormat`.
      schema: z.object({ city: z.string(), country: z.string() }),
      responseFormat: { type: 'json-schema', name: 'respond', schema: CITY_SCHEMA },
    },
    request: {
      path: path('gemini-2.5-flash', 'generateContent'),
      body: {
        contents: [{ role: 'user', parts: [{ text: 'Which city is the capital of France?' }] }],
        generationConfig: {
          responseMimeType: 'application/json',
          responseJsonSchema: {
            type: 'object',
            properties: { city: { type: 'string' }, country: { type: 'string' } },
            required: ['city', 'country'],
            $schema: '$absent',
          },
          responseSchema: '$absent',
        },
        tools: '$absent',
      },
    },
    response: { fixture: 'gemini/generate-json-schema.synthesized' },
    expect: {
      text: '{"city": "Paris", "country": "France"}',
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 11, totalTokens: 23 },
    },
  },
  {
    id: 'error-404-embeddings',
    kind: 'error',
    input: {
      model: 'gemini/nonexistent-model',
      input: 'Hello, world!',
      providerOptions: { taskType: 'RETRIEVAL_QUERY' },
    },
    request: {
      path: path('nonexistent-model', 'batchEmbedContents'),
      body: recorded('embeddings-error-404.pydantic-ai'),
    },
    response: { fixture: 'gemini/embeddings-error-404.pydantic-ai' },
    expect: { error: { kind: 'not-found', status: 404, retryable: false, code: 'NOT_FOUND' } },
  },
  ...(
    [
      [
        'error-403-permission',
        'gemini-2.5-flash',
        'error-403-permission-denied.synthesized',
        { kind: 'permission', status: 403, retryable: false },
      ],
      [
        'error-503-unavailable',
        'gemini-2.5-flash',
        'error-503-unavailable.synthesized',
        { kind: 'provider', status: 503, retryable: true },
      ],
    ] as const
  ).map(
    ([id, model, fixture, error]): ContractCaseSpec => ({
      id,
      kind: 'error',
      input: { model: `gemini/${model}`, messages: [{ role: 'user', content: 'Hello' }] },
      request: {
        path: path(model, 'generateContent'),
        headers: HEADERS,
        body: { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] },
      },
      response: { fixture: `gemini/${fixture}` },
      expect: { error },
    }),
  ),
];

let mock: MockServer;
beforeAll(() => {
  mock = startMockServer();
});
afterAll(() => mock.close());

describe('gemini contract', () => {
  for (const spec of cases) {
    for (const transport of TRANSPORTS) {
      const apiKey = `AIzaTest-${spec.id}-0123456789abcdef`;
      let outcome: Promise<CaseOutcome> | undefined;
      const run = () => {
        outcome ??= runCase(mock, provider, spec, { apiKey, transport });
        return outcome;
      };
      it(`${spec.id}:Request [${transport}]`, async () => {
        const result = await run();
        checkRequest(result, spec, provider.descriptor, apiKey);
        expect(result.request?.headers['x-goog-api-key']).toBe('[REDACTED]');
      });
      it(`${spec.id}:Response [${transport}]`, async () => {
        checkResult(await run(), spec, apiKey);
      });
    }
  }
});
