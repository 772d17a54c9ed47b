/**
 * The MSW door of the replay engine: handlers for `setupServer(...)`, for switchboards on
 * `transport: 'fetch'` and apps that already test with MSW. Matching, tie-breaking and the miss
 * message come from the engine (replay/replay-engine.ts), the same as the undici door.
 *
 * A request no recording answers is an error, never a live call: by default the handler throws the
 * {@link UnmatchedRequestError}, which MSW logs and answers as a 500 carrying its message (so the
 * switchboard's error says which recording came closest and how the request differs), and the miss
 * is kept in `engine.misses`; with `onUnmatched: 'passthrough'` the request falls through to the next
 * handler (and to MSW's own `onUnhandledRequest`).
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import type { RecordedExchange, RecordedResponse } from './exchange.js';
import { createReplayEngine, type ReplayEngine, type ReplayOptions, replayRequest } from './replay/replay-engine.js';
import { type ResponseParts, responseParts } from './replay/response-parts.js';
import { UnmatchedRequestError } from './replay/unmatched-error.js';

export type { ReplayOptions } from './replay/replay-engine.js';

/** Options of the MSW door. */
export interface MswReplayOptions extends ReplayOptions {
  /** `'error'` (default): a miss fails the request. `'passthrough'`: other handlers may answer it. */
  onUnmatched?: 'error' | 'passthrough';
}

function toResponse(parts: ResponseParts): Response {
  const chunks = parts.chunks;
  const body =
    chunks.length === 0
      ? null
      : new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        });
  return new HttpResponse(body, { status: parts.status, headers: parts.headers });
}

/** Builds the fetch `Response` for a recorded response. */
export function toHttpResponse(recorded: RecordedResponse, chunkSize?: number): Response {
  return toResponse(responseParts(recorded, chunkSize));
}

/** MSW handlers serving `exchanges` (or an engine shared with the undici door). */
export function replayExchanges(
  exchanges: readonly RecordedExchange[] | ReplayEngine,
  options: MswReplayOptions = {},
): HttpHandler[] {
  const engine = Array.isArray(exchanges) ? createReplayEngine(exchanges, options) : (exchanges as ReplayEngine);
  return [
    http.all('*', async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
      try {
        return toResponse(engine.respond(replayRequest(request.method, request.url, headers, text)));
      } catch (error) {
        if (!(error instanceof UnmatchedRequestError)) throw error;
        if (options.onUnmatched === 'passthrough') return undefined;
        throw error;
      }
    }),
  ];
}
