/**
 * Errors in Anthropic's shape: `{ type: 'error', error: { type, message } }` with the status
 * Anthropic would use, so the official SDK raises its usual classes (`BadRequestError`,
 * `NotFoundError`, `RateLimitError`, ...). Core's error kinds map to statuses here; the gateway's
 * own refusals (a bad key, a closed door) keep the status they were raised with. A stream that
 * already sent its headers reports the same body as an `event: error`.
 */

import { SwitchboardError } from '@switchboard/core';
import { hasErrorKind, setRetryAfter, statusForKind } from '../http/error-status.js';

/** Anthropic's error types (the `error.type` field). */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** Anthropic's error body. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

/** A rendered error: status, body and extra headers. */
export interface RenderedAnthropicError {
  status: number;
  body: AnthropicErrorBody;
  headers: Record<string, string>;
}

/** A request the Anthropic translation refuses, naming the field at fault (`messages.0.content.1.source`). */
export class AnthropicRequestError extends Error {
  override name = 'AnthropicRequestError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** Anthropic's error `type` per core error kind (the status comes from `STATUS_BY_KIND`). */
const TYPE_BY_KIND: Record<string, AnthropicErrorType> = {
  'invalid-request': 'invalid_request_error',
  'unsupported-capability': 'invalid_request_error',
  'context-length-exceeded': 'invalid_request_error',
  'content-filter': 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  'not-found': 'not_found_error',
  'rate-limit': 'rate_limit_error',
  'quota-exceeded': 'rate_limit_error',
};

/** Renders any thrown value as an Anthropic error. */
export function renderAnthropicError(error: unknown): RenderedAnthropicError {
  const headers: Record<string, string> = {};
  if (error instanceof AnthropicRequestError) return rendered(400, 'invalid_request_error', error.message, headers);
  if (error instanceof SwitchboardError || hasErrorKind(error)) {
    const failure = error as SwitchboardError;
    const mapped = { status: statusForKind(failure.kind), type: TYPE_BY_KIND[failure.kind] ?? 'api_error' };
    setRetryAfter(headers, failure.retryAfterMs);
    // An overloaded upstream (Anthropic's 529, anyone's 503) stays "overloaded" for the client's backoff.
    if (failure.kind === 'provider' && (failure.status === 529 || failure.status === 503)) {
      return rendered(529, 'overloaded_error', failure.message, headers);
    }
    return rendered(mapped.status, mapped.type, failure.message, headers);
  }
  // The gateway's own refusals (GatewayError from the keys module and the server) carry their status.
  const raised = error as {
    name?: string;
    status?: unknown;
    message?: string;
    details?: { retryAfterSeconds?: number };
  };
  if (raised?.name === 'GatewayError' && typeof raised.status === 'number') {
    if (raised.details?.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(raised.details.retryAfterSeconds);
    return rendered(raised.status, typeForStatus(raised.status), raised.message ?? 'Refused', headers);
  }
  // fastify's own refusals: a body over the limit (413), bad JSON (400), wrong content type (415).
  const refusal = error as { statusCode?: unknown; message?: string };
  if (typeof refusal?.statusCode === 'number' && refusal.statusCode >= 400 && refusal.statusCode < 500) {
    return rendered(refusal.statusCode, typeForStatus(refusal.statusCode), refusal.message ?? 'Bad request', headers);
  }
  return rendered(500, 'api_error', 'Internal gateway error', headers);
}

function rendered(
  status: number,
  type: AnthropicErrorType,
  message: string,
  headers: Record<string, string>,
): RenderedAnthropicError {
  return { status, headers, body: { type: 'error', error: { type, message } } };
}

function typeForStatus(status: number): AnthropicErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}
