/**
 * The HTTP status each core error kind answers with, shared by the OpenAI- and Anthropic-compatible
 * surfaces (they differ in the error body's type names, not in the status): a request problem is a
 * 4xx, an upstream failure a 5xx the client may retry, a missing provider configuration 503, a
 * client that went away 499. Also the `retry-after` header a core error asks for.
 */
import type { ErrorKind } from '@switchboard/core';

export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-request': 400,
  'unsupported-capability': 400,
  'context-length-exceeded': 400,
  'content-filter': 400,
  authentication: 401,
  permission: 403,
  'not-found': 404,
  'rate-limit': 429,
  'quota-exceeded': 429,
  timeout: 504,
  network: 502,
  provider: 502,
  'invalid-response': 502,
  configuration: 503,
  aborted: 499,
};

/** The status of a core error kind; 500 for a kind this gateway does not know. */
export function statusForKind(kind: string): number {
  return (STATUS_BY_KIND as Record<string, number | undefined>)[kind] ?? 500;
}

/** True for an error carrying a core error kind (a SwitchboardError, or one from another copy of core). */
export function hasErrorKind(error: unknown): error is Error & { kind: string; retryAfterMs?: number } {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string';
}

/** Sets `retry-after` (whole seconds, at least 1) when the error asks the client to wait. */
export function setRetryAfter(headers: Record<string, string>, retryAfterMs: number | undefined): void {
  if (retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}
