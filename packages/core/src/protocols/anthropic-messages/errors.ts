/**
 * Anthropic error bodies: `{"type":"error","error":{"type":"rate_limit_error","message":"..."},"request_id":"req_..."}`.
 * https://docs.anthropic.com/en/api/errors
 */
import type { ErrorKind } from '../../catalog/types.js';
import { createError, type SwitchboardError } from '../../runtime/errors.js';
import type { CallContext } from '../types.js';
import { matchErrorRule, retryAfterFromHeaders, safeJson } from './error-helpers.js';

interface ErrorBody {
  type?: string;
  error?: { type?: string; message?: string };
  request_id?: string;
}

const CONTEXT_LENGTH = /prompt is too long|context window|too many tokens|exceeds? the (?:maximum )?context/i;

function kindFor(type: string | undefined, status: number | undefined, message: string): ErrorKind {
  switch (type) {
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
      return 'permission';
    case 'not_found_error':
      return 'not-found';
    case 'rate_limit_error':
      return 'rate-limit';
    case 'billing_error':
      return 'quota-exceeded';
    case 'overloaded_error':
    case 'api_error':
      return 'provider';
    case 'timeout_error':
      return 'timeout';
    case 'request_too_large':
      return CONTEXT_LENGTH.test(message) ? 'context-length-exceeded' : 'invalid-request';
    case 'invalid_request_error':
      if (CONTEXT_LENGTH.test(message)) return 'context-length-exceeded';
      if (/credit balance is too low/i.test(message)) return 'quota-exceeded';
      return 'invalid-request';
  }
  if (status === undefined) return 'provider';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limit';
  if (status === 413 || (status >= 400 && status < 500)) return 'invalid-request';
  return 'provider';
}

/**
 * Builds the core error for an Anthropic error body. `status` is undefined for an `event: error` sent
 * inside a 200 stream. Descriptor rules win over the built-in mapping; `x-should-retry` wins over both
 * for retryability.
 */
export function toAnthropicError(
  ctx: CallContext,
  status: number | undefined,
  headers: Headers | undefined,
  bodyText: string,
): SwitchboardError {
  const parsed = safeJson(bodyText) as ErrorBody | undefined;
  const type = parsed?.error?.type;
  const message = parsed?.error?.message ?? (bodyText.trim() || `HTTP ${status ?? 'stream'} error`);
  const rule = matchErrorRule(ctx, status, bodyText);
  const kind = rule?.kind ?? kindFor(type, status, message);
  let retryable = rule?.retryable;
  const shouldRetry = headers?.get('x-should-retry');
  if (shouldRetry === 'true') retryable = true;
  else if (shouldRetry === 'false') retryable = false;
  else if (retryable === undefined && type === 'overloaded_error') retryable = true;
  const requestId = headers?.get('request-id') ?? parsed?.request_id ?? undefined;
  const retryAfterMs = headers === undefined ? undefined : retryAfterFromHeaders(headers);
  return createError(kind, message, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status,
    requestId,
    retryable,
    retryAfterMs,
    code: type,
    body: parsed ?? (bodyText === '' ? undefined : bodyText),
  });
}
