/**
 * Turns the public message forms into the adapter's `PreparedMessage`s: strings become text parts,
 * images and files are loaded (files from disk, data URLs decoded), assistant content is
 * flattened. Also reports what the messages need (vision) for the capability check.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PreparedMessage, PreparedPart } from '../protocols/types.js';
import { loadImage } from './images.js';
import type { ContentPart, FilePart, Message } from './types.js';

/** True when any user message carries an image. */
export function messagesHaveImages(messages: readonly Message[]): boolean {
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type === 'image') return true;
  }
  return false;
}

async function prepareFile(part: FilePart): Promise<PreparedPart> {
  let data: string;
  if (part.data instanceof Uint8Array)
    data = Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString('base64');
  else if (part.data instanceof URL) data = (await readFile(fileURLToPath(part.data))).toString('base64');
  else if (part.data.startsWith('data:')) data = part.data.slice(part.data.indexOf(',') + 1);
  else data = part.data;
  const out: PreparedPart = { type: 'file', data, mediaType: part.mediaType };
  if (part.filename !== undefined) out.filename = part.filename;
  return out;
}

async function preparePart(part: ContentPart): Promise<PreparedPart> {
  if (part.type === 'text') return part;
  if (part.type === 'file') return prepareFile(part);
  const loaded = await loadImage(part.image, part.mediaType);
  const out: PreparedPart = { type: 'image', mediaType: loaded.mediaType };
  if (loaded.url !== undefined) out.url = loaded.url;
  if (loaded.data !== undefined) out.data = loaded.data;
  if (part.detail !== undefined) out.detail = part.detail;
  return out;
}

function assistantText(content: string | { text: string }[] | null): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) text += part.text;
  return text;
}

/**
 * Prepares every message; files are read in parallel. Returns the array itself when no part needs
 * loading (text-only messages, the usual call), a promise otherwise.
 */
export function prepareMessages(messages: readonly Message[]): PreparedMessage[] | Promise<PreparedMessage[]> {
  const out: PreparedMessage[] = new Array(messages.length);
  const pending: Promise<void>[] = [];
  for (let i = 0; i < messages.length; i += 1) {
    const message = messages[i] as Message;
    switch (message.role) {
      case 'system':
        out[i] = { role: 'system', content: message.content };
        break;
      case 'user':
        if (typeof message.content === 'string')
          out[i] = { role: 'user', content: [{ type: 'text', text: message.content }] };
        else if (message.content.every((part) => part.type === 'text'))
          out[i] = { role: 'user', content: message.content as PreparedPart[] };
        else {
          const parts = message.content;
          pending.push(
            Promise.all(parts.map(preparePart)).then((prepared) => {
              out[i] = { role: 'user', content: prepared };
            }),
          );
        }
        break;
      case 'assistant':
        out[i] = { role: 'assistant', content: assistantText(message.content), toolCalls: message.toolCalls ?? [] };
        break;
      case 'tool': {
        const tool: PreparedMessage = { role: 'tool', toolCallId: message.toolCallId, content: message.content };
        if (message.name !== undefined) tool.name = message.name;
        out[i] = tool;
        break;
      }
    }
  }
  if (pending.length > 0) return Promise.all(pending).then(() => out);
  return out;
}
