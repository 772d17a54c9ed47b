/**
 * CORS for browsers calling the gateway: the headers an allowed origin gets (`cors.origins` in the
 * config; `*` allows any). Computed once per allowed origin, since every request of a page repeats it.
 */

/** The request headers a browser may send, and the response headers its script may read. */
const ALLOWED_HEADERS = 'authorization, content-type, x-api-key, x-request-id, anthropic-version';
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';
const EXPOSED_HEADERS =
  'x-request-id, x-switchboard-provider, x-switchboard-model, x-switchboard-cost-usd, x-switchboard-overhead-ms';

/** CORS headers per origin for one list of allowed origins. */
export type CorsHeaders = (origin: string | undefined) => Readonly<Record<string, string>> | undefined;

/** The CORS headers for a request from `origin`, or undefined when CORS is off or the origin is not allowed. */
export function corsHeaders(allowed: readonly string[]): CorsHeaders {
  if (allowed.length === 0) return () => undefined;
  const any = allowed.includes('*');
  const byOrigin = new Map<string, Readonly<Record<string, string>>>();
  return (origin) => {
    if (origin === undefined || (!any && !allowed.includes(origin))) return undefined;
    let headers = byOrigin.get(origin);
    if (headers === undefined) {
      headers = Object.freeze({
        'access-control-allow-origin': any ? '*' : origin,
        vary: 'origin',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-expose-headers': EXPOSED_HEADERS,
      });
      // Only allowed origins are remembered, and with `*` at most a bounded number of them.
      if (byOrigin.size < 256) byOrigin.set(origin, headers);
    }
    return headers;
  };
}
