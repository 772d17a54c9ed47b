/**
 * File parts (PDFs and text documents) as untrusted input, the counterpart of images.ts: `data`
 * is bytes, base64 or a `data:` URL (never a path), `path` is read through the guarded reader, and
 * every form is held to the model's file size limit and checked by its bytes: a PDF needs a model
 * that takes PDFs, a file from `path` must be a PDF or UTF-8 text, and bytes that are a known type
 * (an image, a PDF) must be what the part declares.
 */
import { basename } from 'node:path';
import { InvalidRequestError, UnsupportedCapabilityError } from '../errors/errors.js';
import type { PreparedPart } from '../types/protocol.js';
import type { FilePart } from '../types/requests.js';
import { sniffBase64 } from './images.js';
import { readLocalFile } from './local-file.js';
import type { MediaRules } from './media-rules.js';
import { base64ByteLength, classifyMediaUrl, previewValue, tooLarge } from './media-source.js';
import { sniffMediaType } from './media-type.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function refuse(field: string, message: string): InvalidRequestError {
  return new InvalidRequestError(`${field}: ${message}`, { retryable: false });
}

/**
 * The media type to send for bytes sniffed as `sniffed`: a PDF when the model takes PDFs; text
 * under its declared type (default `text/plain`); for inline data, an unrecognised binary under its declared
 * type (office formats and the like, left to the adapter); never bytes that contradict a declared
 * PDF or image type.
 */
function documentType(
  sniffed: string,
  declared: string | undefined,
  fromPath: boolean,
  rules: MediaRules,
  field: string,
): string {
  const claimed = declared?.toLowerCase();
  if (sniffed === 'application/pdf') {
    if (!rules.acceptsPdf)
      throw new UnsupportedCapabilityError('pdf-input', `${field}: a PDF needs a model that takes PDF input`);
    return sniffed;
  }
  const claimsKnown = claimed !== undefined && (claimed === 'application/pdf' || claimed.startsWith('image/'));
  if (sniffed === 'text/plain' && !claimsKnown) return claimed ?? 'text/plain';
  const knownBinary = sniffed !== 'application/octet-stream';
  if (!fromPath && !knownBinary && claimed !== undefined && !claimsKnown) return claimed;
  throw refuse(
    field,
    `the bytes are ${sniffed}${claimed === undefined ? '' : ` (declared ${claimed})`}; a file must be a PDF or a text document`,
  );
}

function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64 of the part's `data` (bytes, a data URL, or base64 text), size-checked before decoding. */
function inlineBase64(data: unknown, rules: MediaRules, field: string): string {
  if (data instanceof Uint8Array) {
    if (data.byteLength > rules.maxFileBytes) throw tooLarge(field, data.byteLength, rules.maxFileBytes);
    return base64Of(data);
  }
  if (data instanceof URL) {
    const classified = classifyMediaUrl(data, field, rules.maxFileBytes);
    if (classified.kind === 'data') return classified.base64;
    throw refuse(field, 'a file part takes bytes, base64 or a data: URL, not an http(s) URL');
  }
  if (typeof data !== 'string') throw refuse(field, 'must be bytes (Uint8Array), base64 text or a data: URL');
  if (/^data:/i.test(data)) {
    const classified = classifyMediaUrl(data, field, rules.maxFileBytes);
    return classified.kind === 'data' ? classified.base64 : '';
  }
  // Plain base64 (the long-standing form). Anything else, a path or another URL, goes through the
  // URL classifier, which refuses it with the reason.
  if (data.length % 4 === 0 && BASE64.test(data)) {
    const size = base64ByteLength(data);
    if (size > rules.maxFileBytes) throw tooLarge(field, size, rules.maxFileBytes);
    return data;
  }
  const classified = classifyMediaUrl(data, field, rules.maxFileBytes);
  if (classified.kind === 'url')
    throw refuse(field, `${previewValue(data)}: a file part takes bytes, base64 or a data: URL, not an http(s) URL`);
  return classified.base64;
}

/** Prepares a file part (`fromPath`: it has `path`, else `data`). */
export async function prepareDocument(
  part: FilePart,
  fromPath: boolean,
  rules: MediaRules,
  field: string,
): Promise<PreparedPart> {
  let data: string;
  let mediaType: string;
  let filename = part.filename;
  if (fromPath) {
    const path = part.path as string;
    const bytes = await readLocalFile(path, {
      maxBytes: rules.maxFileBytes,
      signal: rules.signal,
      field: `${field}.path`,
    });
    mediaType = documentType(sniffMediaType(bytes), part.mediaType, true, rules, `${field}.path`);
    data = base64Of(bytes);
    filename ??= basename(path);
  } else {
    if (part.mediaType === undefined || part.mediaType === '')
      throw refuse(`${field}.mediaType`, "is required with 'data'");
    data = inlineBase64(part.data, rules, `${field}.data`);
    const sniffed = data.length === 0 ? 'application/x-empty' : sniffBase64(data);
    mediaType = documentType(sniffed, part.mediaType, false, rules, `${field}.data`);
  }
  const out: PreparedPart = { type: 'file', data, mediaType };
  if (filename !== undefined) out.filename = filename;
  return out;
}
