/**
 * A recorded response as both doors send it: status, headers and the body in pieces. Recorded
 * chunks keep the boundaries the provider used; `chunkSize` cuts any body into small pieces so
 * stream decoders meet lines and frames split across reads, as they do on a real network.
 */
import type { RecordedResponse } from '../exchange.js';

/** What a door writes back. */
export interface ResponseParts {
  status: number;
  /** Lower-cased names; hop-by-hop and length headers dropped (the body may be re-chunked). */
  headers: Record<string, string>;
  chunks: Uint8Array[];
}

const DROPPED_HEADERS = new Set([
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

const encoder = new TextEncoder();

function split(bytes: Uint8Array, size: number | undefined): Uint8Array[] {
  if (size === undefined || size <= 0 || bytes.length <= size) return bytes.length === 0 ? [] : [bytes];
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

/** The parts of a recorded response, the body cut in `chunkSize`-byte pieces when given. */
export function responseParts(recorded: RecordedResponse, chunkSize?: number): ResponseParts {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded.headers ?? {}))
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  let chunks: Uint8Array[];
  if (recorded.chunks !== undefined)
    chunks = recorded.chunks.flatMap((chunk) => split(encoder.encode(chunk), chunkSize));
  else if (recorded.bodyBase64 !== undefined)
    chunks = split(new Uint8Array(Buffer.from(recorded.bodyBase64, 'base64')), chunkSize);
  else if (recorded.bodyText !== undefined) chunks = split(encoder.encode(recorded.bodyText), chunkSize);
  else if (recorded.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    chunks = split(encoder.encode(JSON.stringify(recorded.body)), chunkSize);
  } else chunks = [];
  return { status: recorded.status ?? 200, headers, chunks };
}
