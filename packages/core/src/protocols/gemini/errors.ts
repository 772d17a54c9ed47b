/**
 * Gemini error bodies: `{"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED","details":[...]}}`
 * with google.rpc details (ErrorInfo.reason, RetryInfo.retryDelay). https://ai.google.dev/gemini-api/docs/troubleshooting
 */
import type { ErrorKind } from '../../catalog/types.js';
import { createError, type SwitchboardError } from '../../runtime/errors.js';
import { matchErrorRule, retryAfterFromHeaders, safeJson } from '../anthropic-messages/error-helpers.js';
import type { CallContext } from '../types.js';

interface GoogleErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { '@type'?: string; reason?: string; retryDelay?: string }[];
  };
}

/** `"34.4s"` (protobuf Duration JSON) -> 34400. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

const CONTEXT_LENGTH =
  /input token count|exceeds the maximum number of tokens|too many tokens|context (?:window|length)/i;
const AUTH_REASONS = new Set(['API_KEY_INVALID', 'API_KEY_EXPIRED', 'ACCESS_TOKEN_EXPIRED', 'CREDENTIALS_MISSING']);

function kindFor(
  status: string | undefined,
  code: number | undefined,
  reason: string | undefined,
  message: string,
): ErrorKind {
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
  if (code === undefined) return 'provider';
  if (code === 401) return 'authentication';
  if (code === 403) return 'permission';
  if (code === 404) return 'not-found';
  if (code === 429) return 'rate-limit';
  if (code === 408 || code === 504) return 'timeout';
  if (code >= 400 && code < 500) return CONTEXT_LENGTH.test(message) ? 'context-length-exceeded' : 'invalid-request';
  return 'provider';
}

/** Builds the core error for a Gemini error body; `status` is undefined for an error inside a 200 stream. */
export function toGeminiError(
  ctx: CallContext,
  status: number | undefined,
  headers: Headers | undefined,
  bodyText: string,
): SwitchboardError {
  const parsed = safeJson(bodyText);
  // Some proxies wrap the error in a one-element array.
  const body = (Array.isArray(parsed) ? parsed[0] : parsed) as GoogleErrorBody | undefined;
  const error = body?.error;
  const details = error?.details ?? [];
  const reason = details.find((d) => d['@type']?.endsWith('google.rpc.ErrorInfo'))?.reason;
  const retryDelay = details.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const message = error?.message ?? (bodyText.trim() || `HTTP ${status ?? 'stream'} error`);
  const httpStatus = status ?? error?.code;
  const rule = matchErrorRule(ctx, httpStatus, bodyText);
  const kind = rule?.kind ?? kindFor(error?.status, httpStatus, reason, message);
  const retryAfterMs =
    parseDuration(retryDelay) ?? (headers === undefined ? undefined : retryAfterFromHeaders(headers));
  return createError(kind, message, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status: httpStatus,
    requestId: headers?.get('x-request-id') ?? undefined,
    retryable: rule?.retryable,
    retryAfterMs,
    code: reason ?? error?.status,
    body: body ?? (bodyText === '' ? undefined : bodyText),
  });
}
