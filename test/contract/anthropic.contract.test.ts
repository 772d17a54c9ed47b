/**
 * Anthropic contract tests: recorded exchanges (and docs-synthesized ones where nothing was recorded)
 * replayed through MSW, run through `createSwitchboard({ transport: 'fetch' })` when core exports it
 * (else straight through the adapter), checking the request sent and the normalized result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractCaseSpec } from '../../packages/core/src/catalog/types.js';
import { checkRequest, checkResult } from './assertions.js';
import { type CaseOutcome, loadFixture, loadProvider, type MockServer, runCase, startMockServer } from './harness.js';

const provider = loadProvider('anthropic');
const HEADERS = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const PATH = '/v1/messages';

/** A recorded request body, less pydantic-ai's `is_error: false` on tool results (core has no such flag). */
function recordedBody(fixture: string): Record<string, unknown> {
  const body = structuredClone(loadFixture(`anthropic/${fixture}`).request?.body) as Record<string, unknown> & {
    messages: { content: Record<string, unknown>[] | string }[];
  };
  for (const m of body.messages) {
    if (Array.isArray(m.content)) for (const b of m.content) if (b.is_error === false) delete b.is_error;
  }
  return body;
}
const recordedTools = (fixture: string) =>
  (recordedBody(fixture).tools as { name: string; description: string; input_schema: unknown }[]).map((t) => ({
    name: t.name,
    description: t.description,
    parameters: t.input_schema,
  }));

const ZERO_CACHE = { cacheReadTokens: 0, cacheWriteTokens: 0 };
const parallel = recordedBody('messages-tool-use-parallel-nonstream.pydantic-ai.0') as { system: string };
const weather = loadFixture('anthropic/messages-stream-tool-use.synthesized').request?.body as {
  tools: { name: string; description: string; input_schema: unknown }[];
};

