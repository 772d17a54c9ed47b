/** Converse responses: content blocks, stop reasons and usage, normalized (DESIGN 5). */

import type { CallContext, ProtocolChatResult } from '../../types/protocol.js';
import type { FinishReason, ToolCall, Usage } from '../../types/requests.js';
import {
  checkNumbers,
  isJsonRecord,
  itemPath,
  optionalRecord,
  optionalString,
  requireArray,
  requireBody,
  requireItem,
  requireRecord,
  requireString,
} from '../shared/shape.js';

const STOP_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
};

export function mapStopReason(raw: string | undefined): FinishReason {
  if (raw === undefined) return 'other';
  return STOP_REASONS[raw] ?? 'other';
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Converse usage -> core usage. Bedrock's `inputTokens` excludes cache reads and writes (like
 * Anthropic's), so core's `inputTokens` adds them back. Some responses carry both
 * `cacheReadInputTokens` and a duplicate `cacheReadInputTokenCount`: each is counted once.
 */
export function mapUsage(raw: unknown): Usage {
  const u = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const input = num(u.inputTokens) ?? 0;
  const output = num(u.outputTokens) ?? 0;
  const cacheRead = num(u.cacheReadInputTokens) ?? num(u.cacheReadInputTokenCount);
  const cacheWrite = num(u.cacheWriteInputTokens) ?? num(u.cacheWriteInputTokenCount);
  const inputTokens = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const usage: Usage = { inputTokens, outputTokens: output, totalTokens: inputTokens + output };
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  return usage;
}

const USAGE_COUNTS = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'cacheReadInputTokens',
  'cacheWriteInputTokens',
  'cacheReadInputTokenCount',
  'cacheWriteInputTokenCount',
] as const;

/**
 * Parses a complete Converse response body, checking its shape first: `output.message.content` must
 * be a list of blocks and `stopReason` must be there (both are required by the API); a toolUse block
 * needs its id and name. Unknown block types (images, citations, guard content) and fields
 * (`metrics`, `trace`) are ignored; usage may be absent.
 */
export function parseConverseResponse(ctx: CallContext, body: unknown): ProtocolChatResult {
  const root = requireBody(ctx, body);
  const message = requireRecord(ctx, requireRecord(ctx, root, 'output'), 'message', 'output');
  const content = requireArray(ctx, message, 'content', 'output.message');
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (let index = 0; index < content.length; index++) {
    const block = requireItem(ctx, content, index, 'output.message.content');
    const path = itemPath('output.message.content', index);
    const blockText = optionalString(ctx, block, 'text', path);
    const toolUse = optionalRecord(ctx, block, 'toolUse', path);
    if (blockText !== undefined) text += blockText;
    else if (toolUse !== undefined) {
      const input = toolUse.input;
      toolCalls.push({
        id: requireString(ctx, toolUse, 'toolUseId', `${path}.toolUse`),
        name: requireString(ctx, toolUse, 'name', `${path}.toolUse`),
        arguments: isJsonRecord(input) ? input : {},
      });
    } else {
      const reasoningContent = optionalRecord(ctx, block, 'reasoningContent', path);
      const reasoningText =
        reasoningContent === undefined
          ? undefined
          : optionalRecord(ctx, reasoningContent, 'reasoningText', `${path}.reasoningContent`);
      if (reasoningText !== undefined) {
        reasoning += optionalString(ctx, reasoningText, 'text', `${path}.reasoningContent.reasoningText`) ?? '';
      }
    }
  }
  const rawFinishReason = requireString(ctx, root, 'stopReason');
  const usage = optionalRecord(ctx, root, 'usage');
  if (usage !== undefined) checkNumbers(ctx, usage, USAGE_COUNTS, 'usage');
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason: mapStopReason(rawFinishReason),
    usage: mapUsage(usage),
    raw: body,
    rawFinishReason,
  };
  if (reasoning !== '') result.reasoning = reasoning;
  return result;
}
