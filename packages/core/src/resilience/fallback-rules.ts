/**
 * Which failures move a call to its next target (`fallback`, model groups). Kept apart from retries:
 * `retry.shouldRetry` and `retryableStatuses` decide whether one target is tried again; this rule
 * decides, once a target has failed for good, whether the next one is tried.
 *
 * The default rule: **a call falls back on every error except those the request itself caused,
 * which another target would repeat.**
 *
 * - Falls back: `authentication`, `permission`, `configuration` (a missing key), `not-found`,
 *   `quota-exceeded`, `rate-limit`, `timeout`, `network`, `provider` (an open circuit breaker
 *   included), `invalid-response`, `unsupported-capability` (another model may have the vision or
 *   tools this one lacks), and every HTTP 5xx whatever its kind or `retryable` flag (a local vLLM,
 *   LM Studio or Ollama server answering 500 included).
 * - `context-length-exceeded` falls back, but only to targets with a larger context window.
 * - Stays: `invalid-request` (a 400: every target would refuse it) and `content-filter`, unless the
 *   call sets `fallbackOnContentFilter: true`.
 * - Stays: an error that is not a Switchboard error (a custom provider's or a tool handler's own
 *   exception: Switchboard cannot tell that another target would not repeat it). A predicate
 *   `fallbackOn` may still choose to fall back on it.
 * - Never: the caller's own abort (its `signal`, or `stream.abort()`), whatever the rule says.
 *
 * Budgets are checked once per call before any target is chosen, so a budget refusal never reaches
 * this rule.
 *
 * `fallbackOn` replaces the default: a list of error kinds (`['rate-limit', 'provider']`), or a
 * predicate `(error, { provider, model, attempt }) => boolean`, given to `createSwitchboard` or per
 * call (the call's wins). `fallbackOnContentFilter: true` on a call adds content filters to any rule.
 */

import { ConfigurationError, InvalidRequestError, SwitchboardError } from '../errors/errors.js';
import type { ErrorKind } from '../types/catalog.js';
import type { FallbackDecision } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest, FallbackRule } from '../types/requests.js';

/** Every error kind, checked against `ErrorKind` at compile time (a new kind must be added here). */
const KNOWN_KINDS = {
  authentication: true,
  permission: true,
  'not-found': true,
  'rate-limit': true,
  'context-length-exceeded': true,
  'invalid-request': true,
  'content-filter': true,
  timeout: true,
  network: true,
  provider: true,
  'quota-exceeded': true,
  'unsupported-capability': true,
  configuration: true,
  'invalid-response': true,
  aborted: true,
} as const satisfies Record<ErrorKind, true>;

/** Every error kind, in a stable order. */
export const ERROR_KINDS: readonly ErrorKind[] = Object.keys(KNOWN_KINDS) as ErrorKind[];

/** Which rule decided: the default, a `fallbackOn` (the call's or the switchboard's), the content-filter flag, or the caller's abort. */
export type FallbackRuleSource = FallbackDecision['rule'];

/** The rule's answer for one failed target. */
export interface FallbackVerdict {
  /** True when the next target may be tried. */
  allowed: boolean;
  rule: FallbackRuleSource;
  /** Why, in a few words, for `res.attempts` (`'rate limits fall back'`). */
  why: string;
}

/** The target that failed, as a `fallbackOn` predicate sees it. */
export interface FallbackContext {
  provider: string;
  model: string;
  /** How many attempts this target got (1, or more after retries), as `retry.shouldRetry` counts them. */
  attempt: number;
}

/** Why the default rule keeps a call on a target, per kind; every kind not listed falls back. */
const STAYS: Partial<Record<ErrorKind, string>> = {
  'invalid-request': 'invalid-request is caused by the request; another target would refuse it too',
  'content-filter': 'content-filter refuses the request itself; set fallbackOnContentFilter: true to fall back',
  aborted: 'the caller aborted the call; an abort never falls back',
};

