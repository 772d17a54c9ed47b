/**
 * The recorder's undici door: an interceptor (undici's `Dispatcher.compose` API) that lets each
 * request through to a real dispatcher and keeps a copy of the exchange, built exactly like the
 * MSW recorder's (JSON bodies parsed, SSE and NDJSON as the chunks that arrived, binary event
 * streams base64) and redacted before anything is kept.
 */
import type { Dispatcher } from 'undici';
import type { RecordedExchange } from '../exchange.js';
import { redactExchange } from '../redact.js';
import { parseBodyText } from './request-body.js';

/** How a response body is kept, from its content type. */
export function bodyKind(contentType: string): 'binary' | 'chunks' | 'json' | 'text' {
  if (contentType.includes('amazon.eventstream') || contentType.includes('octet-stream')) return 'binary';
  if (contentType.includes('event-stream') || contentType.includes('ndjson')) return 'chunks';
  return contentType.includes('json') ? 'json' : 'text';
}

function stringHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Copies the response as it streams to the caller, then hands the finished exchange on. */
class RecordingHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly pieces: Buffer[] = [];

  constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly request: RecordedExchange['request'],
    private readonly keep: (exchange: RecordedExchange) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[2],
    socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3],
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.handler.onResponseError?.(controller, error);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    this.status = statusCode;
    this.headers = stringHeaders(headers);
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.pieces.push(Buffer.from(chunk));
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[]>): void {
    const kind = bodyKind(this.headers['content-type'] ?? '');
    const response: RecordedExchange['response'] = { status: this.status, headers: this.headers };
    if (kind === 'binary') response.bodyBase64 = Buffer.concat(this.pieces).toString('base64');
    else {
      const decoder = new TextDecoder();
      const chunks = this.pieces.map((piece) => decoder.decode(piece, { stream: true }));
      const rest = decoder.decode();
      if (rest !== '') chunks.push(rest);
      const text = chunks.join('');
      if (kind === 'chunks') response.chunks = chunks.filter((chunk) => chunk !== '');
      else if (kind === 'json' && text !== '') response.body = parseBodyText(text);
      else if (text !== '') response.bodyText = text;
    }
    this.keep({ request: this.request, response });
    this.handler.onResponseEnd?.(controller, trailers);
  }
}

function requestBodyText(body: Dispatcher.DispatchOptions['body']): string | undefined {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return undefined;
}

function requestHeaders(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers == null) return out;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

/**
 * An interceptor that records every exchange passing through, redacted with `secrets`, into `keep`.
 * Streamed request bodies (never sent by core) are recorded without a body.
 */
export function recordInterceptor(
  keep: (exchange: RecordedExchange) => void,
  secrets: readonly string[],
  include?: (url: URL) => boolean,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function recordDispatch(options, handler) {
      const url = new URL(options.path, String(options.origin));
      if (include !== undefined && !include(url)) return dispatch(options, handler);
      const request: RecordedExchange['request'] = {
        method: options.method,
        url: url.toString(),
        headers: requestHeaders(options.headers),
      };
      const text = requestBodyText(options.body);
      const body = text === undefined ? undefined : parseBodyText(text);
      if (body !== undefined) request.body = body;
      const recording = new RecordingHandler(handler, request, (exchange) => keep(redactExchange(exchange, secrets)));
      return dispatch(options, recording);
    };
}
