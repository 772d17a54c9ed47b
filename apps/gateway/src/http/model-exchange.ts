/**
 * One model request as the route code sees it, whichever server layer received it: fastify (its
 * routes, `app.inject`) or the direct node:http path (`direct-routes.ts`). The route writes its answer
 * on the raw response itself, so both layers share one implementation and cannot drift apart.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export interface ModelExchange {
  /** The request's id (the client's `x-request-id` when sane, else the gateway's). */
  requestId: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: unknown;
  /** Where the answer goes; nothing has been written yet. */
  response: ServerResponse;
  /** `performance.now()` when the request arrived (the gateway's own time is measured from it). */
  startedAt: number;
  /** Headers every answer to this request carries: its id, and CORS for an allowed origin. */
  baseHeaders: Readonly<Record<string, string | number | readonly string[] | undefined>>;
}

/** A model route: answers one exchange completely (errors included) and resolves when it is written. */
export type ModelRoute = (exchange: ModelExchange) => Promise<void>;

/** The content type of the JSON answers the model routes serialize themselves. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Writes a JSON answer in one go: head and body leave in one socket write (the length is known, so
 * no chunked framing). `headers` may be changed: it is the route's own object.
 */
export function writeJson(
  exchange: ModelExchange,
  status: number,
  headers: Record<string, string | number | readonly string[] | undefined>,
  json: string,
): void {
  const raw = exchange.response;
  if (raw.headersSent || raw.destroyed) return;
  const base = exchange.baseHeaders;
  for (const name in base) if (headers[name] === undefined) headers[name] = base[name];
  headers['content-type'] = JSON_CONTENT_TYPE;
  headers['content-length'] = Buffer.byteLength(json);
  raw.writeHead(status, headers as Record<string, string | number | string[]>);
  raw.end(json);
}
