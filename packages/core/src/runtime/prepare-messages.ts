/**
 * Turns the public message forms into the adapter's `PreparedMessage`s: strings become text parts,
 * images and files are loaded and checked (see images.ts and documents.ts: strings are URLs, local
 * files only through `path`, sizes and types checked), assistant content is flattened. Also reports
 * what the messages need (vision) for the capability check.
 */

import { InvalidRequestError } from '../errors/errors.js';
import type { PreparedMessage, PreparedPart } from '../types/protocol.js';
import type { ContentPart, ImagePart, Message } from '../types/requests.js';
import { prepareDocument } from './documents.js';
import { loadImageFile, resolveImage } from './images.js';
import { defaultMediaRules, type MediaRules } from './media-rules.js';

/** True when any user message carries an image. */
export function messagesHaveImages(messages: readonly Message[]): boolean {
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type === 'image') return true;
  }
  return false;
}

/** `image` or `path`, exactly one; refuses both or neither naming the part. */
function exactlyOne(part: object, source: 'image' | 'data', field: string): 'path' | 'image' | 'data' {
  const hasPath = (part as { path?: unknown }).path !== undefined;
  const hasSource = (part as Record<string, unknown>)[source] !== undefined;
  if (hasPath === hasSource)
    throw new InvalidRequestError(
      `${field}: give exactly one of '${source}' (${source === 'image' ? 'a URL, data URL or bytes' : 'bytes, base64 or a data URL'}) and 'path' (a local file)`,
      { retryable: false },
    );
  return hasPath ? 'path' : source;
}

async function prepareImage(part: ImagePart, rules: MediaRules, field: string): Promise<PreparedPart> {
  const loaded =
    exactlyOne(part, 'image', field) === 'path'
      ? await loadImageFile(part.path as string, rules, `${field}.path`)
      : await resolveImage(part.image as string | URL | Uint8Array, part.mediaType, rules, `${field}.image`);
  const out: PreparedPart = { type: 'image', mediaType: loaded.mediaType };
  if (loaded.url !== undefined) out.url = loaded.url;
  if (loaded.data !== undefined) out.data = loaded.data;
  if (part.detail !== undefined) out.detail = part.detail;
  if (part.cacheControl !== undefined) out.cacheControl = part.cacheControl;
  return out;
}

async function preparePart(part: ContentPart, rules: MediaRules, field: string): Promise<PreparedPart> {
  if (part.type === 'text') return part;
  if (part.type === 'file') {
    const prepared = prepareDocument(part, exactlyOne(part, 'data', field) === 'path', rules, field);
    // A prompt-cache breakpoint stays on the part it marks.
    return part.cacheControl === undefined
      ? prepared
      : prepared.then((document) => ({ ...document, cacheControl: part.cacheControl }) as PreparedPart);
  }
  if (part.type === 'image') return prepareImage(part, rules, field);
  throw new InvalidRequestError(`${field}.type: must be 'text', 'image' or 'file'`, { retryable: false });
}

function assistantText(content: string | { text: string }[] | null): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) text += part.text;
  return text;
}

/**
 * Prepares every message; files are read in parallel under `media` (the call's size caps, types,
 * abort signal; called only when a part needs loading, so text-only calls never build it).
 * Returns the array itself when no part needs loading (text-only messages, the usual call), a
 * promise otherwise.
 */
export function prepareMessages(
  messages: readonly Message[],
  media: () => MediaRules = defaultMediaRules,
): PreparedMessage[] | Promise<PreparedMessage[]> {
  const out: PreparedMessage[] = new Array(messages.length);
  const pending: Promise<void>[] = [];
  let rules: MediaRules | undefined;
  for (let i = 0; i < messages.length; i += 1) {
    const message = messages[i] as Message;
    switch (message.role) {
      case 'system':
        out[i] =
          message.cacheControl === undefined
            ? { role: 'system', content: message.content }
            : { role: 'system', content: message.content, cacheControl: message.cacheControl };
        break;
      case 'user':
        if (typeof message.content === 'string')
          out[i] = { role: 'user', content: [{ type: 'text', text: message.content }] };
        else if (message.content.every((part) => part.type === 'text'))
          out[i] = { role: 'user', content: message.content as PreparedPart[] };
        else {
          rules ??= media();
          const callRules = rules;
          const parts = message.content;
          pending.push(
            Promise.all(parts.map((part, j) => preparePart(part, callRules, `messages[${i}].content[${j}]`))).then(
              (prepared) => {
                out[i] =
                  message.cacheControl === undefined
                    ? { role: 'user', content: prepared }
                    : { role: 'user', content: prepared, cacheControl: message.cacheControl };
              },
            ),
          );
        }
        // A prompt-cache breakpoint on the message (the loaded branch above sets it when done).
        if (message.cacheControl !== undefined && out[i] !== undefined)
          (out[i] as { cacheControl?: unknown }).cacheControl = message.cacheControl;
        break;
      case 'assistant': {
        const assistant: PreparedMessage = {
          role: 'assistant',
          content: assistantText(message.content),
          toolCalls: message.toolCalls ?? [],
        };
        if (message.reasoningBlocks !== undefined) assistant.reasoningBlocks = message.reasoningBlocks;
        if (message.cacheControl !== undefined) assistant.cacheControl = message.cacheControl;
        out[i] = assistant;
        break;
      }
      case 'tool': {
        const tool: PreparedMessage = { role: 'tool', toolCallId: message.toolCallId, content: message.content };
        if (message.name !== undefined) tool.name = message.name;
        if (message.cacheControl !== undefined) tool.cacheControl = message.cacheControl;
        out[i] = tool;
        break;
      }
    }
  }
  if (pending.length > 0) return Promise.all(pending).then(() => out);
  return out;
}
