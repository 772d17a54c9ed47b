/**
 * An Anthropic Messages request (`POST /v1/messages`) as a core `ChatRequest`, so the Anthropic SDK
 * and tools built on it can call every model of every provider. Checked field by field before
 * routing: a wrong field is an {@link AnthropicRequestError} naming it (`messages.0.content.1.source`),
 * which the route answers with Anthropic's 400. Images come only as base64 or as an http(s) URL:
 * nothing in a client's body can make the gateway read a local file. Keys the gateway does not know
 * (`service_tier`, `container`, ...) are ignored, as a proxy should.
 */
import type {
  AssistantMessage,
  CacheControl,
  ChatRequest,
  ContentPart,
  Message,
  ReasoningBlock,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '@switchboard/core';
import { AnthropicRequestError } from './errors.js';

/** The parts of a Messages body the route reads before translating: the model and the stream flag. */
export interface MessagesRequestHead {
  model: string;
  stream: boolean;
}

/** How the target provider takes options core has no field for (`top_k`, the end user's id). */
export interface TranslationTarget {
  /** The provider id the model resolves to, when it resolves to one provider. */
  providerId?: string;
  /** Its wire protocol (`anthropic-messages`, `openai-chat`, ...). */
  protocol?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(field: string, problem: string): never {
  throw new AnthropicRequestError(field, problem);
}

function objectAt(value: unknown, field: string): Json {
  if (!isObject(value)) fail(field, 'must be an object');
  return value;
}

function stringAt(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  return value;
}

function numberAt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    fail(field, `must be a number from ${min} to ${max}`);
  }
  return value;
}

function arrayAt(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  return value;
}

/** Reads `model` and `stream`, the two fields the route needs before authenticating and choosing JSON or SSE. */
export function readRequestHead(body: unknown): MessagesRequestHead {
  const request = objectAt(body, 'body');
  if (request.model === undefined) fail('model', 'is required');
  const model = stringAt(request.model, 'model');
  if (model.trim() === '') fail('model', 'must not be empty');
  if (request.stream !== undefined && typeof request.stream !== 'boolean') fail('stream', 'must be a boolean');
  return { model, stream: request.stream === true };
}

/** Translates a Messages body into a core chat request (without routing fields the route adds). */
export function toChatRequest(body: unknown, target: TranslationTarget = {}): ChatRequest {
  const request = objectAt(body, 'body');
  const { model } = readRequestHead(request);
  if (request.max_tokens === undefined) fail('max_tokens', 'is required');
  const maxTokens = request.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    fail('max_tokens', 'must be a positive integer');
  }
  const messages: Message[] = [];
  if (request.system !== undefined) messages.push(...systemMessages(request.system));
  const conversation = arrayAt(request.messages, 'messages');
  if (conversation.length === 0) fail('messages', 'must hold at least one message');
  conversation.forEach((message, index) => {
    messages.push(...translateMessage(message, `messages.${index}`));
  });
  const out: ChatRequest = { model, messages, maxTokens };
  if (request.temperature !== undefined) out.temperature = numberAt(request.temperature, 'temperature', 0, 2);
  if (request.top_p !== undefined) out.topP = numberAt(request.top_p, 'top_p', 0, 1);
  if (request.stop_sequences !== undefined) {
    out.stop = arrayAt(request.stop_sequences, 'stop_sequences').map((stop, index) =>
      stringAt(stop, `stop_sequences.${index}`),
    );
  }
  if (request.tools !== undefined) out.tools = translateTools(request.tools);
  if (request.tool_choice !== undefined) out.toolChoice = translateToolChoice(request.tool_choice);
  if (request.thinking !== undefined) {
    const reasoning = translateThinking(request.thinking);
    if (reasoning !== undefined) out.reasoning = reasoning;
  }
  const providerOptions = extraOptions(request, target);
  if (providerOptions !== undefined) out.providerOptions = providerOptions;
  return out;
}

/** `system` as a string or as text blocks (joined with newlines; the last block's cache mark kept). */
function systemMessages(system: unknown): Message[] {
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: system }];
  const blocks = arrayAt(system, 'system');
  const texts: string[] = [];
  let cacheControl: CacheControl | undefined;
  blocks.forEach((block, index) => {
    const field = `system.${index}`;
    const item = objectAt(block, field);
    if (item.type !== 'text') fail(`${field}.type`, "must be 'text'");
    texts.push(stringAt(item.text, `${field}.text`));
    const mark = readCacheControl(item.cache_control, `${field}.cache_control`);
    if (mark !== undefined) cacheControl = mark;
  });
  if (texts.length === 0) return [];
  const message: Message = { role: 'system', content: texts.join('\n') };
  if (cacheControl !== undefined) message.cacheControl = cacheControl;
  return [message];
}

