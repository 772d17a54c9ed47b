/**
 * Reads the rate-limit state providers report in response headers, so the local limiter can tighten
 * its view to what the server actually allows (DESIGN 6). Understands OpenAI-style headers (OpenAI,
 * Groq, Together, xAI, ...: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`), Anthropic's
 * `anthropic-ratelimit-*` and `retry-after` / `retry-after-ms`.
 */

/** One dimension (requests or tokens) as the server reported it. */
export interface ServerRateLimit {
  limit?: number;
  remaining?: number;
  /** Milliseconds from the response until the server's counter resets. */
  resetMs?: number;
}

export interface ParsedRateLimitHeaders {
  requests?: ServerRateLimit;
  tokens?: ServerRateLimit;
  /** From `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
  retryAfterMs?: number;
}

/** Response headers as a `Headers` object or a plain record (Node's `IncomingHttpHeaders` fits). */
export type HeadersLike = Headers | Record<string, string | string[] | number | undefined>;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a reset duration: Go-style (`6m0s`, `1.5s`, `20ms`, `2m59.56s`, `1h2m`), a bare number of
 * seconds (`"30"`, `"0.5"`), an epoch timestamp in seconds or ms, or an ISO/RFC 3339 date (Anthropic).
 * Returns ms from `now`, never negative; undefined when unreadable.
 */
export function parseResetDuration(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (n > 1e12) return Math.max(0, n - now); // epoch ms
    if (n > 1e9) return Math.max(0, n * 1000 - now); // epoch seconds
    return Math.round(n * 1000);
  }
  const go = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s|d))+$/i;
  if (go.test(text)) {
    let total = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s|d)/gi)) {
      total += Number(match[1]) * (UNIT_MS[(match[2] ?? '').toLowerCase()] ?? 0);
    }
    return Math.round(total);
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Extracts every rate-limit fact the headers carry. */
export function parseRateLimitHeaders(headers: HeadersLike, now: number = Date.now()): ParsedRateLimitHeaders {
  const get = headerReader(headers);
  const num = (name: string): number | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : undefined;
  };
  const dimension = (limit: string, remaining: string, reset: string): ServerRateLimit | undefined => {
    const out: ServerRateLimit = {};
    const l = num(limit);
    const r = num(remaining);
    const resetRaw = get(reset);
    const z = resetRaw === undefined ? undefined : parseResetDuration(resetRaw, now);
    if (l !== undefined) out.limit = l;
    if (r !== undefined) out.remaining = r;
    if (z !== undefined) out.resetMs = z;
    return Object.keys(out).length === 0 ? undefined : out;
  };

  const result: ParsedRateLimitHeaders = {};
  const requests =
    dimension('x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests') ??
    dimension(
      'anthropic-ratelimit-requests-limit',
      'anthropic-ratelimit-requests-remaining',
      'anthropic-ratelimit-requests-reset',
    );
  const tokens =
    dimension('x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens') ??
    dimension(
      'anthropic-ratelimit-tokens-limit',
      'anthropic-ratelimit-tokens-remaining',
      'anthropic-ratelimit-tokens-reset',
    ) ??
    dimension(
      'anthropic-ratelimit-input-tokens-limit',
      'anthropic-ratelimit-input-tokens-remaining',
      'anthropic-ratelimit-input-tokens-reset',
    );
  if (requests) result.requests = requests;
  if (tokens) result.tokens = tokens;

  const retryMs = num('retry-after-ms');
  const retryAfter = get('retry-after');
  if (retryMs !== undefined && retryMs >= 0) result.retryAfterMs = retryMs;
  else if (retryAfter !== undefined) {
    const seconds = Number(retryAfter.trim());
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) result.retryAfterMs = Math.max(0, Math.round(ms));
  }
  return result;
}

function headerReader(headers: HeadersLike): (name: string) => string | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (name) => (headers as Headers).get(name) ?? undefined;
  }
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    lower.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  }
  return (name) => lower.get(name);
}
