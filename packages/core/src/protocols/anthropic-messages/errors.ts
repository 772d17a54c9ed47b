/**
 * Anthropic error bodies: `{"type":"error","error":{"type":"rate_limit_error","message":"..."},"request_id":"req_..."}`.
 * https://docs.anthropic.com/en/api/errors
 */

import { createError, type SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { createProviderError } from '../shared/errors.js';
import { asRecord, asString, parseJsonSafe } from '../shared/json.js';

const CONTEXT_LENGTH = /prompt is too long|context window|too many tokens|exceeds? the (?:maximum )?context/i;

/** The kind Anthropic's `error.type` names; undefined leaves it to the status default. */
function kindFor(type: string | undefined, message: string): ErrorKind | undefined {
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
    case 'invalid_request_error':
      if (CONTEXT_LENGTH.test(message)) return 'context-length-exceeded';
      if (/credit balance is too low/i.test(message)) return 'quota-exceeded';
      return 'invalid-request';
  }
  return undefined;
}

/**
 * The HTTP status Anthropic sends with each `error.type` (https://docs.anthropic.com/en/api/errors).
 * An `event: error` inside a 200 stream carries only the body; the status its type stands for lets
 * the catalog's `errors` rules and the status defaults decide as they do for the HTTP error.
 */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * Builds the core error for an Anthropic error body. `status` is undefined for an `event: error` sent
 * inside a 200 stream: the status its type stands for is used (and reported) instead. Catalog rules win over the built-in mapping; `x-should-retry` decides
 * retryability when present; `overloaded_error` (529) is retryable.
 */
export function toAnthropicError(
  ctx: CallContext,
  status: number | undefined,
  headers: Headers | undefined,
  bodyText: string,
): SwitchboardError {
  const body = parseJsonSafe(bodyText);
  const error = asRecord(asRecord(body).error);
  const type = asString(error.type);
  const message = asString(error.message);
  const effectiveStatus = status ?? (type === undefined ? undefined : STATUS_OF_TYPE[type]);
  const kind = kindFor(type, message ?? '') ?? (effectiveStatus === 529 ? 'provider' : undefined);
  const built = createProviderError(ctx, {
    status: effectiveStatus,
    headers,
    bodyText,
    body,
    message,
    code: type,
    kind,
    retryable: type === 'overloaded_error' || effectiveStatus === 529 ? true : undefined,
  });
  // The body repeats the request id; recorders often strip the header.
  const bodyRequestId = asString(asRecord(body).request_id);
  if (built.requestId !== undefined || bodyRequestId === undefined) return built;
  return createError(built.kind, built.message, {
    provider: built.provider,
    model: built.model,
    status: built.status,
    requestId: bodyRequestId,
    retryable: built.retryable,
    retryAfterMs: built.retryAfterMs,
    code: built.code,
    body: built.body,
  });
}
