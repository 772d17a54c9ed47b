/**
 * Sends one HTTP request for a call and turns every failure into a core error: connection problems
 * and timeouts through `toTransportError`, HTTP error statuses through the adapter's `parseError`
 * (which applies the catalog's error rules). Keys are scrubbed from every error on the way out.
 */

import { InvalidResponseError, ProviderError, SwitchboardError } from '../errors/errors.js';
import { redactCallError } from '../errors/redact.js';
import type { ProtocolAdapter } from '../protocols/adapter.js';
import { invalidResponse } from '../protocols/shared/invalid-response.js';
import type { CallContext, HttpRequestSpec } from '../types/protocol.js';
import { type CallSignal, toTransportError } from './call-signal.js';
import type { Transport, TransportResponse } from './transport.js';
import type { WholeBodyResponse } from './whole-body.js';
import { type WholeBodyTransport, wholeBodyOf } from './whole-body-transport.js';

/** Fills the provider, model and request id an adapter left out of an error. */
export function decorateError<E>(error: E, ctx: CallContext, requestId?: string): E {
  if (error instanceof SwitchboardError) {
    const writable = error as { provider?: string; model?: string; requestId?: string };
    writable.provider ??= ctx.descriptor.id;
    writable.model ??= ctx.modelId;
    if (requestId !== undefined) writable.requestId ??= requestId;
  }
  return redactCallError(error, ctx);
}

function requestIdOf(headers: Headers): string | undefined {
  return (
    headers.get('x-request-id') ??
    headers.get('request-id') ??
    headers.get('x-amzn-requestid') ??
    headers.get('cf-ray') ??
    undefined
  );
}

/** What an error built from a response reads of it: the status and the headers. */
type ResponseHead = Pick<TransportResponse, 'status' | 'headers'>;

/** Rejects with the core error for a non-2xx response (the adapter's `parseError` applied to its body). */
async function failHttp(
  response: TransportResponse,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
  call: CallSignal,
): Promise<never> {
  let bodyText = '';
  try {
    bodyText = await response.text();
  } catch (error) {
    throw decorateError(toTransportError(error, call, { provider: ctx.descriptor.id, model: ctx.modelId }), ctx);
  }
  throw httpError(response, bodyText, adapter, ctx);
}

/** The core error for a non-2xx response whose body has been read. */
function httpError(
  response: ResponseHead,
  bodyText: string,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
): unknown {
  let error: SwitchboardError;
  try {
    error = adapter.parseError(ctx, response.status, response.headers, bodyText);
  } catch (cause) {
    error = new ProviderError(`HTTP ${response.status} from ${ctx.descriptor.id}`, { status: response.status, cause });
  }
  return decorateError(error, ctx, requestIdOf(response.headers));
}

function transportFailure(error: unknown, ctx: CallContext, call: CallSignal): unknown {
  return decorateError(toTransportError(error, call, { provider: ctx.descriptor.id, model: ctx.modelId }), ctx);
}

/** Sends the request; resolves with a 2xx response whose body is unread, rejects with a core error otherwise. */
export async function sendHttp(
  transport: Transport,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
  spec: HttpRequestSpec,
  call: CallSignal,
): Promise<TransportResponse> {
  let response: TransportResponse;
  try {
    response = await transport(call.signal === undefined ? spec : { ...spec, signal: call.signal });
  } catch (error) {
    throw transportFailure(error, ctx, call);
  }
  if (response.status >= 200 && response.status < 300) return response;
  return failHttp(response, adapter, ctx, call);
}

/**
 * `sendHttp`, `readJsonBody` and the adapter's parser in one step (async layers are what a call's
 * overhead is mostly made of): resolves with `parse(body)` of a 2xx response; a parser's error is
 * decorated like any other. A transport with a whole-body door (the undici one) is sent through
 * it: no response stream is built for a body that is read whole anyway.
 */
export function sendForJson<T>(
  transport: Transport,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
  spec: HttpRequestSpec,
  call: CallSignal,
  parse: (body: unknown) => T,
): Promise<T> {
  const wholeBody = wholeBodyOf(transport);
  return wholeBody === undefined
    ? sendAndReadForJson(transport, adapter, ctx, spec, call, parse)
    : sendWholeForJson(wholeBody, adapter, ctx, spec, call, parse);
}

