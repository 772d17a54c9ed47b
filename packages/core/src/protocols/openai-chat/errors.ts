/**
 * Error responses of Chat Completions servers: `{"error": {"message", "type", "code", "param"}}`
 * (OpenAI, Azure, Groq, xAI, DeepSeek, Together), `{"error": {"message", "code": 401}}` (OpenRouter),
 * `{"message", "type", "detail"}` / `{"detail": "..."}` (Mistral, vLLM), `{"error": "text"}` (Ollama,
 * LM Studio) and plain-text bodies.
 */
import type { ErrorKind } from '../../catalog/types.js';
import type { SwitchboardError } from '../../runtime/errors.js';
import { createProviderError } from '../shared/errors.js';
import { asNumber, asRecord, asString, isRecord, parseJsonSafe } from '../shared/json.js';
import type { CallContext } from '../types.js';

interface ExtractedError {
  message?: string;
  code?: string;
  /** A numeric code inside the body (OpenRouter puts the HTTP status there, also in streams). */
  numericCode?: number;
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

/** An error object sent inside a 200 stream (`data: {"error": {...}}`). */
export function streamError(ctx: CallContext, payload: unknown, dataText: string): SwitchboardError {
  const { message, code, numericCode } = extractOpenAIError(payload);
  const status = numericCode !== undefined && numericCode >= 400 && numericCode < 600 ? numericCode : undefined;
  return createProviderError(ctx, {
    status,
    bodyText: dataText,
    body: payload,
    message,
    code,
    kind: kindFromBody(status, code, message),
  });
}
