/**
 * Helpers for the most common vision calls, so users need not assemble content parts by hand:
 * a message with images, "read the text in this image", and "answer this about these images".
 *
 * These helpers are an explicit file API: a string that is not an `http:`, `https:` or `data:` URL
 * is taken as a local file path (and a `file:` URL as its path) and becomes a `{ type: 'image',
 * path }` part, read when the call is made under the file rules (regular files only, the model's
 * size limit, PNG/JPEG/GIF/WebP bytes). Never pass text from an untrusted source here as an image;
 * build `{ type: 'image', image: url }` parts instead, which accept URLs only.
 */
import { fileURLToPath } from 'node:url';
import type { ChatResponse, ImagePart, ModelRef, UserMessage } from '../types/requests.js';

/** An image source as the helpers accept it: a file path, URL, data URL, bytes, or a ready part. */
export type ImageSource = string | URL | Uint8Array | ImagePart;

const URL_SCHEMES = /^(https?|data):/i;

function toPart(source: ImageSource, detail: ImagePart['detail'] | undefined): ImagePart {
  let part: ImagePart;
  if (typeof source === 'string') {
    if (URL_SCHEMES.test(source)) part = { type: 'image', image: source };
    else part = { type: 'image', path: /^file:/i.test(source) ? fileURLToPath(source) : source };
  } else if (source instanceof URL)
    part =
      source.protocol === 'file:' ? { type: 'image', path: fileURLToPath(source) } : { type: 'image', image: source };
  else if (source instanceof Uint8Array) part = { type: 'image', image: source };
  else part = { ...source };
  if (detail !== undefined && part.detail === undefined) part.detail = detail;
  return part;
}

/**
 * A user message with a text and one or more images. Strings that are not http(s) or data URLs
 * are local file paths, read when the call is made (see the module comment for the rules).
 */
export function visionMessage(
  text: string,
  images: ImageSource | readonly ImageSource[],
  options: { detail?: ImagePart['detail'] } = {},
): UserMessage {
  const list = Array.isArray(images) ? (images as readonly ImageSource[]) : [images as ImageSource];
  return { role: 'user', content: [{ type: 'text', text }, ...list.map((image) => toPart(image, options.detail))] };
}

/** The part of a switchboard the helpers use. */
export interface ChatCapable {
  chat(request: {
    model: ModelRef;
    messages: UserMessage[];
    maxTokens?: number;
    temperature?: number;
  }): Promise<ChatResponse>;
}

const EXTRACT_PROMPT =
  'Transcribe all text visible in this image exactly, preserving line breaks and reading order. Reply with the text only, without commentary.';

/**
 * Reads the text in an image (OCR by a vision model). Fails before any request if the model lacks
 * vision. A string image that is not a URL is a local file path, as in `visionMessage`.
 */
export async function extractText(
  sb: ChatCapable,
  options: { model: ModelRef; image: ImageSource; prompt?: string; detail?: ImagePart['detail']; maxTokens?: number },
): Promise<string> {
  const request: Parameters<ChatCapable['chat']>[0] = {
    model: options.model,
    messages: [visionMessage(options.prompt ?? EXTRACT_PROMPT, options.image, { detail: options.detail ?? 'high' })],
    temperature: 0,
  };
  if (options.maxTokens !== undefined) request.maxTokens = options.maxTokens;
  return (await sb.chat(request)).text.trim();
}

/** Asks one question about several images in a single call (paths read as in `visionMessage`). */
export async function analyzeImages(
  sb: ChatCapable,
  options: {
    model: ModelRef;
    images: readonly ImageSource[];
    prompt: string;
    detail?: ImagePart['detail'];
    maxTokens?: number;
  },
): Promise<ChatResponse> {
  const request: Parameters<ChatCapable['chat']>[0] = {
    model: options.model,
    messages: [
      visionMessage(options.prompt, options.images, options.detail === undefined ? {} : { detail: options.detail }),
    ],
  };
  if (options.maxTokens !== undefined) request.maxTokens = options.maxTokens;
  return sb.chat(request);
}
