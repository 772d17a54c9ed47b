/**
 * The model endpoints answered straight from node:http, ahead of fastify. Every model request
 * pays fastify's per-request machinery (request and reply objects, hook chain, router, content-type
 * parser, reply serialization) on top of the work that matters; on the gateway's hot path that was
 * a measurable share of its CPU per request (test/bench/gateway.ts). A request takes the direct path
 * only when it is exactly a JSON `POST` to one of the routes; anything else (other content types,
 * query strings, other methods, preflights) goes to fastify unchanged, where the same `ModelRoute`s
 * are registered, so both paths answer alike. The direct path keeps what fastify's layer gave:
 * the request id, CORS headers, the body size cap, prototype-poisoning checks and a 503 while the
 * server drains.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsHeaders } from './cors.js';
import { isJsonContentType, readJsonBody } from './json-body.js';
import type { ModelExchange, ModelRoute } from './model-exchange.js';
import { requestIdFor } from './request-id.js';

/** A route served directly, and how its API surface renders an error (OpenAI's body, Anthropic's). */
export interface DirectRoute {
  serve: ModelRoute;
  writeError(exchange: ModelExchange, error: unknown): void;
}

export interface DirectRoutesOptions {
  /** Path -> route (exact match, no query string). */
  routes: ReadonlyMap<string, DirectRoute>;
  bodyLimitBytes: number;
  cors: CorsHeaders;
  /** True once the server drains: new requests get fastify's 503. */
  closing(): boolean;
}

/** fastify's answer to a request arriving while the server closes (`return503OnClosing`). */
const UNAVAILABLE_BODY = '{"error":"Service Unavailable","message":"Service Unavailable","statusCode":503}';

/**
 * A node:http request listener for the direct routes: returns false (having touched nothing) when
 * the request is not theirs, so the caller hands it to fastify.
 */
export function directRoutes(
  options: DirectRoutesOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  const { routes, bodyLimitBytes, cors } = options;
  return (request, response) => {
    if (request.method !== 'POST') return false;
    const route = routes.get(request.url as string);
    if (route === undefined || !isJsonContentType(request.headers['content-type'])) return false;
    const startedAt = performance.now();
    if (options.closing()) {
      response.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      response.end(UNAVAILABLE_BODY);
      return true;
    }
    const requestId = requestIdFor(request.headers);
    const allowed = cors(request.headers.origin);
    const baseHeaders =
      allowed === undefined ? { 'x-request-id': requestId } : { 'x-request-id': requestId, ...allowed };
    const exchange: ModelExchange = {
      requestId,
      headers: request.headers,
      body: undefined,
      response,
      startedAt,
      baseHeaders,
    };
    readJsonBody(request, bodyLimitBytes)
      .then(
        (body) => {
          exchange.body = body;
          return route.serve(exchange);
        },
        (error: unknown) => route.writeError(exchange, error),
      )
      .catch((error: unknown) => {
        // Routes answer their own errors; this is the last guard: never leave a response open.
        if (response.headersSent) response.destroy();
        else route.writeError(exchange, error);
      });
    return true;
  };
}
