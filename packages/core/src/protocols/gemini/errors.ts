/**
 * Gemini error bodies: `{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED","details":[...]}}`
 * with google.rpc details (ErrorInfo.reason, RetryInfo.retryDelay).
 * https://ai.google.dev/gemini-api/docs/troubleshooting
 */

import { createError, type SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { createProviderError } from '../shared/errors.js';
import { asArray, asNumber, asRecord, asString, parseJsonSafe } from '../shared/json.js';

/** `"34.4s"` (protobuf Duration JSON) -> 34400. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

const CONTEXT_LENGTH =
  /input token count|exceeds the maximum number of tokens|too many tokens|context (?:window|length)/i;
const AUTH_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'ACCESS_TOKEN_EXPIRED', 'CREDENTIALS_MISSING']);

/** The kind the google.rpc status (and ErrorInfo reason) names; undefined leaves it to the HTTP status. */
function kindFor(status: string | undefined, reason: string | undefined, message: string): ErrorKind | undefined {
  if (reason !== undefined && AUTH_REASONS.has(reason)) return 'authentication';
  switch (status) {
    case 'UNAUTHENTICATED':
      return 'authentication';
    case 'PERMISSION_DENIED':
      return 'permission';
    case 'NOT_FOUND':
      return 'not-found';
    case 'RESOURCE_EXHAUSTED':
      return 'rate-limit';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
      return CONTEXT_LENGTH.test(message) ? 'context-length-exceeded' : 'invalid-request';
    case 'INTERNAL':
    case 'UNAVAILABLE':
    case 'UNKNOWN':
      return 'provider';
  }
  return CONTEXT_LENGTH.test(message) ? 'context-length-exceeded' : undefined;
}

/**
 * The HTTP status Google APIs send with each google.rpc status (google/rpc/code.proto), for an error
 * object inside a 200 stream that names its status but not its numeric `code`.
 */
const STATUS_OF_RPC: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/**
 * Builds the core error for a Gemini error body. `status` is undefined for an error inside a 200
 * stream: the body's numeric `code`, else the status its google.rpc status stands for, is used (and
 * reported) instead, so catalog rules and status defaults decide as they do for the HTTP error.
 */
export function toGeminiError(
  ctx: CallContext,
  status: number | undefined,
  headers: Headers | undefined,
  bodyText: string,
): SwitchboardError {
  const parsed = parseJsonSafe(bodyText);
  // Some proxies wrap the error in a one-element array.
  const body = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = asRecord(asRecord(body).error);
  const details = asArray(error.details).map(asRecord);
  const reason = asString(details.find((d) => asString(d['@type'])?.endsWith('google.rpc.ErrorInfo'))?.reason);
  const retryDelay = asString(details.find((d) => asString(d['@type'])?.endsWith('google.rpc.RetryInfo'))?.retryDelay);
  const message = asString(error.message);
  const rpcStatus = asString(error.status);
  const built = createProviderError(ctx, {
    status: status ?? asNumber(error.code) ?? (rpcStatus === undefined ? undefined : STATUS_OF_RPC[rpcStatus]),
    headers,
    bodyText,
    body,
    message,
    code: reason ?? rpcStatus,
    kind: kindFor(rpcStatus, reason, message ?? ''),
  });
  // RetryInfo.retryDelay is Gemini's retry-after; it wins over headers.
  const retryAfterMs = parseDuration(retryDelay);
  if (retryAfterMs === undefined) return built;
  return createError(built.kind, built.message, {
    provider: built.provider,
    model: built.model,
    status: built.status,
    requestId: built.requestId,
    retryable: built.retryable,
    retryAfterMs,
    code: built.code,
    body: built.body,
  });
}
