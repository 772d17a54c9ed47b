/**
 * Errors in OpenAI's shape: `{ error: { message, type, param, code } }` with the status OpenAI would
 * use, so the official SDKs raise their usual classes (`BadRequestError`, `RateLimitError`, ...).
 * Core's error kinds map to statuses here; a request field path from core's validation
 * (`messages[0].content[1].image`) is translated back to the OpenAI field name where it is simple.
 */
import { StructuredOutputError, SwitchboardError } from '@switchboard/core';
import { GatewayError } from '../gateway-error.js';

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

const BY_KIND: Record<string, { status: number; type: string; code: string | null }> = {
  'invalid-request': { status: 400, type: 'invalid_request_error', code: null },
  'unsupported-capability': { status: 400, type: 'invalid_request_error', code: 'unsupported_capability' },
  'context-length-exceeded': { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded' },
  'content-filter': { status: 400, type: 'invalid_request_error', code: 'content_filter' },
  authentication: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
  permission: { status: 403, type: 'permission_error', code: null },
  'not-found': { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
  'rate-limit': { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  'quota-exceeded': { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' },
  timeout: { status: 504, type: 'timeout_error', code: 'upstream_timeout' },
  network: { status: 502, type: 'api_error', code: 'upstream_unreachable' },
  provider: { status: 502, type: 'api_error', code: 'upstream_error' },
  'invalid-response': { status: 502, type: 'api_error', code: 'invalid_upstream_response' },
  configuration: { status: 503, type: 'api_error', code: 'provider_not_configured' },
  aborted: { status: 499, type: 'api_error', code: 'client_closed_request' },
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
  if (error instanceof SwitchboardError || isKindError(error)) {
    const failure = error as SwitchboardError & { field?: string; details?: unknown };
    const mapped = BY_KIND[failure.kind] ?? { status: 500, type: 'api_error', code: null };
    // A budget refusal is core's rate-limit-like `quota-exceeded`: keep 429 with the reason.
    if (failure.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000)));
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

function isKindError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string';
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
