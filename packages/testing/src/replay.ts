/**
 * Serves recorded exchanges through MSW, so contract tests run a real switchboard (with
 * `transport: 'fetch'`) against what providers really answered. Requests are matched on method,
 * origin, path and query (a redacted recorded value matches anything); exchanges with the same
 * match are served in recorded order, the last one repeating.
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import type { RecordedExchange, RecordedResponse } from './exchange.js';
import { REDACTED } from './redact.js';

/** Options of `replayExchanges`. */
export interface ReplayOptions {
  /** Called with every request served from a recording (to assert on what was sent). */
  onRequest?: (request: Request, exchange: RecordedExchange) => void;
}

function matches(recorded: RecordedExchange['request'], request: Request, url: URL): boolean {
  if (recorded.method.toUpperCase() !== request.method.toUpperCase()) return false;
  let want: URL;
  try {
    want = new URL(recorded.url);
  } catch {
    return false;
  }
  if (want.origin !== url.origin || want.pathname !== url.pathname) return false;
  for (const [name, value] of want.searchParams) {
    if (value !== REDACTED && url.searchParams.get(name) !== value) return false;
  }
  return true;
}

const DROPPED_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection']);

/** Builds the MSW response for a recorded response. */
export function toHttpResponse(recorded: RecordedResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(recorded.headers ?? {}))
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  const init = { status: recorded.status ?? 200, headers };
  if (recorded.chunks !== undefined) {
    const encoder = new TextEncoder();
    const chunks = recorded.chunks;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    return new HttpResponse(stream, init);
  }
  if (recorded.bodyBase64 !== undefined) return new HttpResponse(Buffer.from(recorded.bodyBase64, 'base64'), init);
  if (recorded.bodyText !== undefined) return new HttpResponse(recorded.bodyText, init);
  if (recorded.body !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new HttpResponse(JSON.stringify(recorded.body), init);
  }
  return new HttpResponse(null, init);
}

/** MSW handlers serving the exchanges; unmatched requests fall through to other handlers. */
export function replayExchanges(exchanges: readonly RecordedExchange[], options: ReplayOptions = {}): HttpHandler[] {
  const served = new Array<boolean>(exchanges.length).fill(false);
  return [
    http.all('*', ({ request }) => {
      const url = new URL(request.url);
      let chosen = -1;
      let lastMatch = -1;
      for (let i = 0; i < exchanges.length; i += 1) {
        if (!matches((exchanges[i] as RecordedExchange).request, request, url)) continue;
        lastMatch = i;
        if (!served[i]) {
          chosen = i;
          break;
        }
      }
      if (chosen < 0) chosen = lastMatch;
      if (chosen < 0) return undefined;
      served[chosen] = true;
      const exchange = exchanges[chosen] as RecordedExchange;
      options.onRequest?.(request, exchange);
      return toHttpResponse(exchange.response);
    }),
  ];
}
