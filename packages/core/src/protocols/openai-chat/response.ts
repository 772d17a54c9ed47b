/**
 * Parses Chat Completions responses leniently: a missing or null field never throws, it just
 * leaves the normalized value empty.
 */
import type { DialectSpec } from '../../catalog/types.js';
import type { FinishReason, ToolCall, Usage } from '../../runtime/types.js';
import { asArray, asNumber, asRecord, asString, isRecord, parseToolArguments } from '../shared/json.js';
import type { CallContext, ProtocolChatResult } from '../types.js';

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

/** Text content of a message: a string, or an array of `{type: 'text', text}` parts (some servers). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === 'string' ? p : (asString(asRecord(p).text) ?? ''))).join('');
  }
  return '';
}

export function parseToolCalls(value: unknown): ToolCall[] {
  const calls: ToolCall[] = [];
  asArray(value).forEach((item, i) => {
    const tc = asRecord(item);
    const fn = asRecord(tc.function);
    const name = asString(fn.name) ?? asString(tc.name);
    if (name === undefined) return;
    calls.push({
      id: asString(tc.id) ?? `call_${i}`,
      name,
      arguments: parseToolArguments(fn.arguments ?? tc.arguments),
    });
  });
  return calls;
}

const NO_DIALECT: DialectSpec = {};

export function parseChat(ctx: CallContext, body: unknown): ProtocolChatResult {
  const dialect = ctx.descriptor.dialect ?? NO_DIALECT;
  const root = asRecord(body);
  const choices = asArray(root.choices);
  const choice = asRecord(
    choices.find((c) => asRecord(c).index === 0 || asRecord(c).index === undefined) ?? choices[0],
  );
  const message = asRecord(choice.message);
  let text = contentText(message.content);
  const refusal = asString(message.refusal);
  if (text === '' && refusal !== undefined) text = refusal;
  let reasoning: string | undefined;
  for (const field of dialectFields(dialect).reasoning) {
    const r = asString(message[field]);
    if (r !== undefined) {
      reasoning = r;
      break;
    }
  }
  const toolCalls = parseToolCalls(message.tool_calls);
  const rawFinish = asString(choice.finish_reason);
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
