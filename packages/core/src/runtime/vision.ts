/**
 * Helpers for the most common vision calls, so users need not assemble content parts by hand:
 * a message with images, "read the text in this image", and "answer this about these images".
 */
import type { ChatResponse, ImagePart, ModelRef, UserMessage } from './types.js';

/** An image source as the helpers accept it: a path, URL, data URL, bytes, or a ready part. */
export type ImageSource = string | URL | Uint8Array | ImagePart;

function toPart(source: ImageSource, detail: ImagePart['detail'] | undefined): ImagePart {
  const part: ImagePart =
    typeof source === 'object' && !(source instanceof URL) && !(source instanceof Uint8Array)
      ? { ...source }
      : { type: 'image', image: source };
  if (detail !== undefined && part.detail === undefined) part.detail = detail;
  return part;
}

/** A user message with a text and one or more images (files are read when the call is made). */
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

/** Reads the text in an image (OCR by a vision model). Fails before any request if the model lacks vision. */
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

/** Asks one question about several images in a single call and returns the whole response. */
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
