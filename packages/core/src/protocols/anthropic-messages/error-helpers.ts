/**
 * Error helpers used by the anthropic-messages and gemini adapters until `protocols/shared/` (descriptor
 * error rules, retry-after parsing) lands; then these delegate or go away.
 */
import type { ErrorKind } from '../../catalog/types.js';
import type { CallContext } from '../types.js';

/** First rule of `ctx.descriptor.errors` matching the status and body text, if any. */
export function matchErrorRule(
  ctx: CallContext,
  status: number | undefined,
  bodyText: string,
): { kind: ErrorKind; retryable?: boolean } | undefined {
  for (const rule of ctx.descriptor.errors ?? []) {
    if (rule.status !== undefined && rule.status !== status) continue;
    if (rule.match !== undefined && !bodyText.toLowerCase().includes(rule.match.toLowerCase())) continue;
    return rule.retryable === undefined ? { kind: rule.kind } : { kind: rule.kind, retryable: rule.retryable };
  }
  return undefined;
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date), in milliseconds. */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