/** True when the caller stopped the call (its signal, or the stream's `abort()`): never fall back then. */
export function isCallerAbort(error: unknown, request: ChatRequest | EmbedRequest): boolean {
  if (request.signal?.aborted === true) return true;
  if (error instanceof SwitchboardError) return error.kind === 'aborted';
  return error instanceof Error && error.name === 'AbortError';
}

/** The default rule (see the file's documentation). */
export function defaultFallbackVerdict(error: unknown): FallbackVerdict {
  if (!(error instanceof SwitchboardError))
    return {
      allowed: false,
      rule: 'default',
      why: 'not a Switchboard error (a custom provider or handler threw it); use a fallbackOn predicate to fall back on it',
    };
  if (error.status !== undefined && error.status >= 500)
    return { allowed: true, rule: 'default', why: `server errors (${error.status}) fall back` };
  const stays = STAYS[error.kind];
  if (stays !== undefined) return { allowed: false, rule: 'default', why: stays };
  if (error.kind === 'context-length-exceeded')
    return { allowed: true, rule: 'default', why: 'context-length falls back to a model with a larger window' };
  return { allowed: true, rule: 'default', why: `${error.kind} falls back` };
}

/**
 * Decides whether a failed target's call may move on: the caller's abort never does; else
 * `fallbackOnContentFilter`, then the call's `fallbackOn`, the switchboard's, or the default rule.
 */
export function decideFallback(
  error: unknown,
  request: ChatRequest | EmbedRequest,
  switchboardRule: FallbackRule | undefined,
  context: FallbackContext,
): FallbackVerdict {
  if (isCallerAbort(error, request))
    return { allowed: false, rule: 'abort', why: 'the caller aborted the call; an abort never falls back' };
  const kind = error instanceof SwitchboardError ? error.kind : undefined;
  if (kind === 'content-filter' && 'fallbackOnContentFilter' in request && request.fallbackOnContentFilter === true)
    return { allowed: true, rule: 'fallbackOnContentFilter', why: 'fallbackOnContentFilter is set' };
  const rule = request.fallbackOn ?? switchboardRule;
  if (rule === undefined) return defaultFallbackVerdict(error);
  if (typeof rule === 'function') {
    const allowed = rule(error, context) === true;
    return { allowed, rule: 'fallbackOn', why: `the fallbackOn predicate returned ${allowed}` };
  }
  const label = kind ?? 'an error without a kind';
  return rule.includes(kind as ErrorKind)
    ? { allowed: true, rule: 'fallbackOn', why: `fallbackOn lists ${label}` }
    : { allowed: false, rule: 'fallbackOn', why: `fallbackOn [${rule.join(', ')}] does not list ${label}` };
}

/** The problem with a `fallbackOn` value, or undefined when it is valid. */
function problemOf(rule: unknown): string | undefined {
  if (rule === undefined || typeof rule === 'function') return undefined;
  if (!Array.isArray(rule)) return `must be a list of error kinds or a function, got ${typeof rule}`;
  for (const entry of rule)
    if (typeof entry !== 'string' || !(entry in KNOWN_KINDS))
      return `lists ${JSON.stringify(entry)}, which is not an error kind (one of: ${ERROR_KINDS.join(', ')})`;
  return undefined;
}

/** Checks `createSwitchboard({ fallbackOn })`: a ConfigurationError naming the option when it is wrong. */
export function checkSwitchboardFallbackRule(rule: unknown): void {
  const problem = problemOf(rule);
  if (problem !== undefined) throw new ConfigurationError(`fallbackOn ${problem}`, { setting: 'fallbackOn' });
}

/** Checks a call's `fallbackOn`: an InvalidRequestError naming the field when it is wrong (nothing is sent). */
export function checkRequestFallbackRule(rule: unknown): void {
  const problem = problemOf(rule);
  if (problem !== undefined) throw new InvalidRequestError(`request.fallbackOn ${problem}`);
}