function translateMessage(value: unknown, field: string): Message[] {
  const message = objectAt(value, field);
  if (message.role !== 'user' && message.role !== 'assistant') fail(`${field}.role`, "must be 'user' or 'assistant'");
  const content = message.content;
  if (typeof content === 'string') return [{ role: message.role, content }];
  const blocks = arrayAt(content, `${field}.content`);
  return message.role === 'user' ? userMessages(blocks, field) : [assistantMessage(blocks, field)];
}

/**
 * A user turn: its `tool_result` blocks become tool messages (first, as Anthropic requires them to
 * answer the previous turn's calls), the rest one user message of parts.
 */
function userMessages(blocks: unknown[], field: string): Message[] {
  const toolResults: Message[] = [];
  const parts: ContentPart[] = [];
  blocks.forEach((value, index) => {
    const blockField = `${field}.content.${index}`;
    const block = objectAt(value, blockField);
    switch (block.type) {
      case 'text':
        parts.push(withCache({ type: 'text', text: stringAt(block.text, `${blockField}.text`) }, block, blockField));
        break;
      case 'image':
        parts.push(withCache(imagePart(block.source, `${blockField}.source`), block, blockField));
        break;
      case 'document':
        parts.push(withCache(documentPart(block.source, `${blockField}.source`), block, blockField));
        break;
      case 'tool_result':
        toolResults.push(...toolResultMessages(block, blockField));
        break;
      default:
        fail(`${blockField}.type`, "must be 'text', 'image', 'document' or 'tool_result' in a user message");
    }
  });
  if (parts.length === 0) return toolResults;
  const only = parts[0];
  const content = parts.length === 1 && only?.type === 'text' && only.cacheControl === undefined ? only.text : parts;
  return [...toolResults, { role: 'user', content }];
}

/** A tool result: its text as the tool message; images it holds follow as a user message. */
function toolResultMessages(block: Json, field: string): Message[] {
  const toolCallId = stringAt(block.tool_use_id, `${field}.tool_use_id`);
  let text = '';
  const images: ContentPart[] = [];
  if (typeof block.content === 'string') text = block.content;
  else if (block.content !== undefined) {
    const texts: string[] = [];
    arrayAt(block.content, `${field}.content`).forEach((value, index) => {
      const partField = `${field}.content.${index}`;
      const part = objectAt(value, partField);
      if (part.type === 'text') texts.push(stringAt(part.text, `${partField}.text`));
      else if (part.type === 'image') images.push(imagePart(part.source, `${partField}.source`));
      else fail(`${partField}.type`, "must be 'text' or 'image'");
    });
    text = texts.join('\n');
  }
  if (block.is_error === true) text = `Error: ${text}`;
  const message: Message = { role: 'tool', toolCallId, content: text };
  const mark = readCacheControl(block.cache_control, `${field}.cache_control`);
  if (mark !== undefined) message.cacheControl = mark;
  return images.length === 0 ? [message] : [message, { role: 'user', content: images }];
}

function assistantMessage(blocks: unknown[], field: string): AssistantMessage {
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const reasoningBlocks: ReasoningBlock[] = [];
  blocks.forEach((value, index) => {
    const blockField = `${field}.content.${index}`;
    const block = objectAt(value, blockField);
    switch (block.type) {
      case 'text':
        texts.push(stringAt(block.text, `${blockField}.text`));
        break;
      case 'tool_use':
        toolCalls.push({
          id: stringAt(block.id, `${blockField}.id`),
          name: stringAt(block.name, `${blockField}.name`),
          arguments: objectAt(block.input, `${blockField}.input`),
        });
        break;
      case 'thinking':
        reasoningBlocks.push({
          type: 'thinking',
          thinking: stringAt(block.thinking, `${blockField}.thinking`),
          signature: stringAt(block.signature ?? '', `${blockField}.signature`),
        });
        break;
      case 'redacted_thinking':
        reasoningBlocks.push({ type: 'redacted-thinking', data: stringAt(block.data, `${blockField}.data`) });
        break;
      default:
        fail(
          `${blockField}.type`,
          "must be 'text', 'tool_use', 'thinking' or 'redacted_thinking' in an assistant message",
        );
    }
  });
  const message: AssistantMessage = { role: 'assistant', content: texts.length === 0 ? null : texts.join('') };
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (reasoningBlocks.length > 0) message.reasoningBlocks = reasoningBlocks;
  return message;
}

