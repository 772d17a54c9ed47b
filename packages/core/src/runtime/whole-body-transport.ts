/**
 * The undici transport's second door, for calls that want the whole body (non-streamed chat,
 * embeddings): it resolves with the body's text instead of a response to read (see whole-body.ts
 * for why). It hangs off the `Transport` function under a module-private symbol, non-enumerable,
 * so the `Transport` type and every transport a user passes stay as they are: `sendForJson` takes
 * this door when the transport has one and the ordinary `Transport` call otherwise (fetch
 * transports, custom ones, a transport wrapped by a caller).
 */
import type { Dispatcher } from 'undici';
import type { HttpRequestSpec } from '../types/protocol.js';
import { loadUndici } from './dispatcher.js';
import { dispatchWholeBody, type WholeBodyResponse } from './whole-body.js';

/**
 * Sends one request and reads its whole body. HTTP error statuses resolve (with their body);
 * connection failures, and the signal's abort, reject. The signal is an argument of its own: no
 * copy of the request per call to carry it.
 */
export type WholeBodyTransport = (
  request: HttpRequestSpec,
  signal: AbortSignal | undefined,
) => Promise<WholeBodyResponse>;

const WHOLE_BODY: unique symbol = Symbol('switchboard.wholeBodyTransport');

type WithWholeBody = { [WHOLE_BODY]?: WholeBodyTransport };

/** Attaches `wholeBody` to `transport` (non-enumerable) and returns `transport`. */
export function withWholeBody<T extends object>(transport: T, wholeBody: WholeBodyTransport): T {
  Object.defineProperty(transport, WHOLE_BODY, { value: wholeBody });
  return transport;
}

/** The whole-body door of `transport`, when it has one. */
export function wholeBodyOf(transport: object): WholeBodyTransport | undefined {
  return (transport as WithWholeBody)[WHOLE_BODY];
}

/** A URL as undici's dispatch takes it. */
interface SplitURL {
  origin: string;
  path: string;
}

/** Most URLs remembered per transport: a switchboard calls a few endpoints (chat, embeddings) per provider. */
const SPLIT_URLS_MAX = 256;

/**
 * A whole-body transport over the dispatcher `current()` returns at each call (the shared pool,
 * or the test override installed in its place). The URL is split into origin and path as
 * `undici.request()` splits it, with the same refusal of a protocol other than http and https.
 * A split is remembered per URL string: a provider's endpoints are the same on every call, and
 * parsing a URL was a measurable part of a call's own time in the gateway's profile.
 */
export function createWholeBodyTransport(current: () => Dispatcher): WholeBodyTransport {
  const splits = new Map<string, SplitURL>();
  const split = (href: string): SplitURL => {
    let known = splits.get(href);
    if (known === undefined) {
      const url = new URL(href);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new (loadUndici().errors.InvalidArgumentError)(
          'Invalid URL protocol: the URL must start with `http:` or `https:`.',
        );
      }
      known = { origin: url.origin, path: url.pathname + url.search };
      if (splits.size >= SPLIT_URLS_MAX) splits.clear();
      splits.set(href, known);
    }
    return known;
  };
  return (request, signal) => {
    try {
      const { origin, path } = split(request.url);
      return dispatchWholeBody(current(), {
        origin,
        path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
      });
    } catch (error) {
      // A bad URL throws here, as it throws synchronously in undici: reject, as an async transport would.
      return Promise.reject(error);
    }
  };
}
