/**
 * Gemini contract tests: recorded exchanges (and docs-synthesized ones where nothing was recorded)
 * replayed through MSW, run through `createSwitchboard({ transport: 'fetch' })` when core exports it
 * (else straight through the adapter), checking the request sent and the normalized result.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractCaseSpec } from '../../packages/core/src/catalog/types.js';
import { checkRequest, checkResult } from './assertions.js';
import { type CaseOutcome, loadFixture, loadProvider, type MockServer, runCase, startMockServer } from './harness.js';

const provider = loadProvider('gemini');
const HEADERS = { 'content-type': 'application/json' };
const path = (model: string, method: string) => `/v1beta/models/${model}:${method}`;
const recorded = (fixture: string) => loadFixture(`gemini/${fixture}`).request?.body;
const TEXT_ONLY = { generationConfig: { responseModalities: ['TEXT'] } };

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
    id: 'chat-system-instruction',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'You are a chatbot.' },
        { role: 'user', content: 'Hello!' },
      ],
      providerOptions: TEXT_ONLY,
    },
    request: {
      path: path('gemini-2.5-flash', 'generateContent'),
      headers: HEADERS,
      body: recorded('generate-nonstream.pydantic-ai'),
    },
    response: { fixture: 'gemini/generate-nonstream.pydantic-ai' },
    expect: {
      text: 'Hello! How can I help you today?',
      finishReason: 'stop',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 9, outputTokens: 43, totalTokens: 52, reasoningTokens: 34 },
      id: 'bzlXaa_EE_aHqtsPi_zw8Ao',
      model: 'gemini-2.5-flash',
    },
  },
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
    id: 'tool-call',
    kind: 'chat',
    input: {
      model: 'gemini/gemini-2.0-flash',
      toolChoice: 'required',
      tools: COUNTRY_TOOLS,
      messages: [{ role: 'user', content: QUESTION }],
    },
    request: {
      path: path('gemini-2.0-flash', 'generateContent'),
      headers: HEADERS,
      body: {
        contents: [{ role: 'user', parts: [{ text: QUESTION }] }],
        tools: COUNTRY_DECLARATIONS,
        toolConfig: { functionCallingConfig: { mode: 'ANY' } },
        generationConfig: '$absent',
      },
    },
    response: { fixture: 'gemini/function-call-nonstream.pydantic-ai.0' },
    expect: {
      text: '',
      toolCalls: [{ id: 'call_LlteaIDvD9m7nvgPz5Sb0Aw_0', name: 'get_user_country', arguments: {} }],
      finishReason: 'tool-calls',
      rawFinishReason: 'STOP',
      usage: { inputTokens: 33, outputTokens: 5, totalTokens: 38 },
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
    id: 'stream-text-sse',
    kind: 'stream',
    input: {
      model: 'gemini/gemini-2.0-flash-exp',
      temperature: 0,
      messages: [
        { role: 'system', content: 'You are a helpful chatbot.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    },
    request: {
      path: `${path('gemini-2.0-flash-exp', 'streamGenerateContent')}?alt=sse`,
      headers: HEADERS,
      body: recorded('stream-sse-text.pydantic-ai'),
    },
    response: { fixture: 'gemini/stream-sse-text.pydantic-ai' },
    expect: {
      text: 'The capital of France is Paris.\n',
      finishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 },
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
    id: 'stream-tool-call',
    kind: 'stream',
    input: {
      model: 'gemini/gemini-3-pro-preview',
      tools: [
        {
          name: 'get_country',
          description: '',
          parameters: { additionalProperties: false, properties: {}, type: 'object' },
        },
      ],
      messages: [{ role: 'user', content: 'What is the capital of the user country? Call the tool' }],
      providerOptions: TEXT_ONLY,
    },
    request: {
      path: `${path('gemini-3-pro-preview', 'streamGenerateContent')}?alt=sse`,
      body: {
        contents: [{ role: 'user', parts: [{ text: 'What is the capital of the user country? Call the tool' }] }],
        tools: [
          {
            functionDeclarations: [
              {
                description: '',
                name: 'get_country',
                parametersJsonSchema: { additionalProperties: false, properties: {}, type: 'object' },
              },
            ],
          },
        ],
        generationConfig: TEXT_ONLY.generationConfig,
      },
    },
    response: { fixture: 'gemini/stream-sse-function-call-thought-signature.pydantic-ai.0' },
    expect: {
      text: '',
      toolCalls: [{ id: 'call_QUVVadTSNJ6_qtsPvN7J8Q0_0', name: 'get_country', arguments: {} }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 29, outputTokens: 212, totalTokens: 241, reasoningTokens: 202 },
    },
  },
  {
    id: 'embed-batch',
    kind: 'embed',
    input: {
      model: 'gemini/gemini-embedding-2-preview',
      input: 'Hello, world!',
      dimensions: 768,
      providerOptions: { taskType: 'RETRIEVAL_QUERY' },
    },
    request: {
      path: path('gemini-embedding-2-preview', 'batchEmbedContents'),
      headers: HEADERS,
      body: recorded('embeddings-batch.pydantic-ai'),
    },
    response: { fixture: 'gemini/embeddings-batch.pydantic-ai' },
    expect: { embeddings: { count: 1, dimensions: 768, first: [-0.039718185, 0.0070917504, 0.04710465] } },
  },
  {
    id: 'models-list',
    kind: 'models',
    input: {},
    request: { method: 'GET', path: '/v1beta/models' },
    response: { fixture: 'gemini/models-list.synthesized' },
    expect: {
      models: {
        count: 2,
        includes: [{ id: 'gemini-2.5-flash', provider: 'gemini', name: 'Gemini 2.5 Flash', contextWindow: 1048576 }],
      },
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
        'error-400-api-key-invalid',
        'gemini-2.0-flash-lite',
        'error-400-api-key-invalid.ace',
        {
          kind: 'authentication',
          status: 400,
          retryable: false,
          code: 'API_KEY_INVALID',
          messageContains: 'API key not valid',
        },
      ],
      [
        'error-404-model',
        'gemini-3.6-flahs',
        'error-404-model-not-found.pydantic-ai',
        { kind: 'not-found', status: 404, retryable: false, code: 'NOT_FOUND' },
      ],
      [
        'error-429-retry-info',
        'gemini-2.5-flash',
        'error-429-retry-info.vercel',
        { kind: 'rate-limit', status: 429, retryable: true, retryAfterMs: 34400, code: 'RESOURCE_EXHAUSTED' },
      ],
      [
        'error-403-permission',
        'gemini-2.5-flash',
        'error-403-permission-denied.synthesized',
        { kind: 'permission', status: 403, retryable: false },
      ],
      [
        'error-400-context-length',
        'gemini-2.5-flash',
        'error-400-context-length.synthesized',
        { kind: 'context-length-exceeded', status: 400, retryable: false },
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
    const apiKey = `AIzaTest-${spec.id}-0123456789abcdef`;
    let outcome: Promise<CaseOutcome> | undefined;
    const run = () => {
      outcome ??= runCase(mock, provider, spec, { apiKey });
      return outcome;
    };
    it(`${spec.id}:Request`, async () => {
      const result = await run();
      checkRequest(result, spec, provider.descriptor, apiKey);
      expect(result.request?.headers['x-goog-api-key']).toBe('[REDACTED]');
    });
    it(`${spec.id}:Response`, async () => {
      checkResult(await run(), spec, apiKey);
    });
  }
});
