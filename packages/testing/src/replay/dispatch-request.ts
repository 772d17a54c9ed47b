/**
 * What an undici interceptor is handed, read the way the replay engine compares requests: header
 * names lower-cased from any of undici's header shapes, and the body as text. Shared by the replay
 * door and the test cache, which both answer requests before any network dispatcher sees them.
 */
import type { Dispatcher } from 'undici';

type HeaderInput = Dispatcher.DispatchOptions['headers'];

/** undici accepts headers as a record, a flat `[name, value, ...]` array or an iterable of pairs. */
export function headerRecord(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers == null) return out;
  const add = (name: unknown, value: unknown) => {
    if (value === undefined || value === null) return;
    out[String(name).toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0]))
      for (const [name, value] of headers as unknown as [string, string][]) add(name, value);
    else for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i], headers[i + 1]);
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, string]>) add(name, value);
  } else for (const [name, value] of Object.entries(headers)) add(name, value);
  return out;
}

const decoder = new TextDecoder();

/** The request body as text (undici bodies: string, bytes, or an async iterable of either). */
export async function bodyText(body: Dispatcher.DispatchOptions['body']): Promise<string> {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const parts: Buffer[] = [];
    for await (const part of body as AsyncIterable<string | Uint8Array>)
      parts.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part));
    return Buffer.concat(parts).toString('utf8');
  }
  throw new TypeError(`replay: unsupported request body type ${Object.prototype.toString.call(body)}`);
}

/** The full URL of a dispatched request. */
export function dispatchUrl(options: Dispatcher.DispatchOptions): string {
  return new URL(options.path, String(options.origin)).toString();
}
