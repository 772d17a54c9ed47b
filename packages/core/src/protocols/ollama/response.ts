/** Ollama /api/chat responses (one object, or the NDJSON lines of a stream). */
import type { FinishReason, ToolCall, Usage } from '../../runtime/types.js';
import { asArray, asNumber, asRecord, asString, parseToolArguments } from '../shared/index.js';
import type { ProtocolChatResult } from '../types.js';

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

export function parseOllamaChat(body: unknown): ProtocolChatResult {
  const b = asRecord(body);
  const message = asRecord(b.message);
  const toolCalls = ollamaToolCalls(b);
  const rawFinishReason = asString(b.done_reason);
  const result: ProtocolChatResult = {
    text: typeof message.content === 'string' ? message.content : '',
    toolCalls,
    finishReason: mapDoneReason(rawFinishReason, toolCalls.length > 0),
    usage: ollamaUsage(b),
    raw: body,
  };
  const thinking = asString(message.thinking);
  if (thinking !== undefined) result.reasoning = thinking;
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  const model = asString(b.model);
  if (model !== undefined) result.model = model;
  return result;
}
