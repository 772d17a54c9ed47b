/**
 * Parses Chat Completions responses. A complete answer is checked against a lenient shape
 * (shared/shape.ts): what the parser needs must be there, everything else may be missing. The
 * helpers shared with the stream decoder (usage, finish reasons, citations) stay forgiving.
 */
import type { DialectSpec } from '../../types/catalog.js';
import type { CallContext, ProtocolChatResult } from '../../types/protocol.js';
import type { FinishReason, ToolCall, Usage } from '../../types/requests.js';
import { asNumber, asRecord, asString, isRecord, parseToolArguments } from '../shared/json.js';
import {
  checkNumbers,
  fieldPath,
  isJsonRecord,
  itemPath,
  type JsonRecord,
  optionalArray,
  optionalRecord,
  optionalString,
  requireBody,
  requireItem,
  requireRecord,
  type ShapeContext,
  shapeError,
  shapeProblem,
  withBodyError,
  wrongShape,
} from '../shared/shape.js';

/** Maps a Chat Completions `finish_reason` (and the odd dialect's) to core's finish reason. */
export function mapFinishReason(raw: unknown): FinishReason {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
    case 'eos':
      return 'stop';
    case 'length':
    case 'model_length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'function_call':
    case 'tool_use':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

/**
 * Normalizes a Chat Completions usage object (plus Groq's `x_groq.usage` shape, DeepSeek's cache
 * fields and OpenRouter's `cache_write_tokens`). Returns only the fields the provider sent.
 *
 * `completion_tokens` normally includes reasoning tokens (OpenAI). Some providers (xAI) count them
 * apart: then `total_tokens == prompt + completion + reasoning`, and the reasoning tokens are added to
 * `outputTokens` so it always counts every generated token as billed.
 */
export function parseUsage(value: unknown): Partial<Usage> | undefined {
  if (!isRecord(value)) return undefined;
  const usage: Partial<Usage> = {};
  const prompt = asNumber(value.prompt_tokens) ?? asNumber(value.input_tokens);
  let completion = asNumber(value.completion_tokens) ?? asNumber(value.output_tokens);
  const total = asNumber(value.total_tokens);
  const promptDetails = asRecord(value.prompt_tokens_details ?? value.input_tokens_details);
  const completionDetails = asRecord(value.completion_tokens_details ?? value.output_tokens_details);
  const cacheRead = asNumber(promptDetails.cached_tokens) ?? asNumber(value.prompt_cache_hit_tokens);
  const cacheWrite = asNumber(promptDetails.cache_write_tokens);
  const reasoning = asNumber(completionDetails.reasoning_tokens) ?? asNumber(value.reasoning_tokens);
  if (
    completion !== undefined &&
    prompt !== undefined &&
    total !== undefined &&
    reasoning !== undefined &&
    reasoning > 0 &&
    total === prompt + completion + reasoning
  ) {
    completion += reasoning;
  }
  if (prompt !== undefined) usage.inputTokens = prompt;
  if (completion !== undefined) usage.outputTokens = completion;
  if (total !== undefined) usage.totalTokens = total;
  else if (prompt !== undefined && completion !== undefined) usage.totalTokens = prompt + completion;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** The usage object of a response or chunk: top-level `usage`, else Groq's `x_groq.usage`. */
export function usageOf(body: Record<string, unknown>): Partial<Usage> | undefined {
  return parseUsage(body.usage) ?? parseUsage(asRecord(body.x_groq).usage);
}

export function completeUsage(partial: Partial<Usage> | undefined): Usage {
  const inputTokens = partial?.inputTokens ?? 0;
  const outputTokens = partial?.outputTokens ?? 0;
  const usage: Usage = { inputTokens, outputTokens, totalTokens: partial?.totalTokens ?? inputTokens + outputTokens };
  if (partial?.cacheReadTokens !== undefined) usage.cacheReadTokens = partial.cacheReadTokens;
  if (partial?.cacheWriteTokens !== undefined) usage.cacheWriteTokens = partial.cacheWriteTokens;
  if (partial?.reasoningTokens !== undefined) usage.reasoningTokens = partial.reasoningTokens;
  return usage;
}

/** Reasoning text fields tried in order: the dialect's, then the common ones. */
export function reasoningFields(dialect: DialectSpec): string[] {
  const fields = ['reasoning_content', 'reasoning'];
  return dialect.reasoningField
    ? [dialect.reasoningField, ...fields.filter((f) => f !== dialect.reasoningField)]
    : fields;
}

/** The field lists of a dialect, built once (parseChat runs on every call). */
const fieldsByDialect = new WeakMap<DialectSpec, { reasoning: readonly string[]; citations: readonly string[] }>();

function dialectFields(dialect: DialectSpec): { reasoning: readonly string[]; citations: readonly string[] } {
  let fields = fieldsByDialect.get(dialect);
  if (fields === undefined) {
    fields = { reasoning: reasoningFields(dialect), citations: citationFields(dialect) };
    fieldsByDialect.set(dialect, fields);
  }
  return fields;
}

function citationFields(dialect: DialectSpec): string[] {
  return dialect.citationsField
    ? [dialect.citationsField, 'citations', 'search_results']
    : ['citations', 'search_results'];
}

/** Citations from `citationsField` (default `citations`, then `search_results`): URL strings. */
export function citationsOf(body: Record<string, unknown>, dialect: DialectSpec): string[] | undefined {
  for (const field of dialectFields(dialect).citations) {
    const list = body[field];
    if (!Array.isArray(list)) continue;
    const urls = list
      .map((c) => (typeof c === 'string' ? c : asString(asRecord(c).url)))
      .filter((u): u is string => u !== undefined);
    if (urls.length > 0) return urls;
  }
  return undefined;
}

const NO_DIALECT: DialectSpec = {};

const USAGE_COUNTS = ['prompt_tokens', 'completion_tokens', 'total_tokens', 'input_tokens', 'output_tokens'] as const;

/**
 * The text of a checked message: a string, null or missing (no text), or the array-of-parts form
 * (strings or `{ text }` objects). Anything else is not an answer: `content: 42` would otherwise
 * become `""` or `[object Object]`.
 */
function checkedContentText(ctx: ShapeContext, message: JsonRecord, path: string): string | undefined {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (content === undefined || content === null) return undefined;
  if (!Array.isArray(content))
    throw wrongShape(ctx, fieldPath(path, 'content'), content, 'a string or an array of parts');
  let text = '';
  for (let index = 0; index < content.length; index++) {
    const part = content[index];
    if (typeof part === 'string') text += part;
    else if (isJsonRecord(part))
      text += optionalString(ctx, part, 'text', itemPath(fieldPath(path, 'content'), index)) ?? '';
    else throw wrongShape(ctx, itemPath(fieldPath(path, 'content'), index), part, 'a string or an object');
  }
  return text;
}

/** Tool calls of a checked message: each needs a name (in `function` or, on some servers, at the top). */
function checkedToolCalls(ctx: ShapeContext, message: JsonRecord, path: string): ToolCall[] {
  const list = optionalArray(ctx, message, 'tool_calls', path);
  if (list === undefined || list.length === 0) return [];
  const listPath = fieldPath(path, 'tool_calls');
  const calls: ToolCall[] = [];
  for (let index = 0; index < list.length; index++) {
    const call = requireItem(ctx, list, index, listPath);
    const fn = optionalRecord(ctx, call, 'function', itemPath(listPath, index));
    const name = (fn === undefined ? undefined : asString(fn.name)) ?? asString(call.name);
    if (name === undefined) throw wrongShape(ctx, `${itemPath(listPath, index)}.function.name`, fn?.name, 'a string');
    calls.push({
      id: asString(call.id) ?? `call_${index}`,
      name,
      arguments: parseToolArguments(fn?.arguments ?? call.arguments),
    });
  }
  return calls;
}

/**
 * Parses a complete Chat Completions answer, checking its shape first: `choices` must hold a choice
 * with a `message`, whose `content` is text (or null beside tool calls, a refusal or reasoning).
 * Unknown fields (OpenRouter's `provider`, Groq's `x_groq`, Azure's filter results) are ignored and
 * `usage` may be absent (some servers send none; usage is then zero).
 */
export function parseChat(ctx: CallContext, body: unknown): ProtocolChatResult {
  const dialect = ctx.descriptor.dialect ?? NO_DIALECT;
  const root = requireBody(ctx, body);
  const choices = root.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    throw shapeError(ctx, withBodyError(shapeProblem('choices', choices, 'a non-empty array'), root));
  }
  let position = 0;
  for (let index = 0; index < choices.length; index++) {
    const candidate = choices[index];
    if (isJsonRecord(candidate) && (candidate.index === 0 || candidate.index === undefined)) {
      position = index;
      break;
    }
  }
  // Paths are only read when a check fails; the usual first choice needs no string building.
  const choicePath = position === 0 ? 'choices[0]' : itemPath('choices', position);
  const choice = requireItem(ctx, choices, position, 'choices');
  const messagePath = position === 0 ? 'choices[0].message' : `${choicePath}.message`;
  const message = requireRecord(ctx, choice, 'message', choicePath);
  const content = checkedContentText(ctx, message, messagePath);
  const refusal = optionalString(ctx, message, 'refusal', messagePath);
  let text = content ?? '';
  if (text === '' && refusal !== undefined && refusal !== '') text = refusal;
  let reasoning: string | undefined;
  for (const field of dialectFields(dialect).reasoning) {
    const r = asString(message[field]);
    if (r !== undefined) {
      reasoning = r;
      break;
    }
  }
  const toolCalls = checkedToolCalls(ctx, message, messagePath);
  const rawFinish = optionalString(ctx, choice, 'finish_reason', choicePath) || undefined;
  if (content === undefined && refusal === undefined && reasoning === undefined && toolCalls.length === 0) {
    // A null content is an answer only beside something else, or when the model was stopped early.
    if (rawFinish === undefined || mapFinishReason(rawFinish) === 'stop') {
      throw shapeError(ctx, `${messagePath} has no content, tool_calls or refusal`);
    }
  }
  const usageRecord = optionalRecord(ctx, root, 'usage');
  if (usageRecord !== undefined) checkNumbers(ctx, usageRecord, USAGE_COUNTS, 'usage');
  let finishReason: FinishReason = mapFinishReason(rawFinish);
  if (rawFinish === undefined) finishReason = toolCalls.length > 0 ? 'tool-calls' : 'other';
  const result: ProtocolChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: completeUsage(usageOf(root)),
    raw: body,
  };
  if (reasoning !== undefined) result.reasoning = reasoning;
  if (rawFinish !== undefined) result.rawFinishReason = rawFinish;
  const id = asString(root.id);
  if (id !== undefined) result.id = id;
  const model = asString(root.model);
  if (model !== undefined) result.model = model;
  const citations = citationsOf(root, dialect);
  if (citations !== undefined) result.citations = citations;
  return result;
}
