/**
 * Bedrock error responses. The exception type arrives in the `x-amzn-ErrorType` header
 * (`ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/`) or the body's
 * `__type` (`com.amazon.coral.service#UnrecognizedClientException`); the body is `{"message": ...}`
 * (`Message` for some services). The same names arrive as `:exception-type` inside ConverseStream.
 */
import type { ErrorKind } from '../../catalog/types.js';
import { createError, type SwitchboardError } from '../../runtime/errors.js';
import type { CallContext } from '../types.js';

/** Normalizes an AWS error type: drops the `:namespace` suffix and the `prefix#`, first letter upper-cased. */
export function normalizeAwsErrorType(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  let type = raw.split(':')[0] ?? raw;
  const hash = type.lastIndexOf('#');
  if (hash >= 0) type = type.slice(hash + 1);
  type = type.trim();
  if (type === '') return undefined;
  return type.charAt(0).toUpperCase() + type.slice(1);
}

const CONTEXT_LENGTH =
  /too long|context (?:length|window)|maximum context|input length|prompt is too long|exceeds? the maximum|max(?:imum)? (?:input )?tokens? (?:exceeded|allowed)|too many (?:input )?tokens/i;

const MODEL_INVALID = /model identifier is invalid|invalid model identifier|unknown model/i;

interface Classified {
  kind: ErrorKind;
  retryable?: boolean;
}

/** Maps an AWS exception type (+ message, status) to a core error kind. */
export function classifyBedrockError(type: string | undefined, message: string, status: number): Classified {
  switch (type) {
    case 'ValidationException':
      if (CONTEXT_LENGTH.test(message)) return { kind: 'context-length-exceeded' };
      // AWS reports an unknown model id as a ValidationException ("The provided model identifier is
      // invalid."); every other protocol reports it as not-found, so core does too.
      if (MODEL_INVALID.test(message)) return { kind: 'not-found' };
      return { kind: 'invalid-request' };
    case 'AccessDeniedException':
      return { kind: 'permission' };
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
    case 'ExpiredTokenException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
      return { kind: 'authentication' };
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return { kind: 'rate-limit' };
    case 'ServiceQuotaExceededException':
      return { kind: 'quota-exceeded' };
    case 'ResourceNotFoundException':
      return { kind: 'not-found' };
    case 'ModelNotReadyException':
    case 'ServiceUnavailableException':
    case 'InternalServerException':
    case 'ModelErrorException':
    case 'ModelStreamErrorException':
      return { kind: 'provider', retryable: true };
    case 'ModelTimeoutException':
      return { kind: 'timeout' };
    case 'ConflictException':
      return { kind: 'invalid-request' };
  }
  if (
    /security token|signature|credential|not authorized to perform|bearer/i.test(message) &&
    (status === 401 || status === 403)
  ) {
    return { kind: /not authorized to perform/i.test(message) ? 'permission' : 'authentication' };
  }
  if (status === 400 && CONTEXT_LENGTH.test(message)) return { kind: 'context-length-exceeded' };
  if (status === 400 && MODEL_INVALID.test(message)) return { kind: 'not-found' };
  if (status === 401) return { kind: 'authentication' };
  if (status === 403) return { kind: 'permission' };
  if (status === 404) return { kind: 'not-found' };
  if (status === 408) return { kind: 'timeout' };
  if (status === 429) return { kind: 'rate-limit' };
  if (status >= 500 || status === 424) return { kind: 'provider', retryable: true };
  if (status >= 400) return { kind: 'invalid-request' };
  return { kind: 'provider' };
}

/** Applies the catalog's `errors` rules (first match wins); undefined when none matches. */
export function matchCatalogRule(ctx: CallContext, status: number, text: string): Classified | undefined {
  for (const rule of ctx.descriptor.errors ?? []) {
    if (rule.status !== undefined && rule.status !== status) continue;
    if (rule.match !== undefined && !text.toLowerCase().includes(rule.match.toLowerCase())) continue;
    if (rule.status === undefined && rule.match === undefined) continue;
    return rule.retryable === undefined ? { kind: rule.kind } : { kind: rule.kind, retryable: rule.retryable };
  }
  return undefined;
}

function parseRetryAfter(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The error for an HTTP error response of any Bedrock endpoint. */
export function parseBedrockError(
  ctx: CallContext,
  status: number,
  headers: Headers,
  bodyText: string,
): SwitchboardError {
  let body: unknown = bodyText;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    // not JSON: keep the text
  }
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const type =
    normalizeAwsErrorType(headers.get('x-amzn-errortype')) ??
    normalizeAwsErrorType(typeof record.__type === 'string' ? record.__type : undefined) ??
    normalizeAwsErrorType(typeof record.code === 'string' ? record.code : undefined);
  const message =
    (typeof record.message === 'string' && record.message) ||
    (typeof record.Message === 'string' && record.Message) ||
    (typeof body === 'string' && body.trim()) ||
    `HTTP ${status}`;
  const classified =
    matchCatalogRule(ctx, status, `${type ?? ''} ${message}`) ?? classifyBedrockError(type, message, status);
  const requestId = headers.get('x-amzn-requestid') ?? headers.get('x-amz-request-id') ?? undefined;
  return createError(classified.kind, `Bedrock: ${type ? `${type}: ` : ''}${message}`, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status,
    requestId,
    code: type,
    body,
    retryAfterMs: parseRetryAfter(headers),
    ...(classified.retryable === undefined ? {} : { retryable: classified.retryable }),
  });
}

/** The error for an exception event inside a ConverseStream body (HTTP status was 200). */
export function bedrockStreamException(
  ctx: CallContext,
  rawType: string | undefined,
  payload: string,
): SwitchboardError {
  let body: unknown = payload;
  try {
    body = JSON.parse(payload);
  } catch {
    // keep text
  }
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const type = normalizeAwsErrorType(rawType);
  const message =
    (typeof record.message === 'string' && record.message) || (typeof body === 'string' && body) || 'stream error';
  const status = STREAM_STATUS[type ?? ''] ?? 500;
  const classified =
    matchCatalogRule(ctx, status, `${type ?? ''} ${message}`) ?? classifyBedrockError(type, message, status);
  return createError(classified.kind, `Bedrock stream: ${type ? `${type}: ` : ''}${message}`, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status,
    code: type,
    body,
    ...(classified.retryable === undefined ? {} : { retryable: classified.retryable }),
  });
}

/** HTTP statuses AWS documents for the ConverseStream exceptions, used when they arrive in-stream. */
const STREAM_STATUS: Record<string, number> = {
  ThrottlingException: 429,
  ValidationException: 400,
  ModelStreamErrorException: 424,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  ModelTimeoutException: 408,
};
