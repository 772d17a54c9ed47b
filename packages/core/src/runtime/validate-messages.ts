/**
 * Checks a chat request's `messages` before anything is sent: a non-empty array, every role one of
 * system / user / assistant / tool, the content each role takes, image and file parts of a form the
 * loaders understand, tool calls and tool results with their ids. Without it a `null` content or an
 * image given as a number ends in a TypeError deep in an adapter that names no field.
 *
 * The usual message (a role and a string) costs a type check and a switch.
 */
import { checkString, fail, isRecord } from './validate-field.js';

/** Throws `RequestValidationError` naming the first bad field of `messages`. */
export function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages)) fail('messages', 'an array of messages', messages);
  if (messages.length === 0) fail('messages', 'a non-empty array (at least one message)', messages);
  for (let index = 0; index < messages.length; index++) validateMessage(messages[index], index);
}

function validateMessage(message: unknown, index: number): void {
  if (!isRecord(message)) fail(`messages[${index}]`, 'a message object', message);
  const { role, content } = message;
  switch (role) {
    case 'system':
      if (typeof content !== 'string') fail(`messages[${index}].content`, 'a string for a system message', content);
      return;
    case 'user':
      if (typeof content === 'string') return;
      if (!Array.isArray(content))
        fail(`messages[${index}].content`, 'a string or an array of content parts for a user message', content);
      if (content.length === 0) fail(`messages[${index}].content`, 'a string or a non-empty array of parts', content);
      for (let part = 0; part < content.length; part++)
        validatePart(content[part], `messages[${index}].content[${part}]`);
      return;
    case 'assistant':
      validateAssistant(message, index);
      return;
    case 'tool':
      checkString(`messages[${index}].toolCallId`, message.toolCallId, true);
      if (typeof content !== 'string') fail(`messages[${index}].content`, 'a string for a tool message', content);
      if (message.name !== undefined) checkString(`messages[${index}].name`, message.name, true);
      return;
    default:
      fail(`messages[${index}].role`, "one of 'system', 'user', 'assistant', 'tool'", role);
  }
}

function validateAssistant(message: Record<string, unknown>, index: number): void {
  const content = message.content;
  if (content !== null && typeof content !== 'string') {
    if (!Array.isArray(content))
      fail(`messages[${index}].content`, 'a string, an array of text parts or null for an assistant message', content);
    for (let part = 0; part < content.length; part++) {
      const field = `messages[${index}].content[${part}]`;
      const value: unknown = content[part];
      if (!isRecord(value) || value.type !== 'text') fail(field, "a text part ({ type: 'text', text })", value);
      if (typeof value.text !== 'string') fail(`${field}.text`, 'a string', value.text);
    }
  }
  const toolCalls = message.toolCalls;
  if (toolCalls === undefined) return;
  if (!Array.isArray(toolCalls)) fail(`messages[${index}].toolCalls`, 'an array of tool calls', toolCalls);
  for (let call = 0; call < toolCalls.length; call++) {
    const field = `messages[${index}].toolCalls[${call}]`;
    const value: unknown = toolCalls[call];
    if (!isRecord(value)) fail(field, 'a tool call ({ id, name, arguments })', value);
    checkString(`${field}.id`, value.id, true);
    checkString(`${field}.name`, value.name, true);
    if (!isRecord(value.arguments)) fail(`${field}.arguments`, 'an object of arguments', value.arguments);
  }
}

/** True for the forms an image or file can take: a string (URL, data URL; checked further when loaded), a URL or bytes. */
function isBinarySource(value: unknown): boolean {
  return (typeof value === 'string' && value.length > 0) || value instanceof URL || value instanceof Uint8Array;
}

function validatePart(part: unknown, field: string): void {
  if (!isRecord(part)) fail(field, "a content part ({ type: 'text' | 'image' | 'file', ... })", part);
  switch (part.type) {
    case 'text':
      if (typeof part.text !== 'string') fail(`${field}.text`, 'a string', part.text);
      return;
    case 'image':
      // `{ type: 'image', path }` reads a local file; otherwise `image` holds the URL, data URL or bytes.
      if (part.image === undefined && part.path !== undefined) checkString(`${field}.path`, part.path, true);
      else if (!isBinarySource(part.image))
        fail(`${field}.image`, 'a URL or data URL string, a URL object or a Uint8Array', part.image);
      if (part.mediaType !== undefined) checkString(`${field}.mediaType`, part.mediaType, true);
      if (part.detail !== undefined && part.detail !== 'auto' && part.detail !== 'low' && part.detail !== 'high')
        fail(`${field}.detail`, "'auto', 'low' or 'high'", part.detail);
      return;
    case 'file':
      // `{ type: 'file', path }` reads a local file (its type from the bytes); `data` needs a mediaType.
      if (part.data === undefined && part.path !== undefined) {
        checkString(`${field}.path`, part.path, true);
        if (part.mediaType !== undefined) checkString(`${field}.mediaType`, part.mediaType, true);
      } else {
        if (!isBinarySource(part.data))
          fail(`${field}.data`, 'a data URL string, base64 text, a URL object or a Uint8Array', part.data);
        checkString(`${field}.mediaType`, part.mediaType, true);
      }
      if (part.filename !== undefined) checkString(`${field}.filename`, part.filename, false);
      return;
    default:
      fail(`${field}.type`, "'text', 'image' or 'file'", part.type);
  }
}
