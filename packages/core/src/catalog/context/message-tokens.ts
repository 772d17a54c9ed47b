/**
 * Token counts of chat messages: exact for OpenAI model families (the model's own encoding through
 * `gpt-tokenizer`, with OpenAI's chat framing of 3 tokens per message, 1 per name and 3 to prime the
 * reply), the documented estimate (~4 characters per token, 1 per CJK character) elsewhere. Rate
 * limiters and budgets call {@link countMessageTokens} to reserve input tokens before a call.
 */

import type { ModelInfo } from '../../types/catalog.js';
import type { ContextModelArgument, ContextModelOptions } from '../../types/context.js';
import { CHAT_REPLY_PRIMING_TOKENS, countTokens, type TokenCountMessage } from '../tokens.js';
import { contextArguments, tokenizerModel } from './context-arguments.js';

/**
 * Input tokens of a whole message list, reply priming included. Takes the model as the other
 * context helpers do: `(messages, model, { catalog })` or `(messages, { model, catalog })`; a
 * string without a catalog is a tokenizer hint (`'gpt-4o'`, `'openai/gpt-4o'`).
 */
export function countMessageTokens(
  messages: readonly TokenCountMessage[],
  model?: ContextModelArgument,
  options?: ContextModelOptions,
): number {
  if (options === undefined && (model === undefined || typeof model === 'string' || 'limits' in model))
    return countTokens(messages, model as ModelInfo | string | undefined).tokens;
  const args = contextArguments(model, options);
  return countTokens(messages, tokenizerModel(args.model, args.options)).tokens;
}

/**
 * Tokens one message adds to a list (its framing included, the once-per-request reply priming not):
 * the sum over messages plus {@link CHAT_REPLY_PRIMING_TOKENS} equals {@link countMessageTokens}.
 */
export function messageTokens(message: TokenCountMessage, model?: ModelInfo | string): number {
  return countTokens([message], model).tokens - CHAT_REPLY_PRIMING_TOKENS;
}
