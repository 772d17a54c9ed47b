/**
 * Gemini GenerateContentResponse parsing, shared by the non-streamed parser and the stream decoder.
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */
import type { FinishReason, ToolCall, Usage } from '../../runtime/types.js';
import type { CallContext, ProtocolChatResult } from '../types.js';
import { rememberSignature } from './request.js';

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: Record<string, unknown> };
}

export interface GeminiUsage {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiResponse {
  candidates?: { content?: { parts?: GeminiPart[]; role?: string }; finishReason?: string; index?: number }[];
  promptFeedback?: { blockReason?: string };
  usageMetadata?: GeminiUsage;
  modelVersion?: string;
  responseId?: string;
  error?: unknown;
}

/**
 * Gemini's finish reasons. A STOP whose candidate holds function calls is `tool-calls`; a prompt
 * blocked before generation (promptFeedback.blockReason, no candidates) is `content-filter`.
 */
export function mapFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'STOP':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
      return 'error';
    case undefined:
      return hasToolCalls ? 'tool-calls' : 'stop';
    default:
      return 'other';
  }
}

/**
 * `promptTokenCount` already includes cached tokens; output is candidates plus thoughts (both billed
 * as output), with thoughts reported as reasoning.
 */
export function mapUsage(usage: GeminiUsage | undefined): Usage {
  const inputTokens = usage?.promptTokenCount ?? 0;
  const thoughts = usage?.thoughtsTokenCount;
  const outputTokens = (usage?.candidatesTokenCount ?? 0) + (thoughts ?? 0);
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (usage?.cachedContentTokenCount !== undefined) out.cacheReadTokens = usage.cachedContentTokenCount;
  if (thoughts !== undefined) out.reasoningTokens = thoughts;
  return out;
}

/** Gemini gives function calls no id (newer models may): make a stable one from the response. */
export function toolCallId(part: GeminiPart, responseId: string | undefined, index: number): string {
  if (part.functionCall?.id) return part.functionCall.id;
  return `call_${responseId ?? 'gemini'}_${index}`;
}

export function toToolCall(part: GeminiPart, responseId: string | undefined, index: number): ToolCall {
  const id = toolCallId(part, responseId, index);
  if (part.thoughtSignature !== undefined) rememberSignature(id, part.thoughtSignature);
  return { id, name: part.functionCall?.name ?? '', arguments: part.functionCall?.args ?? {} };
}

export function parseChatBody(_ctx: CallContext, body: unknown): ProtocolChatResult {
  const response = (body ?? {}) as GeminiResponse;
  const candidate = response.candidates?.[0];
  let text = '';
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const part of candidate?.content?.parts ?? []) {
    if (part.functionCall !== undefined) toolCalls.push(toToolCall(part, response.responseId, toolCalls.length));
    else if (part.thought === true) reasoning = (reasoning ?? '') + (part.text ?? '');
    else if (part.text !== undefined) text += part.text;
  }
  const blockReason = response.promptFeedback?.blockReason;
  const rawFinishReason = candidate?.finishReason ?? (candidate === undefined ? blockReason : undefined);
  const finishReason =
    candidate === undefined && blockReason !== undefined
      ? 'content-filter'
      : mapFinishReason(candidate?.finishReason, toolCalls.length > 0);
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: mapUsage(response.usageMetadata),
    raw: body,
  };
  if (reasoning !== undefined) result.reasoning = reasoning;
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  if (response.responseId !== undefined) result.id = response.responseId;
  if (response.modelVersion !== undefined) result.model = response.modelVersion;
  return result;
}
