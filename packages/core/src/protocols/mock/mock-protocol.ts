/**
 * The `mock` protocol: answers in-process from `settings.mock`, with the same result and stream
 * events an HTTP adapter produces, so every runtime feature (tool loops, structured output,
 * streaming, cost) can be exercised without a network. With no behaviour it echoes the last user
 * message, streamed word by word.
 */

import { createError, SwitchboardError } from '../../errors/errors.js';
import type { MockBehaviour, MockError, MockMessage, MockReply, MockRequest } from '../../types/mock-behaviour.js';
import type {
  CallContext,
  PreparedChatRequest,
  PreparedMessage,
  PreparedPart,
  ProtocolChatResult,
} from '../../types/protocol.js';
import type { ChatResponse, ToolCall, Usage } from '../../types/requests.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { recordMockEmbedRequest, recordMockRequest } from './mock-requests.js';

/** About four characters per token: good enough for mock usage numbers. */
function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function behaviourOf(ctx: CallContext): MockBehaviour {
  return ctx.settings.mock ?? {};
}

function lastUserText(request: PreparedChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i -= 1) {
    const message = request.messages[i];
    if (message?.role !== 'user') continue;
    return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return '';
}

function promptText(request: PreparedChatRequest): string {
  let text = '';
  for (const message of request.messages) {
    if (message.role === 'user')
      for (const part of message.content) text += part.type === 'text' ? part.text : ' [attachment] ';
    else text += message.content;
  }
  return text;
}

function toError(ctx: CallContext, error: MockError): Error {
  if (error instanceof Error) return error;
  return createError(error.kind, error.message, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    status: error.status,
  });
}

/**
 * A user message's content as the user wrote it: one plain text part (what core makes of a string)
 * back to its string. A single unmarked text part sent as a list reads the same, as a string.
 */
function asSent(message: PreparedMessage): MockMessage {
  if (message.role !== 'user' || message.content.length !== 1) return message;
  const part = message.content[0] as PreparedPart;
  if (part.type !== 'text' || part.cacheControl !== undefined) return message;
  return { ...message, content: part.text };
}

/** The request a handler sees and the recorder keeps. */
function mockRequest(ctx: CallContext, request: PreparedChatRequest): MockRequest {
  return { ...request, messages: request.messages.map(asSent), modelId: ctx.modelId };
}

let sequence = 0;

async function reply(ctx: CallContext, request: PreparedChatRequest): Promise<ProtocolChatResult> {
  const behaviour = behaviourOf(ctx);
  const seen = mockRequest(ctx, request);
  recordMockRequest(ctx.settings, seen);
  const source = behaviour.response;
  const answer: MockReply =
    typeof source === 'function' ? await source(seen) : (source ?? `Mock reply to: ${lastUserText(request)}`);
  const fields: Partial<ChatResponse> = typeof answer === 'string' ? { text: answer } : answer;
  const text = fields.text ?? '';
  const toolCalls: ToolCall[] = fields.toolCalls ?? [];
  const usage: Usage = {
    inputTokens: fields.usage?.inputTokens ?? roughTokens(promptText(request)),
    outputTokens:
      fields.usage?.outputTokens ?? roughTokens(text + (toolCalls.length > 0 ? JSON.stringify(toolCalls) : '')),
    totalTokens: 0,
    ...(fields.usage?.reasoningTokens === undefined ? {} : { reasoningTokens: fields.usage.reasoningTokens }),
  };
  usage.totalTokens = fields.usage?.totalTokens ?? usage.inputTokens + usage.outputTokens;
  sequence += 1;
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason: fields.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop'),
    usage,
    id: fields.id ?? `mock-${sequence}`,
    model: ctx.modelId,
    raw: fields.raw ?? { mock: true, text, toolCalls },
  };
  if (fields.reasoning !== undefined) result.reasoning = fields.reasoning;
  return result;
}

/** A whole mock answer. */
export async function mockChat(ctx: CallContext, request: PreparedChatRequest): Promise<ProtocolChatResult> {
  const behaviour = behaviourOf(ctx);
  if (behaviour.error !== undefined) {
    recordMockRequest(ctx.settings, mockRequest(ctx, request));
    throw toError(ctx, behaviour.error);
  }
  return reply(ctx, request);
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A streamed mock answer, in batches of events like an HTTP body's chunks. */
export async function* mockStream(
  ctx: CallContext,
  request: PreparedChatRequest,
  signal?: AbortSignal,
): AsyncGenerator<ProtocolStreamEvent[]> {
  const behaviour = behaviourOf(ctx);
  if (behaviour.error !== undefined && behaviour.errorAfterChunks === undefined) {
    recordMockRequest(ctx.settings, mockRequest(ctx, request));
    throw toError(ctx, behaviour.error);
  }
  const result = await reply(ctx, request);
  const chunks = behaviour.chunks ?? result.text.match(/\s*\S+\s*/g) ?? (result.text === '' ? [] : [result.text]);
  yield [{ type: 'metadata', id: result.id, model: result.model }];
  let sent = 0;
  for (const chunk of chunks) {
    if (behaviour.error !== undefined && sent === behaviour.errorAfterChunks) break;
    if (behaviour.chunkDelayMs !== undefined && behaviour.chunkDelayMs > 0) await delay(behaviour.chunkDelayMs, signal);
    if (signal?.aborted) throw signal.reason;
    yield [{ type: 'text-delta', text: chunk }];
    sent += 1;
  }
  if (behaviour.error !== undefined) {
    const error = toError(ctx, behaviour.error);
    if (error instanceof SwitchboardError) yield [{ type: 'error', error }];
    else throw error;
    return;
  }
  const toolEvents: ProtocolStreamEvent[] = [];
  result.toolCalls.forEach((call, index) => {
    const args = JSON.stringify(call.arguments);
    const half = Math.floor(args.length / 2);
    toolEvents.push({
      type: 'tool-call-delta',
      index,
      id: call.id,
      name: call.name,
      argumentsDelta: args.slice(0, half),
    });
    toolEvents.push({ type: 'tool-call-delta', index, argumentsDelta: args.slice(half) });
  });
  if (result.reasoning !== undefined) toolEvents.unshift({ type: 'reasoning-delta', text: result.reasoning });
  toolEvents.push({ type: 'usage', usage: result.usage }, { type: 'finish', finishReason: result.finishReason });
  yield toolEvents;
}

/** Deterministic unit vector of a text (FNV-1a seeded), so equal inputs embed equally. */
function hashVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions);
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  let norm = 0;
  for (let i = 0; i < dimensions; i += 1) {
    hash = Math.imul(hash ^ (hash >>> 15), 2246822507) >>> 0;
    const value = (hash / 4294967295) * 2 - 1;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i += 1) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** Mock embeddings: the behaviour's vectors or a deterministic hash per input. */
export async function mockEmbed(
  ctx: CallContext,
  input: string[],
  dimensions: number | undefined,
): Promise<{ embeddings: number[][]; inputTokens: number; raw: unknown }> {
  const behaviour = behaviourOf(ctx);
  recordMockEmbedRequest(ctx.settings, {
    modelId: ctx.modelId,
    input,
    ...(dimensions === undefined ? {} : { dimensions }),
  });
  if (behaviour.error !== undefined) throw toError(ctx, behaviour.error);
  const size = dimensions ?? ctx.model?.embedding?.dimensions ?? 8;
  const embeddings = behaviour.embeddings?.(input) ?? input.map((text) => hashVector(text, size));
  let inputTokens = 0;
  for (const text of input) inputTokens += roughTokens(text);
  return { embeddings, inputTokens, raw: { mock: true, count: input.length } };
}
