/**
 * Error helpers shared by every protocol adapter: catalog rule matching (`descriptor.errors`),
 * HTTP status -> error kind defaults, `retry-after` / `retry-after-ms` parsing, `x-should-retry`,
 * request ids, and redaction of the API key from anything an error carries.
 */

import { createError, type SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind, ErrorRuleSpec } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { isRecord } from './json.js';

/** Core's default kind for an HTTP status when no catalog rule matched. */
export function defaultKindForStatus(status: number | undefined): ErrorKind {
  if (status === undefined) return 'provider';
  switch (status) {
    case 400:
      return 'invalid-request';
    case 401:
      return 'authentication';
    case 402:
      return 'quota-exceeded';
    case 403:
      return 'permission';
    case 404:
      return 'not-found';
    case 408:
      return 'timeout';
    case 409:
      return 'provider';
    case 413:
    case 422:
      return 'invalid-request';
    case 429:
      return 'rate-limit';
  }
  if (status >= 500) return 'provider';
  if (status >= 400) return 'invalid-request';
  return 'provider';
}

/**
 * The first catalog rule matching the response: `status` equal when the rule sets one, and `match`
 * found (case-insensitively) in the body text when the rule sets one. Rules without either never match.
 */
export function matchErrorRule(
  rules: readonly ErrorRuleSpec[] | undefined,
  status: number | undefined,
  bodyText: string,
): ErrorRuleSpec | undefined {
  if (!rules) return undefined;
  const haystack = bodyText.toLowerCase();
  for (const rule of rules) {
    if (rule.status === undefined && rule.match === undefined) continue;
    if (rule.status !== undefined && rule.status !== status) continue;
    if (rule.match !== undefined && !haystack.includes(rule.match.toLowerCase())) continue;
    return rule;
  }
  return undefined;
}

/**
 * Milliseconds to wait from `retry-after-ms` (OpenAI, Azure), else `retry-after` as seconds
 * (fractions allowed) or an HTTP date. Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** `x-should-retry: true|false` (OpenAI, Anthropic) as a boolean, undefined when absent. */
export function shouldRetryHeader(headers: Headers | undefined): boolean | undefined {
  const v = headers?.get('x-should-retry')?.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'apim-request-id', 'x-amzn-requestid', 'cf-ray'];

/** The provider's request id from the usual headers. */
export function requestIdFrom(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const v = headers.get(name);
    if (v) return v;
  }
  return undefined;
}

const MASKED_SECRET = /[A-Za-z0-9_\-.]*\*{3,}[A-Za-z0-9_\-.]*/g;
export const REDACTED = '[REDACTED]';

/**
 * Removes secrets from a string: every occurrence of a given secret, words that start with its first
 * characters and end with its last ones (partially echoed keys), and masked keys (`sk-abc***wxyz`).
 */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    if (secret.length >= 8) {
      const head = secret.slice(0, 4);
      const tail = secret.slice(-4);
      out = out.replace(/[A-Za-z0-9_\-.*]{8,}/g, (word) =>
        word.startsWith(head) && word.endsWith(tail) ? REDACTED : word,
      );
    }
  }
  return out.replace(MASKED_SECRET, (word) => (word.length >= 6 ? REDACTED : word));
}

/** Deep copy of a parsed body with every string passed through `redactText`. */
export function redactValue(value: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, secrets);
    return out;
  }
  return value;
}

export interface HttpErrorParts {
  status: number | undefined;
  headers?: Headers;
  /** The raw body text (used for rule matching). */
  bodyText: string;
  /** Parsed body, if JSON. */
  body?: unknown;
  /** The provider's human message (before redaction). */
  message?: string;
  /** The provider's error code or type. */
  code?: string;
  /** A kind the protocol derived from the body (used when no catalog rule matched). */
  kind?: ErrorKind;
  /** Retryability the protocol derived (overrides the kind default, not the catalog or header). */
  retryable?: boolean;
}

/**
 * Builds the core error: catalog rules first, then the protocol's kind, then the status default.
 * Retryable: `x-should-retry` when sent, else the rule's `retryable`, else the protocol's, else the kind default.
 * Everything user-visible is redacted of the API key.
 */
export function createProviderError(ctx: CallContext, parts: HttpErrorParts): SwitchboardError {
  const secrets = [ctx.apiKey];
  const rule = matchErrorRule(ctx.descriptor.errors, parts.status, parts.bodyText);
  const kind: ErrorKind = rule?.kind ?? parts.kind ?? defaultKindForStatus(parts.status);
  const header = shouldRetryHeader(parts.headers);
  // The provider's live `x-should-retry` wins over the catalog's static rule and the defaults.
  const retryable =
    header ??
    rule?.retryable ??
    (rule ? undefined : parts.retryable) ??
    (kind === 'quota-exceeded' ? false : undefined);
  const fallback = parts.status === undefined ? 'error' : `HTTP ${parts.status}`;
  const rawMessage = (parts.message ?? parts.bodyText.trim().slice(0, 500)) || fallback;
  const label = ctx.descriptor.name ?? ctx.descriptor.id;
  const message = redactText(`${label}: ${rawMessage}`, secrets);
  const retryAfterMs = parseRetryAfterMs(parts.headers);
  return createError(kind, message, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status: parts.status,
    requestId: requestIdFrom(parts.headers),
    retryable,
    retryAfterMs,
    code: parts.code === undefined ? undefined : redactText(parts.code, secrets),
    body: redactValue(parts.body ?? (parts.bodyText === '' ? undefined : parts.bodyText), secrets),
  });
}
