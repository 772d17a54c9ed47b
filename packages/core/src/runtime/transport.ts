/**
 * How prepared HTTP requests reach a provider. `undici` (default) uses `undici.request` on the
 * shared keep-alive pool: the fastest path in Node; a call that reads the body whole (non-streamed
 * chat, embeddings) goes through the same transport's whole-body door (whole-body-transport.ts),
 * which dispatches with no response stream. `fetch` uses `globalThis.fetch` (or the
 * provider's `settings.fetch`), which is what MSW's `setupServer` intercepts, so contract tests and
 * users' own fetch wrappers see every call. A custom function can replace both.
 */
import type { Dispatcher } from 'undici';
import type { HttpRequestSpec } from '../types/protocol.js';
import { loadUndici } from './dispatcher.js';
import { RawHeaderResponse, TEST_CACHE_HEADER } from './raw-header-response.js';
import { createWholeBodyTransport, withWholeBody } from './whole-body-transport.js';

/** A request ready to send. */
export interface TransportRequest extends HttpRequestSpec {
  signal?: AbortSignal;
}

/** A response whose body has not been read yet. */
export interface TransportResponse {
  status: number;
  /** Response headers (built on first access). */
  readonly headers: Headers;
  /** The body as it arrives, chunk by chunk. Read it once. */
  body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as text. */
  text(): Promise<string>;
  /** Releases the connection without reading the body. */
  discard(): void;
  /** `'test'` when `@switchboard/testing`'s test cache answered (its {@link TEST_CACHE_HEADER}), else undefined. */
  readonly fromCache?: 'test' | undefined;
}

/** Defined with the raw-header responses that read it; exported here too, where callers find the transport. */
export { TEST_CACHE_HEADER };

/** Sends one request. Rejects on connection failures; HTTP error statuses resolve normally. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/**
 * A built-in transport by name, a custom one, or an undici `Dispatcher` (a `MockAgent`, a proxy agent,
 * `@switchboard/testing`'s replay dispatcher) that the undici transport sends through instead of the pool.
 */
export type TransportOption = 'undici' | 'fetch' | Transport | Dispatcher;

/**
 * Where `@switchboard/testing`'s `installReplay()` puts a dispatcher that every default (undici)
 * transport uses instead of the shared pool, so a test intercepts switchboards it did not create.
 * A global symbol rather than a module variable: a test may load core twice (sources and build).
 */
export const DISPATCHER_OVERRIDE: unique symbol = Symbol.for('switchboard.dispatcherOverride');

/** The installed override, if any (one property read per call: the hot path stays cheap). */
function overridden(dispatcher: Dispatcher): Dispatcher {
  return (globalThis as { [DISPATCHER_OVERRIDE]?: Dispatcher })[DISPATCHER_OVERRIDE] ?? dispatcher;
}

/** An undici response as a `TransportResponse` (methods on the prototype: no closures per response). */
class UndiciResponse extends RawHeaderResponse implements TransportResponse {
  readonly body: Dispatcher.ResponseData['body'];

  constructor(res: Dispatcher.ResponseData) {
    super(res.statusCode, res.headers);
    this.body = res.body;
  }

  text(): Promise<string> {
    return this.body.text();
  }

  discard(): void {
    this.body.dump().catch(() => undefined);
  }
}

const toResponse = (res: Dispatcher.ResponseData): TransportResponse => new UndiciResponse(res);

/**
 * A response header by its lower-case name. For the undici transport's responses it is read from
 * undici's raw record: building the WHATWG `Headers` object (every header validated and copied) was
 * ~13 % of the gateway's CPU between a stream's response headers and its first event (issue 11),
 * only to read the content type. Other transports' responses answer through `headers.get`.
 */
export function responseHeader(response: TransportResponse, name: string): string | null {
  return response instanceof RawHeaderResponse ? response.header(name) : response.headers.get(name);
}

/**
 * The fast path: `undici.request` through a shared pool. With `honourOverride` (the default pool) an
 * installed {@link DISPATCHER_OVERRIDE} wins; a dispatcher passed explicitly is always used as is.
 *
 * `dispatcher` may be a function returning it: undici (about a hundred modules) and the pool are then
 * loaded on the first request, not when the switchboard is created, so a process that only queries
 * the catalog never pays for them (issue 13's cold start). Both are kept once resolved: later calls
 * pay two variable reads, no await and no lookup.
 */
export function createUndiciTransport(dispatcher: Dispatcher | (() => Dispatcher), honourOverride = false): Transport {
  let undiciRequest: typeof import('undici').request | undefined;
  let pool: Dispatcher | undefined = typeof dispatcher === 'function' ? undefined : dispatcher;
  const current = (): Dispatcher => {
    pool ??= (dispatcher as () => Dispatcher)();
    return honourOverride ? overridden(pool) : pool;
  };
  const transport: Transport = (req) => {
    try {
      undiciRequest ??= loadUndici().request;
      return undiciRequest(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: current(),
        signal: req.signal,
      }).then(toResponse);
    } catch (error) {
      // Bad arguments throw synchronously in undici: reject, as an async transport would.
      return Promise.reject(error);
    }
  };
  // Whole-body calls skip undici's response stream (whole-body.ts): same dispatcher, same override.
  return withWholeBody(transport, createWholeBodyTransport(current));
}

const EMPTY_BODY: AsyncIterable<Uint8Array> = {
  async *[Symbol.asyncIterator]() {},
};

/** Sends through a WHATWG fetch (the global one by default): slower, but interceptable. */
export function createFetchTransport(fetchImplementation?: typeof globalThis.fetch): Transport {
  return async (req) => {
    const doFetch = fetchImplementation ?? globalThis.fetch;
    const res = await doFetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
    });
    const stream = res.body;
    return {
      status: res.status,
      headers: res.headers,
      body: stream === null ? EMPTY_BODY : (stream as unknown as AsyncIterable<Uint8Array>),
      fromCache: res.headers.get(TEST_CACHE_HEADER) === 'test' ? 'test' : undefined,
      text: () => res.text(),
      discard: () => {
        stream?.cancel().catch(() => undefined);
      },
    };
  };
}
