/**
 * Errors a provider sends inside a 200 stream map to kinds by their code and type exactly as the
 * same error does over HTTP (issue 9, item 7): the status the code stands for runs through the
 * catalog's `errors` rules, then the protocol's mapping, then the status defaults.
 */
import { describe, expect, it } from 'vitest';
import { decodeInChunks, errorsOf, sseBody, streamContext } from '../runtime/test-support/stream-decoding.js';
import type { ErrorRuleSpec, ProtocolId } from '../types/catalog.js';
import type { CallContext } from '../types/protocol.js';
import type { ProtocolAdapter } from './adapter.js';
import { anthropicMessagesAdapter } from './anthropic-messages/index.js';
import { geminiAdapter } from './gemini/index.js';
import { openaiChatAdapter } from './openai-chat/index.js';

/** A context whose descriptor carries `rules`, as a generated provider's would. */
function contextWith(protocol: ProtocolId, rules?: ErrorRuleSpec[]): CallContext {
  const ctx = streamContext(protocol);
  return rules === undefined ? ctx : { ...ctx, descriptor: { ...ctx.descriptor, errors: rules } };
}

function firstError(adapter: ProtocolAdapter, ctx: CallContext, body: string) {
  const errors = errorsOf(decodeInChunks(adapter.streamDecoder(ctx), body, 1_000_000));
  expect(errors.length).toBeGreaterThan(0);
  return errors[0];
}

/** Groq's real tool-call validation failure (pydantic-ai cassette test_tool_use_failed_error), sent in a stream. */
const TOOL_USE_FAILED = {
  error: {
    message:
      "Tool call validation failed: tool call validation failed: parameters for tool get_something_by_name did not match schema: errors: [missing properties: 'name', additionalProperties 'foo' not allowed]",
    type: 'invalid_request_error',
    code: 'tool_use_failed',
    failed_generation: '{"name": "get_something_by_name", "arguments": {"foo": "bar"}}',
  },
};

describe('openai-chat: an error object in a chunk', () => {
  const openaiRules: ErrorRuleSpec[] = [
    { status: 400, match: 'context_length_exceeded', kind: 'context-length-exceeded', retryable: false },
    { status: 429, match: 'insufficient_quota', kind: 'quota-exceeded', retryable: false },
    { status: 429, kind: 'rate-limit', retryable: true },
    { status: 400, kind: 'invalid-request', retryable: false },
    { status: 500, kind: 'provider', retryable: true },
  ];

  it('a tool-call validation failure (invalid_request_error / tool_use_failed) is invalid-request', () => {
    const error = firstError(openaiChatAdapter, contextWith('openai-chat'), sseBody([TOOL_USE_FAILED]));
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400, code: 'tool_use_failed', retryable: false });
    expect(error?.message).toContain('Tool call validation failed');
  });

  it.each([
    [{ type: 'invalid_request_error', code: 'invalid_value', message: 'bad' }, 'invalid-request', 400],
    [{ type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached' }, 'rate-limit', 429],
    [{ type: 'insufficient_quota', code: 'insufficient_quota', message: 'quota' }, 'quota-exceeded', 429],
    [{ type: 'server_error', code: null, message: 'The server had an error' }, 'provider', 500],
    [
      { type: 'invalid_request_error', code: 'context_length_exceeded', message: 'too long' },
      'context-length-exceeded',
      400,
    ],
    [{ type: 'authentication_error', code: 'invalid_api_key', message: 'Incorrect API key' }, 'authentication', 401],
  ])('%j runs the catalog rules like its HTTP status', (body, kind, status) => {
    const error = firstError(openaiChatAdapter, contextWith('openai-chat', openaiRules), sseBody([{ error: body }]));
    expect(error).toMatchObject({ kind, status });
  });

  it('the catalog rule decides retryability as for the HTTP error', () => {
    const body = sseBody([{ error: { type: 'server_error', message: 'The server had an error' } }]);
    expect(firstError(openaiChatAdapter, contextWith('openai-chat', openaiRules), body)?.retryable).toBe(true);
  });

  it('`event: error` carries the same mapping', () => {
    const body = `event: error\ndata: ${JSON.stringify(TOOL_USE_FAILED)}\n\n`;
    expect(firstError(openaiChatAdapter, contextWith('openai-chat'), body)?.kind).toBe('invalid-request');
  });

  it('an error whose code means nothing known stays a provider error', () => {
    const body = sseBody([{ error: { message: 'something odd', type: 'weird_error' } }]);
    expect(firstError(openaiChatAdapter, contextWith('openai-chat'), body)).toMatchObject({
      kind: 'provider',
      status: undefined,
    });
  });
});

describe('anthropic-messages: `event: error`', () => {
  const anthropicEvent = (type: string, message: string) =>
    `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
  const anthropicRules: ErrorRuleSpec[] = [
    { status: 529, match: 'overloaded_error', kind: 'provider', retryable: true },
    { status: 429, kind: 'rate-limit', retryable: true },
    { status: 400, match: 'invalid_request_error', kind: 'invalid-request', retryable: false },
  ];

  it('overloaded_error is a retryable provider error with the 529 it stands for', () => {
    const error = firstError(
      anthropicMessagesAdapter,
      contextWith('anthropic-messages', anthropicRules),
      anthropicEvent('overloaded_error', 'Overloaded'),
    );
    expect(error).toMatchObject({ kind: 'provider', retryable: true, status: 529, code: 'overloaded_error' });
  });

  it('rate_limit_error is a retryable rate-limit', () => {
    const error = firstError(
      anthropicMessagesAdapter,
      contextWith('anthropic-messages', anthropicRules),
      anthropicEvent('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
    );
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429 });
  });

  it('a catalog rule on the status applies in the stream as over HTTP', () => {
    const rules: ErrorRuleSpec[] = [{ status: 500, kind: 'unsupported-capability', retryable: false }];
    const error = firstError(
      anthropicMessagesAdapter,
      contextWith('anthropic-messages', rules),
      anthropicEvent('api_error', 'Internal server error'),
    );
    expect(error).toMatchObject({ kind: 'unsupported-capability', retryable: false, status: 500 });
  });
});

describe('gemini: an error object in a chunk', () => {
  it('a status name without a numeric code maps through the status it stands for', () => {
    const rules: ErrorRuleSpec[] = [{ status: 429, match: 'RESOURCE_EXHAUSTED', kind: 'rate-limit', retryable: true }];
    const body = sseBody([{ error: { message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }]);
    expect(firstError(geminiAdapter, contextWith('gemini', rules), body)).toMatchObject({
      kind: 'rate-limit',
      status: 429,
      retryable: true,
    });
  });

  it('a numeric code decides as the HTTP status does (503 UNAVAILABLE is a provider error)', () => {
    const body = sseBody([{ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }]);
    expect(firstError(geminiAdapter, contextWith('gemini'), body)).toMatchObject({ kind: 'provider', status: 503 });
  });

  it('INVALID_ARGUMENT without a code is invalid-request with status 400', () => {
    const body = sseBody([{ error: { message: 'Invalid JSON payload', status: 'INVALID_ARGUMENT' } }]);
    expect(firstError(geminiAdapter, contextWith('gemini'), body)).toMatchObject({
      kind: 'invalid-request',
      status: 400,
    });
  });
});
