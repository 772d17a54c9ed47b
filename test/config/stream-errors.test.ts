/**
 * Errors a provider sends inside a 200 stream, through `createSwitchboard` against a real local HTTP
 * server (issue 9, item 7): each maps to the kind (and retryability) the same error gets over HTTP,
 * through the generated provider's catalog rules.
 */
import type { ServerResponse } from 'node:http';
import { createSwitchboard } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createGemini } from '@switchboard/provider-gemini';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startServer } from '../support/local-server.js';

const HI = [{ role: 'user' as const, content: 'Hi' }];

let body = '';
let server: LocalServer;
beforeAll(async () => {
  server = await startServer((_request, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(body);
  });
});
afterAll(() => server.close());

const switchboard = () => {
  const origin = `http://127.0.0.1:${server.port}`;
  return createSwitchboard({
    providers: [
      createOpenAI({ apiKey: 'sk-test-stream-errors', baseURL: `${origin}/v1` }),
      createGroq({ apiKey: 'gsk_test_stream_errors_0123456789', baseURL: `${origin}/openai/v1` }),
      createAnthropic({ apiKey: 'sk-ant-test-stream-errors', baseURL: origin }),
      createGemini({ apiKey: 'AIzaSyTest-stream-errors-0123456789abcd', baseURL: `${origin}/v1beta` }),
    ] as const,
    env: {},
    retry: false,
  });
};

type Model =
  | 'openai/gpt-4o'
  | 'groq/llama-3.3-70b-versatile'
  | 'anthropic/claude-sonnet-4-5'
  | 'gemini/gemini-2.5-flash';

/** Streams `model` against the current body; returns the text received and the error the stream ended with. */
async function streamError(model: Model) {
  const stream = switchboard().stream({ model, messages: HI });
  let text = '';
  let thrown: unknown;
  try {
    for await (const event of stream) if (event.type === 'text-delta') text += event.text;
  } catch (error) {
    thrown = error;
  }
  const rejected = await stream.response.then(
    () => undefined,
    (error: unknown) => error,
  );
  return {
    text,
    error: (thrown ?? rejected) as { kind?: string; retryable?: boolean; code?: string; status?: number },
  };
}

const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const openaiDelta = (content: string) =>
  sse({
    id: 'c1',
    object: 'chat.completion.chunk',
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

describe('in-stream errors map like HTTP errors', () => {
  it("Groq's tool-call validation failure inside a stream is invalid-request, not retried", async () => {
    body = sse({
      error: {
        message:
          "Tool call validation failed: tool call validation failed: parameters for tool get_something_by_name did not match schema: errors: [missing properties: 'name']",
        type: 'invalid_request_error',
        code: 'tool_use_failed',
      },
    });
    const { error } = await streamError('groq/llama-3.3-70b-versatile');
    expect(error).toMatchObject({ kind: 'invalid-request', retryable: false, code: 'tool_use_failed' });
  });

  it('an OpenAI error chunk after some text keeps the text and takes the kind of its type', async () => {
    body =
      openaiDelta('Hel') +
      sse({ error: { message: 'Rate limit reached for gpt-4o', type: 'tokens', code: 'rate_limit_exceeded' } });
    const { text, error } = await streamError('openai/gpt-4o');
    expect(text).toBe('Hel');
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429 });
  });

  it("Anthropic's overloaded_error event is a retryable provider error", async () => {
    body = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
    const { error } = await streamError('anthropic/claude-sonnet-4-5');
    expect(error).toMatchObject({ kind: 'provider', retryable: true, code: 'overloaded_error', status: 529 });
  });

  it("Anthropic's rate_limit_error event is a retryable rate-limit", async () => {
    body = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } })}\n\n`;
    const { error } = await streamError('anthropic/claude-sonnet-4-5');
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429 });
  });

  it("Anthropic's invalid_request_error event is invalid-request", async () => {
    body = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: text content blocks must be non-empty' } })}\n\n`;
    const { error } = await streamError('anthropic/claude-sonnet-4-5');
    expect(error).toMatchObject({ kind: 'invalid-request', retryable: false });
  });

  it('a Gemini error object naming RESOURCE_EXHAUSTED is a retryable rate-limit', async () => {
    body = sse({ error: { message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } });
    const { error } = await streamError('gemini/gemini-2.5-flash');
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429 });
  });
});
