/**
 * Bedrock error responses. The exception type arrives in the `x-amzn-ErrorType` header
 * (`ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/`) or the body's
 * `__type` (`com.amazon.coral.service#UnrecognizedClientException`); the body is `{"message": ...}`
 * (`Message` for some services). The same names arrive as `:exception-type` inside ConverseStream.
 */

import type { SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { asRecord, asString, createProviderError, parseJsonSafe } from '../shared/index.js';

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

interface Classified {
  kind: ErrorKind;
  retryable?: boolean;
}

/** Maps an AWS exception type (+ message, status) to a core error kind. */
export function classifyBedrockError(type: string | undefined, message: string, status: number): Classified {
  switch (type) {
    case 'ValidationException':
      if (CONTEXT_LENGTH.test(message)) return { kind: 'context-length-exceeded' };
      // An unknown model id ("The provided model identifier is invalid.") is a ValidationException in
      // AWS's docs (knowledge-center article bedrock-validation-exception-errors): invalid-request.
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
  if (status === 401) return { kind: 'authentication' };
  if (status === 403) return { kind: 'permission' };
  if (status === 404) return { kind: 'not-found' };
  if (status === 408) return { kind: 'timeout' };
  if (status === 429) return { kind: 'rate-limit' };
  if (status >= 500 || status === 424) return { kind: 'provider', retryable: true };
  if (status >= 400) return { kind: 'invalid-request' };
  return { kind: 'provider' };
}

/**
 * Builds the core error through the shared helper (catalog rules first, then this protocol's kind).
 * Rules are matched against `<ExceptionType>: <body>` so a YAML rule can name the exception type.
 */
function toError(
  ctx: CallContext,
  status: number,
  headers: Headers | undefined,
  type: string | undefined,
  message: string,
  body: unknown,
  bodyText: string,
): SwitchboardError {
  const classified = classifyBedrockError(type, message, status);
  return createProviderError(ctx, {
    status,
    headers,
    bodyText: type ? `${type}: ${bodyText}` : bodyText,
    body,
    message: type ? `${type}: ${message}` : message,
    code: type,
    kind: classified.kind,
    retryable: classified.retryable,
  });
}

/** The error for an HTTP error response of any Bedrock endpoint. */
export function parseBedrockError(
  ctx: CallContext,
  status: number,
  headers: Headers,
  bodyText: string,
): SwitchboardError {
  const body = parseJsonSafe(bodyText) ?? (bodyText === '' ? undefined : bodyText);
  const record = asRecord(body);
  const type =
    normalizeAwsErrorType(headers.get('x-amzn-errortype')) ??
    normalizeAwsErrorType(asString(record.__type)) ??
    normalizeAwsErrorType(asString(record.code));
  const message =
    asString(record.message) || asString(record.Message) || bodyText.trim().slice(0, 500) || `HTTP ${status}`;
  return toError(ctx, status, headers, type, message, body, bodyText);
}

/** The error for an exception event inside a ConverseStream body (HTTP status was 200). */
export function bedrockStreamException(
  ctx: CallContext,
  rawType: string | undefined,
  payload: string,
): SwitchboardError {
  const body = parseJsonSafe(payload) ?? (payload === '' ? undefined : payload);
  const type = normalizeAwsErrorType(rawType);
  const message = asString(asRecord(body).message) || payload.trim().slice(0, 500) || 'stream error';
  return toError(ctx, STREAM_STATUS[type ?? ''] ?? 500, undefined, type, message, body, payload);
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
