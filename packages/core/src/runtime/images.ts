/**
 * Resolves the image forms users pass (URL, data URL, bytes, file path) into what adapters send:
 * a URL the provider fetches itself, or base64 bytes with a media type taken from the bytes.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InvalidRequestError } from './errors.js';
import { detectMediaType, mediaTypeFromExtension } from './media-type.js';
import type { ImagePart } from './types.js';

/** An image ready for an adapter: `url` for remote images, `data` (base64, no prefix) otherwise. */
export interface LoadedImage {
  url?: string;
  data?: string;
  mediaType: string;
}

const DATA_URL = /^data:([^;,]+)?(;base64)?,(.*)$/s;

function fromBytes(bytes: Uint8Array, hint: string | undefined, declared: string | undefined): LoadedImage {
  const mediaType =
    declared ??
    detectMediaType(bytes) ??
    (hint === undefined ? undefined : mediaTypeFromExtension(hint)) ??
    'application/octet-stream';
  return { data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), mediaType };
}

async function readPath(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new InvalidRequestError(`Cannot read image file '${path}'`, { cause, retryable: false });
  }
}

/**
 * Loads an image from any supported source. Remote `http(s)` URLs are not downloaded: providers
 * fetch them, and the adapter downloads only when its protocol needs bytes.
 */
export async function loadImage(source: string | URL | Uint8Array, mediaType?: string): Promise<LoadedImage> {
  if (source instanceof Uint8Array) return fromBytes(source, undefined, mediaType);
  const text = source instanceof URL ? source.href : source;
  if (text.startsWith('data:')) {
    const match = DATA_URL.exec(text);
    if (match === null) throw new InvalidRequestError('Malformed data URL for image', { retryable: false });
    const base64 =
      match[2] !== undefined ? (match[3] ?? '') : Buffer.from(decodeURIComponent(match[3] ?? '')).toString('base64');
    const declared = mediaType ?? match[1];
    if (declared !== undefined) return { data: base64, mediaType: declared };
    return fromBytes(Buffer.from(base64, 'base64'), undefined, undefined);
  }
  if (text.startsWith('http://') || text.startsWith('https://')) {
    return { url: text, mediaType: mediaType ?? mediaTypeFromExtension(text) ?? 'image/jpeg' };
  }
  const path = text.startsWith('file:') ? fileURLToPath(text) : text;
  return fromBytes(await readPath(path), path, mediaType);
}

/** Reads an image file into an `ImagePart` (bytes plus the media type detected from them). */
export async function imageFromFile(path: string, options: { detail?: ImagePart['detail'] } = {}): Promise<ImagePart> {
  const bytes = await readPath(path);
  const part: ImagePart = {
    type: 'image',
    image: bytes,
    mediaType: detectMediaType(bytes) ?? mediaTypeFromExtension(path) ?? 'application/octet-stream',
  };
  if (options.detail !== undefined) part.detail = options.detail;
  return part;
}
