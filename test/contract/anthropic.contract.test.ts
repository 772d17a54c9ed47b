/**
 * Anthropic contract edge cases; the main cases (chat, stream, tool calls, models, errors) are the
 * `tests:` of catalog/providers/anthropic.yaml, run by catalog-cases.test.ts. Recorded exchanges (and
 * docs-synthesized ones where nothing was recorded) replayed by @switchboard/testing's engine, run through `createSwitchboard` on both transports
 * (undici and fetch, named in each test; else straight through the adapter), checking the request sent and the normalized result.
 */

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

const cases: ContractCaseSpec[] = [
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
        'error-400-context-length',
        'error-400-context-length.synthesized',
        { kind: 'context-length-exceeded', status: 400, retryable: false, messageContains: 'prompt is too long' },
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
    for (const transport of TRANSPORTS) {
      const apiKey = `sk-ant-test-${spec.id}-0123456789abcdef`;
      let outcome: Promise<CaseOutcome> | undefined;
      const run = () => {
        outcome ??= runCase(mock, provider, spec, { apiKey, transport });
        return outcome;
      };
      it(`${spec.id}:Request [${transport}]`, async () => {
        const result = await run();
        checkRequest(result, spec, provider.descriptor, apiKey);
        expect(result.request?.headers['x-api-key']).toBe('[REDACTED]');
      });
      it(`${spec.id}:Response [${transport}]`, async () => {
        checkResult(await run(), spec, apiKey);
      });
    }
  }
});
