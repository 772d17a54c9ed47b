/**
 * Errors in OpenAI's shape: `{ error: { message, type, param, code } }` with the status OpenAI would
 * use, so the official SDKs raise their usual classes (`BadRequestError`, `RateLimitError`, ...).
 * Core's error kinds map to statuses here; a request field path from core's validation
 * (`messages[0].content[1].image`) is translated back to the OpenAI field name where it is simple.
 */

import { StructuredOutputError, SwitchboardError } from '@switchboard/core';
import { GatewayError } from '../gateway-error.js';
import { hasErrorKind, setRetryAfter, statusForKind } from '../http/error-status.js';

/** OpenAI's error body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** A rendered error: status, body and extra headers. */
export interface RenderedError {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** OpenAI's error `type` and `code` per core error kind (the status comes from `STATUS_BY_KIND`). */
const BY_KIND: Record<string, { type: string; code: string | null }> = {
  'invalid-request': { type: 'invalid_request_error', code: null },
  'unsupported-capability': { type: 'invalid_request_error', code: 'unsupported_capability' },
  'context-length-exceeded': { type: 'invalid_request_error', code: 'context_length_exceeded' },
  'content-filter': { type: 'invalid_request_error', code: 'content_filter' },
  authentication: { type: 'authentication_error', code: 'invalid_api_key' },
  permission: { type: 'permission_error', code: null },
  'not-found': { type: 'invalid_request_error', code: 'model_not_found' },
  'rate-limit': { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  'quota-exceeded': { type: 'insufficient_quota', code: 'insufficient_quota' },
  timeout: { type: 'timeout_error', code: 'upstream_timeout' },
  network: { type: 'api_error', code: 'upstream_unreachable' },
  provider: { type: 'api_error', code: 'upstream_error' },
  'invalid-response': { type: 'api_error', code: 'invalid_upstream_response' },
  configuration: { type: 'api_error', code: 'provider_not_configured' },
  aborted: { type: 'api_error', code: 'client_closed_request' },
};

/** Renders any thrown value as an OpenAI error. */
export function renderOpenAIError(error: unknown): RenderedError {
  const headers: Record<string, string> = {};
  if (error instanceof GatewayError) {
    if (error.details.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.details.retryAfterSeconds);
    return {
      status: error.status,
      headers,
      body: {
        error: {
          message: error.message,
          type: error.details.type ?? typeForStatus(error.status),
          param: error.details.param ?? null,
          code: error.details.code ?? null,
        },
      },
    };
  }
  if (error instanceof StructuredOutputError) {
    // The model's answer is not the JSON `response_format` asked for: the upstream's fault, not the request's.
    return {
      status: 502,
      headers,
      body: {
        error: {
          message: error.message,
          type: 'api_error',
          param: 'response_format',
          code: 'invalid_structured_output',
        },
      },
    };
  }
  if (error instanceof SwitchboardError || hasErrorKind(error)) {
    const failure = error as SwitchboardError & { field?: string; details?: unknown };
    const mapped = {
      status: statusForKind(failure.kind),
      ...(BY_KIND[failure.kind] ?? { type: 'api_error', code: null }),
    };
    // A budget refusal is core's rate-limit-like `quota-exceeded`: keep 429 with the reason.
    setRetryAfter(headers, failure.retryAfterMs);
    const param = typeof failure.field === 'string' ? openAIFieldName(failure.field) : null;
    return {
      status: mapped.status,
      headers,
      body: {
        error: {
          message: param === null ? failure.message : failure.message.replace(failure.field as string, param),
          type: mapped.type,
          param,
          code: mapped.code,
        },
      },
    };
  }
  const validation = error as { validation?: unknown; statusCode?: number; message?: string; code?: string };
  if (typeof validation?.statusCode === 'number' && validation.statusCode < 500) {
    // fastify's own refusals: a body over the limit (413), bad JSON (400), wrong content type (415).
    return {
      status: validation.statusCode,
      headers,
      body: {
        error: {
          message: validation.message ?? 'Bad request',
          type: 'invalid_request_error',
          param: null,
          code: validation.code ?? null,
        },
      },
    };
  }
  return {
    status: 500,
    headers,
    body: { error: { message: 'Internal gateway error', type: 'api_error', param: null, code: 'internal_error' } },
  };
}

function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/**
 * Core's field path in OpenAI's words: `maxTokens` -> `max_tokens`, `toolChoice` -> `tool_choice`,
 * `messages[0].toolCalls[1]` -> `messages[0].tool_calls[1]`, a tool's `parameters` ->
 * `tools[0].function.parameters`.
 */
export function openAIFieldName(field: string): string {
  return field
    .replace(/^tools\[(\d+)\]\.(name|description|parameters)/, 'tools[$1].function.$2')
    .replace(/\.image\b/, '.image_url.url')
    .replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
