/**
 * Resolves the image forms users pass into what adapters send: an `http(s)` URL the provider
 * fetches itself, or base64 bytes whose type is taken from the bytes. Every form is untrusted
 * input: a string is a URL (`http:`, `https:`, `data:`) and never a path; local files come only
 * from the explicit `{ type: 'image', path }` part and `imageFromFile`, read as regular files under
 * a size cap; bytes of every origin must be PNG, JPEG, GIF or WebP and within the model's limit.
 */
import { InvalidRequestError } from '../errors/errors.js';
import type { ImagePart } from '../types/requests.js';
import { fetchImage } from './image-fetch.js';
import { readLocalFile } from './local-file.js';
import { defaultMediaRules, type MediaRules } from './media-rules.js';
import { classifyMediaUrl, tooLarge } from './media-source.js';
import { ACCEPTED_IMAGE_TYPES, mediaTypeFromExtension, sniffMediaType } from './media-type.js';

/** An image ready for an adapter: `url` for remote images, `data` (base64, no prefix) otherwise. */
export interface LoadedImage {
  url?: string;
  data?: string;
  mediaType: string;
}

/** Base64 characters enough for every magic number `detectMediaType` and the text check look at. */
const SNIFF_BASE64_CHARS = 4096;

/** The type of base64 bytes from their first characters (nothing else is decoded). */
export function sniffBase64(base64: string): string {
  const head = base64.slice(0, SNIFF_BASE64_CHARS);
  return sniffMediaType(Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64'));
}

/** Returns the sniffed type when it is an image type the protocols accept; refuses naming it otherwise. */
export function acceptImageType(sniffed: string, field: string): string {
  if (ACCEPTED_IMAGE_TYPES.has(sniffed)) return sniffed;
  throw new InvalidRequestError(
    `${field}: the bytes are ${sniffed}, not an image type the model accepts (PNG, JPEG, GIF or WebP)`,
    { retryable: false },
  );
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Checks bytes already in memory (size, type) and encodes them. */
function fromBytes(bytes: Uint8Array, rules: MediaRules, field: string): LoadedImage {
  if (bytes.byteLength > rules.maxImageBytes) throw tooLarge(field, bytes.byteLength, rules.maxImageBytes);
  return { data: toBase64(bytes), mediaType: acceptImageType(sniffMediaType(bytes), field) };
}

/** Reads an image file through the guarded reader and checks it. */
export async function loadImageFile(path: string, rules: MediaRules, field: string): Promise<LoadedImage> {
  const bytes = await readLocalFile(path, { maxBytes: rules.maxImageBytes, signal: rules.signal, field });
  return fromBytes(bytes, rules, field);
}

/**
 * Resolves an image source under `rules`. `field` names the source in errors
 * (`messages[2].content[1].image`). Remote URLs are passed on as they are, unless the protocol
 * needs bytes (`rules.downloadImageUrls`): then they are downloaded with the guards of
 * `image-fetch.ts`.
 */
export async function resolveImage(
  source: string | URL | Uint8Array,
  declaredType: string | undefined,
  rules: MediaRules,
  field: string,
): Promise<LoadedImage> {
  if (source instanceof Uint8Array) return fromBytes(source, rules, field);
  if (typeof source !== 'string' && !(source instanceof URL))
    throw new InvalidRequestError(`${field}: must be a URL string, a URL object or bytes (Uint8Array)`, {
      retryable: false,
    });
  const classified = classifyMediaUrl(source, field, rules.maxImageBytes);
  if (classified.kind === 'data')
    return { data: classified.base64, mediaType: acceptImageType(sniffBase64(classified.base64), field) };
  if (!rules.downloadImageUrls)
    return { url: classified.url, mediaType: declaredType ?? mediaTypeFromExtension(classified.url) ?? 'image/jpeg' };
  const fetched = await fetchImage(classified.url, {
    maxBytes: rules.maxImageBytes,
    signal: rules.signal,
    allowPrivate: rules.allowPrivateImageUrls,
    field,
  });
  return fromBytes(fetched.bytes, rules, field);
}

/**
 * Loads an image from a URL, a data URL or bytes, checked as a call would (20 MB unless
 * `maxBytes` says otherwise). Remote `http(s)` URLs are not downloaded. A file path is refused:
 * read local files with `imageFromFile`.
 */
export async function loadImage(
  source: string | URL | Uint8Array,
  mediaType?: string,
  options: { maxBytes?: number; signal?: AbortSignal } = {},
): Promise<LoadedImage> {
  return resolveImage(source, mediaType, defaultMediaRules(options), 'image');
}

/**
 * Reads a local image file into an `ImagePart` (bytes plus the type detected from them). This is
 * the explicit way to send a file: only a regular file is read (no devices, FIFOs, /proc or /sys),
 * at most `maxBytes` (default 20 MB; a call still applies the model's own limit), and its bytes
 * must be PNG, JPEG, GIF or WebP.
 */
export async function imageFromFile(
  path: string,
  options: { detail?: ImagePart['detail']; maxBytes?: number; signal?: AbortSignal } = {},
): Promise<ImagePart> {
  const rules = defaultMediaRules(options);
  const bytes = await readLocalFile(path, { maxBytes: rules.maxImageBytes, signal: rules.signal, field: 'path' });
  const part: ImagePart = { type: 'image', image: bytes, mediaType: acceptImageType(sniffMediaType(bytes), 'path') };
  if (options.detail !== undefined) part.detail = options.detail;
  return part;
}