/** An image source: base64 data (as a data URL) or an http(s) URL; never a path or a file id. */
function imagePart(value: unknown, field: string): ContentPart {
  const source = objectAt(value, field);
  if (source.type === 'base64') {
    const mediaType = stringAt(source.media_type, `${field}.media_type`);
    if (!/^image\/(png|jpeg|gif|webp)$/.test(mediaType)) {
      fail(`${field}.media_type`, "must be 'image/png', 'image/jpeg', 'image/gif' or 'image/webp'");
    }
    const data = stringAt(source.data, `${field}.data`);
    return { type: 'image', image: `data:${mediaType};base64,${data}`, mediaType };
  }
  if (source.type === 'url') return { type: 'image', image: httpUrl(source.url, `${field}.url`) };
  return fail(`${field}.type`, "must be 'base64' or 'url'");
}

/** A document: base64 PDF or plain text, inline only. */
function documentPart(value: unknown, field: string): ContentPart {
  const source = objectAt(value, field);
  if (source.type === 'base64') {
    const mediaType = stringAt(source.media_type, `${field}.media_type`);
    if (mediaType !== 'application/pdf') fail(`${field}.media_type`, "must be 'application/pdf'");
    return { type: 'file', data: stringAt(source.data, `${field}.data`), mediaType };
  }
  if (source.type === 'text') return { type: 'text', text: stringAt(source.data, `${field}.data`) };
  return fail(`${field}.type`, "must be 'base64' or 'text'");
}

function httpUrl(value: unknown, field: string): string {
  const text = stringAt(value, field);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(field, 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(field, 'must be an http or https URL');
  return text;
}

function withCache<Part extends ContentPart>(part: Part, block: Json, field: string): Part {
  const mark = readCacheControl(block.cache_control, `${field}.cache_control`);
  if (mark !== undefined) part.cacheControl = mark;
  return part;
}

function readCacheControl(value: unknown, field: string): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  const mark = objectAt(value, field);
  if (mark.type !== 'ephemeral') fail(`${field}.type`, "must be 'ephemeral'");
  if (mark.ttl !== undefined && mark.ttl !== '5m' && mark.ttl !== '1h') fail(`${field}.ttl`, "must be '5m' or '1h'");
  return mark.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: mark.ttl };
}

/** Client tools with `input_schema`; Anthropic's server tools (web search, code execution) have no meaning elsewhere. */
function translateTools(value: unknown): ToolDefinition[] {
  return arrayAt(value, 'tools').map((item, index) => {
    const field = `tools.${index}`;
    const tool = objectAt(item, field);
    if (tool.type !== undefined && tool.type !== 'custom') {
      fail(`${field}.type`, 'only client tools (with input_schema) can be routed to any provider');
    }
    const definition: ToolDefinition = {
      name: stringAt(tool.name, `${field}.name`),
      parameters: objectAt(tool.input_schema, `${field}.input_schema`),
    };
    if (tool.description !== undefined) definition.description = stringAt(tool.description, `${field}.description`);
    const mark = readCacheControl(tool.cache_control, `${field}.cache_control`);
    if (mark !== undefined) definition.cacheControl = mark;
    return definition;
  });
}

function translateToolChoice(value: unknown): ToolChoice {
  const choice = objectAt(value, 'tool_choice');
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { name: stringAt(choice.name, 'tool_choice.name') };
    default:
      return fail('tool_choice.type', "must be 'auto', 'any', 'tool' or 'none'");
  }
}

function translateThinking(value: unknown): ChatRequest['reasoning'] {
  const thinking = objectAt(value, 'thinking');
  if (thinking.type === 'disabled') return undefined;
  if (thinking.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1) {
      fail('thinking.budget_tokens', 'must be a positive integer');
    }
    return { budgetTokens: budget };
  }
  if (thinking.type === 'adaptive') return { effort: 'medium' };
  return fail('thinking.type', "must be 'enabled', 'disabled' or 'adaptive'");
}

/**
 * `top_k` and `metadata.user_id`, which core has no field for, as provider options in the target's
 * own words (Anthropic: `top_k`, `metadata.user_id`; OpenAI-style: `top_k`, `user`). Keyed by the
 * provider id when the model resolves to one provider; for a group, only `top_k` is passed (flat).
 */
function extraOptions(request: Json, target: TranslationTarget): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  if (request.top_k !== undefined) {
    const topK = request.top_k;
    if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1) fail('top_k', 'must be a positive integer');
    options.top_k = topK;
  }
  if (request.metadata !== undefined && request.metadata !== null) {
    const metadata = objectAt(request.metadata, 'metadata');
    if (metadata.user_id !== undefined && metadata.user_id !== null) {
      const userId = stringAt(metadata.user_id, 'metadata.user_id');
      if (target.protocol === 'anthropic-messages') options.metadata = { user_id: userId };
      else if (target.protocol === 'openai-chat') options.user = userId;
    }
  }
  if (Object.keys(options).length === 0) return undefined;
  return target.providerId === undefined ? options : { [target.providerId]: options };
}
