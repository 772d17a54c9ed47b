/** Converse responses: content blocks, stop reasons and usage, normalized (DESIGN 5). */
import type { FinishReason, ToolCall, Usage } from '../../runtime/types.js';
import type { ProtocolChatResult } from '../types.js';

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

interface ConverseBlock {
  text?: string;
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  reasoningContent?: { reasoningText?: { text?: string; signature?: string }; redactedContent?: string };
}
interface ConverseBody {
  output?: { message?: { content?: unknown } };
  stopReason?: unknown;
  usage?: unknown;
}

/** Parses a complete Converse response body. */
export function parseConverseResponse(body: unknown): ProtocolChatResult {
  const b = (body !== null && typeof body === 'object' ? body : {}) as ConverseBody;
  const rawContent = b.output?.message?.content;
  const content: unknown[] = Array.isArray(rawContent) ? rawContent : [];
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block === null || typeof block !== 'object') continue;
    const blk = block as ConverseBlock;
    if (typeof blk.text === 'string') text += blk.text;
    else if (blk.toolUse && typeof blk.toolUse === 'object') {
      const input = blk.toolUse.input as Record<string, unknown> | null | undefined;
      toolCalls.push({
        id: String(blk.toolUse.toolUseId ?? ''),
        name: String(blk.toolUse.name ?? ''),
        arguments: input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {},
      });
    } else if (blk.reasoningContent && typeof blk.reasoningContent === 'object') {
      const r = blk.reasoningContent.reasoningText;
      if (r && typeof r.text === 'string') reasoning += r.text;
    }
  }
  const rawFinishReason = typeof b.stopReason === 'string' ? b.stopReason : undefined;
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason: mapStopReason(rawFinishReason),
    usage: mapUsage(b.usage),
    raw: body,
  };
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  if (reasoning !== '') result.reasoning = reasoning;
  return result;
}
