/**
 * What a string (or URL object) in an image or file part may be: an `http(s)` URL the provider
 * fetches, or a `data:` URL carrying the bytes. Nothing else. A bare string used to be read from
 * disk when it was not a URL, so any text that reached a message ('/proc/self/environ',
 * '../../.env', 'file:///etc/passwd') was uploaded to the provider; local files now come only
 * through the explicit `path` part form and `imageFromFile`.
 */
import { InvalidRequestError } from '../errors/errors.js';

/** A remote image the provider (or, for protocols that need bytes, the runtime) fetches. */
export interface RemoteMedia {
  kind: 'url';
  url: string;
}

/** Inline bytes from a `data:` URL, still base64 (never decoded here). */
export interface InlineMedia {
  kind: 'data';
  /** The type the data URL declares, if any. */
  mediaType: string | undefined;
  base64: string;
}

export type MediaSource = RemoteMedia | InlineMedia;

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const PREVIEW_CHARS = 60;

/** A short, single-line quote of user input for an error message (inputs can be megabytes). */
export function previewValue(value: string): string {
  const line = value.replace(/[\r\n\t]/g, ' ');
  return JSON.stringify(line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line);
}

function refuse(field: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`${field}: ${message}`, { retryable: false });
}

/**
 * Bytes that a base64 text of this length holds (padding and whitespace-free input assumed; an
 * upper bound otherwise), so a size cap is checked before anything is decoded.
 */
export function base64ByteLength(base64: string): number {
  let padding = 0;
  if (base64.endsWith('==')) padding = 2;
  else if (base64.endsWith('=')) padding = 1;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * Splits a `data:` URL into its declared type and base64 payload (percent-encoded payloads are
 * re-encoded as base64). `maxBytes` is checked on the text's length first, so an oversized payload
 * is refused without being copied or decoded.
 */
export function parseDataUrl(text: string, field: string, maxBytes: number): InlineMedia {
  const comma = text.indexOf(',');
  if (comma < 0) throw refuse(field, 'malformed data URL (no comma before the payload)');
  const params = text.slice(5, comma).split(';');
  const declared = params[0]?.includes('/') ? params[0].trim().toLowerCase() : undefined;
  const isBase64 = params.slice(1).some((param) => param.trim().toLowerCase() === 'base64');
  const payloadChars = text.length - comma - 1;
  const bound = isBase64 ? Math.floor((payloadChars * 3) / 4) : payloadChars;
  if (bound > maxBytes + 2) throw tooLarge(field, bound, maxBytes);
  let base64: string;
  if (isBase64) base64 = text.slice(comma + 1);
  else {
    try {
      base64 = Buffer.from(decodeURIComponent(text.slice(comma + 1))).toString('base64');
    } catch (cause) {
      throw new InvalidRequestError(`${field}: malformed percent-encoding in data URL`, { cause, retryable: false });
    }
  }
  const size = base64ByteLength(base64);
  if (size > maxBytes) throw tooLarge(field, size, maxBytes);
  return { kind: 'data', mediaType: declared, base64 };
}

/** The error for input over a size cap, with both sizes. */
export function tooLarge(field: string, size: number, maxBytes: number): InvalidRequestError {
  return refuse(field, `${formatBytes(size)} is over the limit of ${formatBytes(maxBytes)} for this model`);
}

/** Bytes in the largest whole unit, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB (${bytes} bytes)`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB (${bytes} bytes)`;
  return `${bytes} bytes`;
}

/**
 * Classifies the string or URL of an image or file part. `http:`/`https:` give a remote source,
 * `data:` an inline one; paths, `file:`, `ftp:`, `javascript:` and the rest are an
 * InvalidRequestError naming `field` (`messages[2].content[1].image`).
 */
export function classifyMediaUrl(value: string | URL, field: string, maxBytes: number): MediaSource {
  const text = value instanceof URL ? value.href : value;
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'data') return parseDataUrl(text, field, maxBytes);
  if (scheme === 'http' || scheme === 'https') {
    if (!URL.canParse(text)) throw refuse(field, `malformed URL ${previewValue(text)}`);
    return { kind: 'url', url: text };
  }
  const what = scheme === undefined || scheme.length === 1 ? 'a file path' : `a '${scheme}:' URL`;
  throw refuse(
    field,
    `${previewValue(text)} looks like ${what}; only http:, https: and data: URLs are accepted here. ` +
      "To send a local file, use { type: 'image', path } / { type: 'file', path } or imageFromFile(path).",
  );
}