/** `sendForJson` through a whole-body transport: the body arrives with the status. */
async function sendWholeForJson<T>(
  wholeBody: WholeBodyTransport,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
  spec: HttpRequestSpec,
  call: CallSignal,
  parse: (body: unknown) => T,
): Promise<T> {
  let response: WholeBodyResponse;
  try {
    response = await wholeBody(spec, call.signal);
  } catch (error) {
    throw transportFailure(error, ctx, call);
  }
  if (response.status < 200 || response.status >= 300) throw httpError(response, response.text, adapter, ctx);
  return parseResponse(response, response.text, ctx, parse);
}

/** `sendForJson` through any transport: the response first, then its body. */
async function sendAndReadForJson<T>(
  transport: Transport,
  adapter: Pick<ProtocolAdapter, 'parseError'>,
  ctx: CallContext,
  spec: HttpRequestSpec,
  call: CallSignal,
  parse: (body: unknown) => T,
): Promise<T> {
  let response: TransportResponse;
  try {
    response = await transport(call.signal === undefined ? spec : { ...spec, signal: call.signal });
  } catch (error) {
    throw transportFailure(error, ctx, call);
  }
  if (response.status < 200 || response.status >= 300) return failHttp(response, adapter, ctx, call);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw transportFailure(error, ctx, call);
  }
  return parseResponse(response, text, ctx, parse);
}

/** `parse` of a 2xx body's JSON, its errors decorated, the test cache's mark carried over. */
function parseResponse<T>(
  response: ResponseHead & { readonly fromCache?: 'test' | undefined },
  text: string,
  ctx: CallContext,
  parse: (body: unknown) => T,
): T {
  const body = parseJsonBody(text, response, ctx);
  let parsed: T;
  try {
    parsed = parse(body);
  } catch (error) {
    throw decorateError(withHttpFacts(error, ctx, response, text), ctx, requestIdOf(response.headers));
  }
  // A test-cache answer says so on the parsed result (an object for every caller), for the response.
  const fromCache = response.fromCache;
  if (fromCache !== undefined) (parsed as { fromCache?: 'test' }).fromCache = fromCache;
  return parsed;
}

/**
 * The JSON of a 2xx body. An empty body, or one that is not JSON (a proxy's HTML page, a truncated
 * answer), is `invalid-response` with the status, content type and first characters: every caller
 * needs a body, and a retry or another target may well give a proper one.
 */
function parseJsonBody(text: string, response: ResponseHead, ctx: CallContext): unknown {
  let problem: string;
  let cause: unknown;
  try {
    if (text.trim() !== '') return JSON.parse(text);
    problem = 'the body is empty';
  } catch (error) {
    problem = 'the body is not JSON';
    cause = error;
  }
  throw decorateError(
    invalidResponse(ctx, problem, {
      status: response.status,
      contentType: response.headers.get('content-type'),
      bodyText: text,
      cause,
    }),
    ctx,
    requestIdOf(response.headers),
  );
}

/**
 * Adds what the adapter's parser cannot know (status, content type, first characters of the body)
 * to an `invalid-response` it threw. Runs only when a parse fails, so the success path reads no
 * headers.
 */
function withHttpFacts(error: unknown, ctx: CallContext, response: ResponseHead, text: string): unknown {
  if (!(error instanceof InvalidResponseError) || error.status !== undefined) return error;
  const prefix = `Provider '${ctx.descriptor.id}' sent an invalid response: `;
  const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return invalidResponse(ctx, problem, {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bodyText: text,
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}

/**
 * Reads a whole JSON body and applies `parse` to it, mapping a cut connection, bad JSON or a body of
 * the wrong shape to core errors (for callers that sent the request with `sendHttp`).
 */
export async function readJsonBody<T>(
  response: TransportResponse,
  ctx: CallContext,
  call: CallSignal,
  parse: (body: unknown) => T,
): Promise<T> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw transportFailure(error, ctx, call);
  }
  const body = parseJsonBody(text, response, ctx);
  try {
    return parse(body);
  } catch (error) {
    throw decorateError(withHttpFacts(error, ctx, response, text), ctx, requestIdOf(response.headers));
  }
}