const cases: ContractCaseSpec[] = [
  {
    id: 'chat-system-prompt',
    kind: 'chat',
    input: {
      model: 'anthropic/claude-3-opus-latest',
      maxTokens: 4096,
      messages: [
        {
          role: 'system',
          content: (recordedBody('messages-nonstream-system.pydantic-ai') as { system: string }).system,
        },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    },
    request: { path: PATH, headers: HEADERS, body: recordedBody('messages-nonstream-system.pydantic-ai') },
    response: { fixture: 'anthropic/messages-nonstream-system.pydantic-ai' },
    expect: {
      text: 'The capital of France is Paris.',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 20, outputTokens: 10, totalTokens: 30, ...ZERO_CACHE },
      id: 'msg_01Fg1JVgvCYUHWsxrj9GkpEv',
      model: 'claude-3-opus-20240229',
    },
  },
  {
    id: 'chat-temperature',
    kind: 'chat',
    input: {
      model: 'anthropic/claude-3-5-sonnet-20241022',
      temperature: 0.7,
      maxTokens: 4096,
      messages: [{ role: 'user', content: 'What is 2+2? Reply with just the number.' }],
    },
    request: {
      path: PATH,
      headers: HEADERS,
      body: {
        model: 'claude-3-5-sonnet-20241022',
        temperature: 0.7,
        max_tokens: 4096,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is 2+2? Reply with just the number.' }] }],
      },
    },
    response: { fixture: 'anthropic/messages-nonstream.ace' },
    expect: {
      text: '4',
      finishReason: 'stop',
      usage: { inputTokens: 20, outputTokens: 5, totalTokens: 25 },
      id: 'msg_0122oMjTFi3bXgHa86yu7D5s',
    },
  },
  {
    id: 'tool-calls-parallel',
    kind: 'chat',
    input: {
      model: 'anthropic/claude-haiku-4-5',
      maxTokens: 4096,
      toolChoice: 'auto',
      tools: recordedTools('messages-tool-use-parallel-nonstream.pydantic-ai.0'),
      messages: [
        { role: 'system', content: parallel.system },
        { role: 'user', content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?' },
      ],
    },
    request: { path: PATH, headers: HEADERS, body: recordedBody('messages-tool-use-parallel-nonstream.pydantic-ai.0') },
    response: { fixture: 'anthropic/messages-tool-use-parallel-nonstream.pydantic-ai.0' },
    expect: {
      textStartsWith: "I'll help you find out who is the youngest",
      toolCalls: ['Alice', 'Bob', 'Charlie', 'Daisy'].map((name, i) => ({
        id: [
          'toolu_0167cfEnoQaPviGdVXA95zcu',
          'toolu_01EEe2V5HD1Ac4rKiUR4HD2T',
          'toolu_01XFyAjstT3966qvRynZyVPo',
          'toolu_013mnQZbgtK2oe3Mo3XKJsx3',
        ][i],
        name: 'retrieve_entity_info',
        arguments: { name },
      })),
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 423, outputTokens: 202, totalTokens: 625 },
    },
  },
  {
    id: 'tool-result-round-trip',
    kind: 'chat',
    input: {
      model: 'anthropic/claude-sonnet-4-5',
      maxTokens: 4096,
      toolChoice: 'required',
      tools: recordedTools('messages-tool-use-nonstream.pydantic-ai.1'),
      messages: [
        { role: 'user', content: 'What is the largest city in the user country?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'toolu_01X9wcHKKAZD9tBC711xipPa', name: 'get_user_country', arguments: {} }],
        },
        { role: 'tool', toolCallId: 'toolu_01X9wcHKKAZD9tBC711xipPa', content: 'Mexico' },
      ],
    },
    request: { path: PATH, headers: HEADERS, body: recordedBody('messages-tool-use-nonstream.pydantic-ai.1') },
    response: { fixture: 'anthropic/messages-tool-use-nonstream.pydantic-ai.1' },
    expect: {
      text: '',
      toolCalls: [
        {
          id: 'toolu_01LZABsgreMefH2Go8D5PQbW',
          name: 'final_result',
          arguments: { city: 'Mexico City', country: 'Mexico' },
        },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 497, outputTokens: 56, totalTokens: 553 },
    },
  },
  {
    id: 'stream-text',
    kind: 'stream',
    input: {
      model: 'anthropic/claude-haiku-4-5-20251001',
      maxTokens: 8192,
      temperature: 1,
      messages: [{ role: 'user', content: 'Say just hello' }],
    },
    request: {
      path: PATH,
      headers: HEADERS,
      body: loadFixture('anthropic/messages-stream-text.llm-anthropic').request?.body,
    },
    response: { fixture: 'anthropic/messages-stream-text.llm-anthropic' },
    expect: {
      text: 'Hello',
      finishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14, ...ZERO_CACHE },
    },
  },
  {
    id: 'stream-tool-call',
    kind: 'stream',
    input: {
      model: 'anthropic/claude-sonnet-4-5',
      maxTokens: 1024,
      toolChoice: 'auto',
      tools: weather.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.input_schema })),
      messages: [{ role: 'user', content: 'What is the weather like in San Francisco?' }],
    },
    request: {
      path: PATH,
      headers: HEADERS,
      body: loadFixture('anthropic/messages-stream-tool-use.synthesized').request?.body,
    },
    response: { fixture: 'anthropic/messages-stream-tool-use.synthesized' },
    expect: {
      text: "Okay, let's check the weather for San Francisco, CA:",
      toolCalls: [
        {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          arguments: { location: 'San Francisco, CA', unit: 'fahrenheit' },
        },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 472, outputTokens: 89, totalTokens: 561 },
    },
  },
  {
    id: 'stream-thinking-cache',
    kind: 'stream',
    input: {
      model: 'anthropic/claude-sonnet-4-5',
      maxTokens: 20000,
      reasoning: { budgetTokens: 16000 },
      messages: [{ role: 'user', content: 'What is the greatest common divisor of 1071 and 462?' }],
    },
    request: {
      path: PATH,
      headers: HEADERS,
      body: loadFixture('anthropic/messages-stream-thinking.synthesized').request?.body,
    },
    response: { fixture: 'anthropic/messages-stream-thinking.synthesized' },
    expect: {
      text: 'The greatest common divisor of 1071 and 462 is **21**.',
      reasoningStartsWith: 'I need to find the GCD of 1071 and 462',
      finishReason: 'stop',
      usage: { inputTokens: 1060, outputTokens: 184, totalTokens: 1244, cacheReadTokens: 1024, cacheWriteTokens: 0 },
    },
  },
  {
    id: 'models-list',
    kind: 'models',
    input: {},
    request: { method: 'GET', path: '/v1/models?limit=1000', headers: { 'anthropic-version': '2023-06-01' } },
    response: { fixture: 'anthropic/models-list.synthesized' },
    expect: {
      models: {
        count: 2,
        includes: [{ id: 'claude-sonnet-4-5-20250929', provider: 'anthropic', name: 'Claude Sonnet 4.5' }],
      },
    },
  },
  {
    id: 'stream-error-event-under-200',
    kind: 'error',
    input: {
      model: 'anthropic/claude-sonnet-4-5',
      maxTokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: 'Hello' }],
    },
    request: { path: PATH, body: { stream: true } },
    response: { fixture: 'anthropic/messages-stream-error-overloaded.synthesized' },
    expect: { error: { kind: 'provider', retryable: true, messageContains: 'Overloaded' } },
  },
  ...(
    [
      [
        'error-401',
        'error-401-authentication.ace',
        {
          kind: 'authentication',
          status: 401,
          retryable: false,
          requestId: 'req_011CQNDj717xsZRLkp5RxHWt',
          code: 'authentication_error',
          messageContains: 'invalid x-api-key',
        },
      ],
      [
        'error-400-invalid-request',
        'error-400-invalid-request.pydantic-ai',
        {
          kind: 'invalid-request',
          status: 400,
          retryable: false,
          requestId: 'req_011Ca7jT9AHpgXgdv8igm4z9',
          code: 'invalid_request_error',
        },
      ],
      [
        'error-400-context-length',
        'error-400-context-length.synthesized',
        { kind: 'context-length-exceeded', status: 400, retryable: false, messageContains: 'prompt is too long' },
      ],
      [
        'error-404',
        'error-404-not-found.synthesized',
        { kind: 'not-found', status: 404, retryable: false, requestId: 'req_011CSynth404NotFound' },
      ],
      [
        'error-429',
        'error-429-rate-limit.synthesized',
        {
          kind: 'rate-limit',
          status: 429,
          retryable: true,
          retryAfterMs: 13000,
          requestId: 'req_011CSynth429RateLimit',
        },
      ],
      [
        'error-529-overloaded',
        'error-529-overloaded.synthesized',
        { kind: 'provider', status: 529, retryable: true, code: 'overloaded_error' },
      ],
    ] as const
  ).map(
    ([id, fixture, error]): ContractCaseSpec => ({
      id,
      kind: 'error',
      input: { model: 'anthropic/claude-sonnet-4-5', maxTokens: 1024, messages: [{ role: 'user', content: 'Hello' }] },
      request: { path: PATH, headers: HEADERS, body: { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: false } },
      response: { fixture: `anthropic/${fixture}` },
      expect: { error },
    }),
  ),
];

let mock: MockServer;
beforeAll(() => {
  mock = startMockServer();
});
afterAll(() => mock.close());

describe('anthropic contract', () => {
  for (const spec of cases) {
    const apiKey = `sk-ant-test-${spec.id}-0123456789abcdef`;
    let outcome: Promise<CaseOutcome> | undefined;
    const run = () => {
      outcome ??= runCase(mock, provider, spec, { apiKey });
      return outcome;
    };
    it(`${spec.id}:Request`, async () => {
      const result = await run();
      checkRequest(result, spec, provider.descriptor, apiKey);
      expect(result.request?.headers['x-api-key']).toBe('[REDACTED]');
    });
    it(`${spec.id}:Response`, async () => {
      checkResult(await run(), spec, apiKey);
    });
  }
});
