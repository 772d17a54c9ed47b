/**
 * Gemini GenerateContentResponse parsing, shared by the non-streamed parser and the stream decoder.
 * https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
 */

import type { CallContext, ProtocolChatResult } from '../../types/protocol.js';
import type { FinishReason, ToolCall, Usage } from '../../types/requests.js';
import {
  checkNumbers,
  itemPath,
  type JsonRecord,
  optionalArray,
  optionalRecord,
  optionalString,
  requireBody,
  requireItem,
  requireString,
  shapeError,
  shapeProblem,
  withBodyError,
} from '../shared/shape.js';
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

const USAGE_COUNTS = [
  'promptTokenCount',
  'candidatesTokenCount',
  'cachedContentTokenCount',
  'thoughtsTokenCount',
  'toolUsePromptTokenCount',
  'totalTokenCount',
] as const;

/** The parts of a checked candidate: objects whose `text` is text and whose `functionCall` has a name. */
function checkedParts(ctx: CallContext, candidate: JsonRecord): GeminiPart[] {
  const content = optionalRecord(ctx, candidate, 'content', 'candidates[0]');
  if (content === undefined) return [];
  const parts = optionalArray(ctx, content, 'parts', 'candidates[0].content');
  if (parts === undefined) return [];
  for (let index = 0; index < parts.length; index++) {
    const part = requireItem(ctx, parts, index, 'candidates[0].content.parts');
    const path = itemPath('candidates[0].content.parts', index);
    optionalString(ctx, part, 'text', path);
    const call = optionalRecord(ctx, part, 'functionCall', path);
    if (call !== undefined) {
      requireString(ctx, call, 'name', `${path}.functionCall`);
      optionalRecord(ctx, call, 'args', `${path}.functionCall`);
    }
  }
  return parts as GeminiPart[];
}

/**
 * Parses a complete GenerateContentResponse, checking its shape first: a candidate (or a prompt
 * blocked before generation, `promptFeedback.blockReason` with no candidates), whose parts carry
 * text or named function calls. A candidate may lack `content` (a safety stop, or thinking that used
 * every token) but then says why in `finishReason`. Unknown fields are ignored; usage may be absent.
 */
export function parseChatBody(ctx: CallContext, body: unknown): ProtocolChatResult {
  const root = requireBody(ctx, body);
  const candidates = optionalArray(ctx, root, 'candidates');
  const feedback = optionalRecord(ctx, root, 'promptFeedback');
  const blockReason =
    feedback === undefined ? undefined : optionalString(ctx, feedback, 'blockReason', 'promptFeedback');
  if ((candidates === undefined || candidates.length === 0) && blockReason === undefined) {
    throw shapeError(ctx, withBodyError(shapeProblem('candidates', root.candidates, 'a non-empty array'), root));
  }
  const candidate =
    candidates === undefined || candidates.length === 0 ? undefined : requireItem(ctx, candidates, 0, 'candidates');
  const parts = candidate === undefined ? [] : checkedParts(ctx, candidate);
  const candidateFinish =
    candidate === undefined ? undefined : optionalString(ctx, candidate, 'finishReason', 'candidates[0]');
  if (candidate !== undefined && candidate.content == null && candidateFinish === undefined) {
    throw shapeError(ctx, 'candidates[0] has neither content nor finishReason');
  }
  const usage = optionalRecord(ctx, root, 'usageMetadata');
  if (usage !== undefined) checkNumbers(ctx, usage, USAGE_COUNTS, 'usageMetadata');
  const responseId = optionalString(ctx, root, 'responseId');
  let text = '';
  let reasoning: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const part of parts) {
    if (part.functionCall !== undefined && part.functionCall !== null) {
      toolCalls.push(toToolCall(part, responseId, toolCalls.length));
    } else if (part.thought === true) reasoning = (reasoning ?? '') + (part.text ?? '');
    else if (typeof part.text === 'string') text += part.text;
  }
  const rawFinishReason = candidateFinish ?? (candidate === undefined ? blockReason : undefined);
  const finishReason =
    candidate === undefined ? 'content-filter' : mapFinishReason(candidateFinish, toolCalls.length > 0);
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: mapUsage(usage as GeminiUsage | undefined),
    raw: body,
  };
  if (reasoning !== undefined) result.reasoning = reasoning;
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  if (responseId !== undefined) result.id = responseId;
  const modelVersion = optionalString(ctx, root, 'modelVersion');
  if (modelVersion !== undefined) result.model = modelVersion;
  return result;
}
