/**
 * Anthropic Messages API response parsing (non-streamed) and the mappings shared with the stream decoder.
 */
import type { FinishReason, ToolCall, Usage } from '../../runtime/types.js';
import type { CallContext, ProtocolChatResult } from '../types.js';
import { structuredOutputTool } from './request.js';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

interface ContentBlock {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

interface MessageBody {
  id?: string;
  model?: string;
  content?: ContentBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

/** Maps Anthropic's `stop_reason` to core's finish reason. */
export function mapStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

/**
 * Anthropic reports uncached input, cache reads and cache writes apart; core's `inputTokens`
 * includes all three (DESIGN 5).
 */
export function mapUsage(usage: AnthropicUsage | undefined): Usage {
  const uncached = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage?.cache_creation_input_tokens ?? undefined;
  const inputTokens = uncached + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = usage?.output_tokens ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite;
  return out;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function parseChatBody(ctx: CallContext, body: unknown): ProtocolChatResult {
  const message = (body ?? {}) as MessageBody;
  const forced = structuredOutputTool(ctx);
  let text = '';
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text ?? '';
    else if (block.type === 'thinking') reasoning = (reasoning ?? '') + (block.thinking ?? '');
    else if (block.type === 'tool_use') {
      if (forced !== undefined && block.name === forced) text += JSON.stringify(block.input ?? {});
      else toolCalls.push({ id: block.id ?? '', name: block.name ?? '', arguments: asObject(block.input) });
    }
  }
  let finishReason = mapStopReason(message.stop_reason);
  // The forced structured-output tool is the answer, not a call for the caller to run.
  if (forced !== undefined && finishReason === 'tool-calls' && toolCalls.length === 0) finishReason = 'stop';
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: mapUsage(message.usage),
    raw: body,
  };
  if (reasoning !== undefined) result.reasoning = reasoning;
  if (message.stop_reason != null) result.rawFinishReason = message.stop_reason;
  if (message.id !== undefined) result.id = message.id;
  if (message.model !== undefined) result.model = message.model;
  return result;
}
