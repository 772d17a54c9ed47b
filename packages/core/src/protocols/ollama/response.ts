/** Ollama /api/chat responses (one object, checked; or the NDJSON lines of a stream). */

import type { CallContext, ProtocolChatResult } from '../../types/protocol.js';
import type { FinishReason, ToolCall, Usage } from '../../types/requests.js';
import { asArray, asNumber, asRecord, asString, parseToolArguments } from '../shared/index.js';
import {
  checkNumbers,
  itemPath,
  type JsonRecord,
  optionalArray,
  optionalString,
  requireBody,
  requireItem,
  requireRecord,
  requireString,
  shapeError,
} from '../shared/shape.js';

export function mapDoneReason(raw: string | undefined, sawToolCalls: boolean): FinishReason {
  if (sawToolCalls && (raw === undefined || raw === 'stop')) return 'tool-calls';
  switch (raw) {
    case undefined:
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    default:
      return 'other';
  }
}

/** `prompt_eval_count` / `eval_count` -> usage (Ollama omits prompt_eval_count when the prompt was cached). */
export function ollamaUsage(body: Record<string, unknown>): Usage {
  const input = asNumber(body.prompt_eval_count) ?? 0;
  const output = asNumber(body.eval_count) ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: input + output };
}

/**
 * Tool calls of one message. Ollama sends no ids (newer servers may): generated ones are
 * deterministic, `call_<created_at digits>_<n>`, unique per response.
 */
export function ollamaToolCalls(body: Record<string, unknown>, firstIndex = 0): ToolCall[] {
  const message = asRecord(body.message);
  const stamp = (asString(body.created_at) ?? '').replace(/[^0-9]/g, '');
  return asArray(message.tool_calls).map((raw, i) => {
    const call = asRecord(raw);
    const fn = asRecord(call.function);
    const index = firstIndex + i;
    return {
      id: asString(call.id) ?? `call_${stamp === '' ? 'ollama' : stamp}_${index}`,
      name: asString(fn.name) ?? '',
      arguments: parseToolArguments(fn.arguments),
    };
  });
}

/** The tool calls of a checked message: objects with a `function` that has a name. */
function checkToolCalls(ctx: CallContext, message: JsonRecord): boolean {
  const calls = optionalArray(ctx, message, 'tool_calls', 'message');
  if (calls === undefined) return false;
  for (let index = 0; index < calls.length; index++) {
    const call = requireItem(ctx, calls, index, 'message.tool_calls');
    const fn = requireRecord(ctx, call, 'function', itemPath('message.tool_calls', index));
    requireString(ctx, fn, 'name', `${itemPath('message.tool_calls', index)}.function`);
  }
  return calls.length > 0;
}

/**
 * Parses a complete /api/chat answer, checking its shape first: a `message` whose `content` is text
 * (it may be empty or missing beside tool calls or thinking) and whose tool calls are named.
 * Unknown fields (durations, `created_at`) are ignored; the counts may be absent (a cached prompt).
 */
export function parseOllamaChat(ctx: CallContext, body: unknown): ProtocolChatResult {
  const b = requireBody(ctx, body);
  const message = requireRecord(ctx, b, 'message');
  const content = optionalString(ctx, message, 'content', 'message');
  const thinking = optionalString(ctx, message, 'thinking', 'message');
  const hasToolCalls = checkToolCalls(ctx, message);
  if (content === undefined && thinking === undefined && !hasToolCalls) {
    throw shapeError(ctx, 'message has no content, thinking or tool_calls');
  }
  const rawFinishReason = optionalString(ctx, b, 'done_reason') || undefined;
  checkNumbers(ctx, b, COUNTS);
  const toolCalls = ollamaToolCalls(b);
  const result: ProtocolChatResult = {
    text: content ?? '',
    toolCalls,
    finishReason: mapDoneReason(rawFinishReason, toolCalls.length > 0),
    usage: ollamaUsage(b),
    raw: body,
  };
  if (thinking !== undefined && thinking !== '') result.reasoning = thinking;
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  const model = asString(b.model);
  if (model !== undefined) result.model = model;
  return result;
}

const COUNTS = ['prompt_eval_count', 'eval_count'] as const;
