/**
 * Error responses of Chat Completions servers: `{"error": {"message", "type", "code", "param"}}`
 * (OpenAI, Azure, Groq, xAI, DeepSeek, Together), `{"error": {"message", "code": 401}}` (OpenRouter),
 * `{"message", "type", "detail"}` / `{"detail": "..."}` (Mistral, vLLM), `{"error": "text"}` (Ollama,
 * LM Studio) and plain-text bodies.
 */

import type { SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { createProviderError } from '../shared/errors.js';
import { asNumber, asRecord, asString, isRecord, parseJsonSafe } from '../shared/json.js';

interface ExtractedError {
  message?: string;
  code?: string;
  /** A numeric code inside the body (OpenRouter puts the HTTP status there, also in streams). */
  numericCode?: number;
  /** `error.type` (`invalid_request_error`), kept apart from the code for the stream status mapping. */
  type?: string;
}

export function extractOpenAIError(body: unknown): ExtractedError {
  if (!isRecord(body)) return {};
  const err = body.error;
  if (typeof err === 'string') return { message: err };
  if (isRecord(err)) {
    const code = asString(err.code) ?? asString(err.type);
    return {
      message: asString(err.message) ?? asString(asRecord(err.metadata).raw),
      code,
      numericCode: typeof err.code === 'number' ? err.code : undefined,
      type: asString(err.type),
    };
  }
  const detail = body.detail;
  let detailMessage: string | undefined;
  if (typeof detail === 'string') detailMessage = detail;
  else if (Array.isArray(detail))
    detailMessage = detail.map((d) => asString(asRecord(d).msg) ?? JSON.stringify(d)).join('; ');
  return {
    message: asString(body.message) ?? detailMessage,
    code: asString(body.code) ?? asString(body.type),
    numericCode: asNumber(body.code),
    type: asString(body.type),
  };
}

const CONTEXT_LENGTH =
  /context_length_exceeded|maximum context length|context window|prompt is too long|too many tokens|reduce the length/i;
const CONTENT_FILTER = /content_filter|content_policy_violation|responsibleaipolicyviolation/i;

/** Kind derived from the body before status defaults (catalog rules still win). */
function kindFromBody(
  status: number | undefined,
  code: string | undefined,
  message: string | undefined,
): ErrorKind | undefined {
  const text = `${code ?? ''} ${message ?? ''}`;
  if (code === 'insufficient_quota' || /insufficient_quota/i.test(text)) return 'quota-exceeded';
  if ((status === undefined || status === 400 || status === 413) && CONTEXT_LENGTH.test(text))
    return 'context-length-exceeded';
  if ((status === undefined || status === 400) && CONTENT_FILTER.test(text)) return 'content-filter';
  if (status === undefined) {
    if (/rate_limit|rate limit/i.test(text)) return 'rate-limit';
    if (/invalid_api_key|authentication/i.test(text)) return 'authentication';
  }
  return undefined;
}

/** The `<title>` (or tag-stripped text) of an HTML error page from a proxy or gateway. */
function htmlMessage(bodyText: string): string | undefined {
  if (!/^\s*</.test(bodyText)) return undefined;
  const title = /<title>([^<]*)<\/title>/i.exec(bodyText)?.[1]?.trim();
  if (title) return title;
  const text = bodyText
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? undefined : text.slice(0, 200);
}

export function parseError(ctx: CallContext, status: number, headers: Headers, bodyText: string): SwitchboardError {
  const body = parseJsonSafe(bodyText);
  const extracted = extractOpenAIError(body);
  const code = extracted.code;
  const message = extracted.message ?? (body === undefined ? htmlMessage(bodyText) : undefined);
  return createProviderError(ctx, {
    status,
    headers,
    bodyText,
    body,
    message,
    code,
    kind: kindFromBody(status, code, message),
  });
}

/**
 * The HTTP status OpenAI-compatible servers send with an error code or type (OpenAI's error-codes
 * guide, Groq's and Azure's references). A stream that fails after its 200 carries only the body, so
 * the status its code stands for lets the catalog's `errors` rules and the status defaults decide the
 * kind exactly as they do for an HTTP error: `tool_use_failed` under `invalid_request_error` is
 * `invalid-request`, `rate_limit_exceeded` is `rate-limit`, `server_error` is `provider`.
 */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  context_length_exceeded: 400,
  content_filter: 400,
  invalid_prompt: 400,
  tool_use_failed: 400,
  json_validate_failed: 400,
  authentication_error: 401,
  invalid_api_key: 401,
  permission_error: 403,
  insufficient_permissions: 403,
  unsupported_country_region_territory: 403,
  not_found_error: 404,
  model_not_found: 404,
  DeploymentNotFound: 404,
  rate_limit_error: 429,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  api_error: 500,
  internal_error: 500,
  overloaded_error: 503,
  service_unavailable: 503,
  service_unavailable_error: 503,
};

/** The status an in-stream error stands for: a numeric code (OpenRouter), else its code, else its type. */
export function statusOfStreamError(extracted: ExtractedError): number | undefined {
  const { numericCode, code, type } = extracted;
  if (numericCode !== undefined && numericCode >= 400 && numericCode < 600) return numericCode;
  return (
    (code === undefined ? undefined : STATUS_OF_CODE[code]) ?? (type === undefined ? undefined : STATUS_OF_CODE[type])
  );
}

/**
 * An error sent inside a 200 stream (`data: {"error": {...}}` or `event: error`), mapped like the
 * HTTP error its code stands for (see {@link statusOfStreamError}); that status is the error's `status`,
 * as Bedrock's in-stream exceptions do.
 */
export function streamError(ctx: CallContext, payload: unknown, dataText: string): SwitchboardError {
  const extracted = extractOpenAIError(payload);
  const { message, code } = extracted;
  const status = statusOfStreamError(extracted);
  return createProviderError(ctx, {
    status,
    bodyText: dataText,
    body: payload,
    message,
    code,
    kind: kindFromBody(status, code, message),
  });
}
