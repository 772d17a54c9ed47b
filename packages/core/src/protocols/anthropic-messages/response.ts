/**
 * Anthropic Messages API response parsing (non-streamed) and the mappings shared with the stream decoder.
 */

import type { CallContext, ProtocolChatResult } from '../../types/protocol.js';
import type { FinishReason, ReasoningBlock, ToolCall, Usage } from '../../types/requests.js';
import {
  checkNumbers,
  itemPath,
  optionalRecord,
  optionalString,
  requireArray,
  requireBody,
  requireItem,
  requireString,
  shapeError,
  shapeProblem,
  withBodyError,
} from '../shared/shape.js';
import { structuredOutputTool } from './request.js';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
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

const USAGE_COUNTS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
] as const;

/**
 * Parses a complete Messages answer, checking its shape first: `content` must be a list of typed
 * blocks (it may be empty: the model can end a turn with nothing to add), text and thinking blocks
 * carry their text, tool_use blocks an id and a name, redacted_thinking blocks their data. Signed
 * thinking and redacted thinking are kept as `reasoningBlocks`. Unknown block types (server tools)
 * and unknown fields are ignored; `usage` may be absent.
 */
export function parseChatBody(ctx: CallContext, body: unknown): ProtocolChatResult {
  const root = requireBody(ctx, body);
  const type = root.type;
  if (type !== undefined && type !== 'message') {
    const found =
      typeof type === 'string'
        ? `type is ${JSON.stringify(type)} (expected "message")`
        : shapeProblem('type', type, '"message"');
    throw shapeError(ctx, withBodyError(found, root));
  }
  const content = requireArray(ctx, root, 'content');
  const forced = structuredOutputTool(ctx);
  let text = '';
  let reasoning: string | undefined;
  // Signed thinking and redacted thinking, kept whole to be sent back in the next turn.
  const reasoningBlocks: ReasoningBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (let index = 0; index < content.length; index++) {
    const block = requireItem(ctx, content, index, 'content');
    const path = itemPath('content', index);
    const blockType = requireString(ctx, block, 'type', path);
    if (blockType === 'text') text += requireString(ctx, block, 'text', path);
    else if (blockType === 'thinking') {
      const thinking = requireString(ctx, block, 'thinking', path);
      reasoning = (reasoning ?? '') + thinking;
      const signature = optionalString(ctx, block, 'signature', path);
      if (signature !== undefined) reasoningBlocks.push({ type: 'thinking', thinking, signature });
    } else if (blockType === 'redacted_thinking')
      reasoningBlocks.push({ type: 'redacted-thinking', data: requireString(ctx, block, 'data', path) });
    else if (blockType === 'tool_use') {
      const name = requireString(ctx, block, 'name', path);
      const input = optionalRecord(ctx, block, 'input', path) ?? {};
      if (forced !== undefined && name === forced) text += JSON.stringify(input);
      else toolCalls.push({ id: requireString(ctx, block, 'id', path), name, arguments: input });
    }
  }
  const stopReason = optionalString(ctx, root, 'stop_reason');
  const usage = optionalRecord(ctx, root, 'usage');
  if (usage !== undefined) checkNumbers(ctx, usage, USAGE_COUNTS, 'usage');
  let finishReason = mapStopReason(stopReason);
  // The forced structured-output tool is the answer, not a call for the caller to run.
  if (forced !== undefined && finishReason === 'tool-calls' && toolCalls.length === 0) finishReason = 'stop';
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: mapUsage(usage as AnthropicUsage | undefined),
    raw: body,
  };
  if (reasoning !== undefined) result.reasoning = reasoning;
  if (reasoningBlocks.length > 0) result.reasoningBlocks = reasoningBlocks;
  if (stopReason !== undefined) result.rawFinishReason = stopReason;
  const id = optionalString(ctx, root, 'id');
  if (id !== undefined) result.id = id;
  const model = optionalString(ctx, root, 'model');
  if (model !== undefined) result.model = model;
  return result;
}
