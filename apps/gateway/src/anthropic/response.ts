/**
 * A core `ChatResponse` as an Anthropic message body: `msg_` id, content blocks (thinking, text,
 * tool_use, in Anthropic's order), the model the client asked for (an alias or group name stays as
 * sent; the serving model is in the `x-switchboard-model` header), Anthropic's stop reasons and
 * usage. Anthropic counts `input_tokens` without the cached prompt, while core's `inputTokens`
 * includes it, so the cache reads and writes are taken out here.
 */
import { randomBytes } from 'node:crypto';
import type { ChatResponse, FinishReason, ReasoningBlock, Usage } from '@switchboard/core';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'pause_turn';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/** A message id in Anthropic's form: the upstream's when it already is one, else a fresh one. */
export function messageId(upstreamId?: string): string {
  if (upstreamId?.startsWith('msg_')) return upstreamId;
  return `msg_${randomBytes(12).toString('base64url')}`;
}

/** A tool call id in Anthropic's form when the upstream gave none. */
export function toolUseId(): string {
  return `toolu_${randomBytes(12).toString('base64url')}`;
}

/** Core usage in Anthropic's words (input without the cached prompt). */
export function anthropicUsage(usage: Usage): AnthropicUsage {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}

/**
 * The stop reason and matched sequence. Core's `stop` covers both a natural end and a stop
 * sequence; the provider's own reason (Anthropic's `stop_sequence`) tells them apart where it exists.
 */
export function stopReason(response: Pick<ChatResponse, 'finishReason' | 'rawFinishReason' | 'raw'>): {
  stopReason: AnthropicStopReason;
  stopSequence: string | null;
} {
  if (response.rawFinishReason === 'stop_sequence') {
    const raw = response.raw as { stop_sequence?: unknown } | undefined;
    return {
      stopReason: 'stop_sequence',
      stopSequence: typeof raw?.stop_sequence === 'string' ? raw.stop_sequence : null,
    };
  }
  return { stopReason: mapFinishReason(response.finishReason), stopSequence: null };
}

export function mapFinishReason(reason: FinishReason): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** A reasoning block in Anthropic's spelling. */
export function thinkingBlock(block: ReasoningBlock): AnthropicContentBlock {
  return block.type === 'thinking'
    ? { type: 'thinking', thinking: block.thinking, signature: block.signature }
    : { type: 'redacted_thinking', data: block.data };
}

/** The whole message body of a non-streamed answer. */
export function toAnthropicMessage(response: ChatResponse, requestedModel: string): AnthropicMessage {
  const content: AnthropicContentBlock[] = [];
  if (response.reasoningBlocks !== undefined && response.reasoningBlocks.length > 0) {
    for (const block of response.reasoningBlocks) content.push(thinkingBlock(block));
  } else if (response.reasoning !== undefined && response.reasoning !== '') {
    // Reasoning of a provider that does not sign it: shown, with an empty signature.
    content.push({ type: 'thinking', thinking: response.reasoning, signature: '' });
  }
  if (response.text !== '') content.push({ type: 'text', text: response.text });
  for (const call of response.toolCalls) {
    content.push({ type: 'tool_use', id: call.id || toolUseId(), name: call.name, input: call.arguments });
  }
  const stop = stopReason(response);
  return {
    id: messageId(response.id),
    type: 'message',
    role: 'assistant',
    model: requestedModel,
    content,
    stop_reason: stop.stopReason,
    stop_sequence: stop.stopSequence,
    usage: anthropicUsage(response.usage),
  };
}
