import type { ModelInfo } from '../types/catalog.js';
import type { Message } from '../types/requests.js';

/** Byte-pair encodings OpenAI models use, counted exactly with `gpt-tokenizer`. */
export type OpenAIEncoding = 'o200k_base' | 'cl100k_base';

/** A chat message as token counting needs it: the public `Message` or anything with role and content. */
export type TokenCountMessage =
  | Message
  | { role: string; content: string | null | readonly ({ type: string; text?: string } | object)[]; name?: string };

/** Text or chat messages to count. */
export type TokenCountInput = string | readonly TokenCountMessage[];

/** A token count and how much to trust it. */
export interface TokenCount {
  tokens: number;
  /** True when counted with the model's own tokenizer (and every part of the input was countable). */
  exact: boolean;
  /** How the number was obtained, e.g. `gpt-tokenizer o200k_base` or `estimate: ~4 characters per token`. */
  method: string;
  encoding?: OpenAIEncoding;
}

const O200K =
  /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[1-9](?:$|-)|chatgpt-4o|gpt-oss|codex|omni-moderation|gpt-realtime|gpt-audio|computer-use)/;
const CL100K = /^(?:gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/;

/**
 * The encoding an OpenAI model family uses, from its id (`gpt-4o-mini` -> `o200k_base`, `gpt-4-turbo`
 * -> `cl100k_base`), or `undefined` for non-OpenAI models. Works for the same model served elsewhere
 * (`azure/gpt-4o`, `openrouter/openai/gpt-4o`) because the tokenizer belongs to the model.
 */
export function encodingForModel(model: ModelInfo | string | undefined): OpenAIEncoding | undefined {
  if (model === undefined) return undefined;
  const id = (typeof model === 'string' ? model : model.id).toLowerCase();
  const name = id.slice(id.lastIndexOf('/') + 1);
  if (O200K.test(name)) return 'o200k_base';
  if (CL100K.test(name)) return 'cl100k_base';
  return undefined;
}

interface Encoder {
  countTokens(text: string): number;
}

const encoders = new Map<OpenAIEncoding, Encoder | null>();

/**
 * Loads an encoding on first use only: the o200k tables take tens of milliseconds and megabytes, and
 * most programs never count tokens. `gpt-tokenizer` is an optional peer dependency (it weighs ~26 MB
 * installed); when it is not installed, or Node's module loader is unavailable (browsers), counting
 * falls back to the estimate and says so. Loaded synchronously through `require` so counting stays a
 * plain function.
 */
function loadEncoder(encoding: OpenAIEncoding): Encoder | undefined {
  const cached = encoders.get(encoding);
  if (cached !== undefined) return cached ?? undefined;
  let encoder: Encoder | null = null;
  try {
    const getBuiltinModule = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)
      ?.getBuiltinModule;
    const nodeModule = getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
    if (nodeModule)
      encoder = nodeModule.createRequire(import.meta.url)(`gpt-tokenizer/encoding/${encoding}`) as Encoder;
  } catch {
    encoder = null;
  }
  encoders.set(encoding, encoder);
  return encoder ?? undefined;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]/g;

/**
 * Rough token count of text for models whose tokenizer we do not ship: about 4 characters per token
 * for Latin-script text (OpenAI's and Anthropic's rule of thumb), one token per CJK character (those
 * scripts tokenize at roughly one to one and a half tokens per character).
 */
export function estimateTextTokens(text: string): number {
  if (text.length === 0) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** Text parts of a message's content, and whether anything else (images, files) was present. */
function messageTexts(message: TokenCountMessage): { texts: string[]; complete: boolean } {
  const texts: string[] = [message.role];
  let complete = true;
  const content = message.content as unknown;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const part of content as { type?: string; text?: unknown }[]) {
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      else complete = false;
    }
  }
  const extra = message as { name?: unknown; toolCalls?: unknown };
  if (typeof extra.name === 'string') texts.push(extra.name);
  if (Array.isArray(extra.toolCalls) && extra.toolCalls.length > 0) {
    texts.push(JSON.stringify(extra.toolCalls));
    complete = false;
  }
  return { texts, complete };
}

/** Tokens OpenAI adds around each chat message, and once to prime the reply (OpenAI cookbook). */
export const CHAT_TOKENS_PER_MESSAGE = 3;
export const CHAT_TOKENS_PER_NAME = 1;
export const CHAT_REPLY_PRIMING_TOKENS = 3;

/**
 * Counts tokens of text or chat messages for a model. Exact for OpenAI families (o200k_base for
 * GPT-4o, 4.1, 4.5, 5 and o-series; cl100k_base for GPT-4, 3.5 and text-embedding-3) using
 * `gpt-tokenizer` when it is installed, with OpenAI's documented chat framing: 3 tokens per message, 1 more per `name`,
 * 3 to prime the reply. For other models, and for images or tool calls inside messages, it returns
 * an estimate and says so (`exact: false`).
 */
export function countTokens(input: TokenCountInput, model?: ModelInfo | string): TokenCount {
  const encoding = encodingForModel(model);
  const encoder = encoding ? loadEncoder(encoding) : undefined;
  const count = encoder ? (text: string) => encoder.countTokens(text) : estimateTextTokens;
  const method = encoder ? `gpt-tokenizer ${encoding}` : 'estimate: ~4 characters per token, 1 per CJK character';
  const result = (tokens: number, exact: boolean): TokenCount => {
    const counted: TokenCount = { tokens, exact, method };
    if (encoder && encoding) counted.encoding = encoding;
    return counted;
  };
  if (typeof input === 'string') return result(count(input), encoder !== undefined);
  let tokens = CHAT_REPLY_PRIMING_TOKENS;
  let complete = true;
  for (const message of input) {
    const { texts, complete: textOnly } = messageTexts(message);
    complete &&= textOnly;
    tokens += CHAT_TOKENS_PER_MESSAGE;
    for (const text of texts) tokens += count(text);
    if (typeof (message as { name?: unknown }).name === 'string') tokens += CHAT_TOKENS_PER_NAME;
  }
  return result(tokens, encoder !== undefined && complete);
}

/** {@link countTokens} as a bare number, for budgets and context checks that only need the figure. */
export function estimateTokens(input: TokenCountInput, model?: ModelInfo | string): number {
  return countTokens(input, model).tokens;
}
