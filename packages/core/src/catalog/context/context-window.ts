/**
 * Context-window queries: how large a model's window is, whether messages fit it (and by how much
 * they do not), and where their tokens go.
 */

import { ConfigurationError } from '../../errors/errors.js';
import type { ModelInfo } from '../../types/catalog.js';
import type {
  ContextModel,
  ContextModelArgument,
  ContextModelOptions,
  ContextStats,
  ContextValidation,
} from '../../types/context.js';
import type { Message } from '../../types/requests.js';
import { countTokens } from '../tokens.js';
import { contextArguments, tokenizerModel } from './context-arguments.js';
import { messageTokens } from './message-tokens.js';

/** The catalog facts of a model given as facts or as a reference plus a catalog. */
export function resolveContextModel(model: ContextModel, options?: ContextModelOptions): ModelInfo {
  if (typeof model !== 'string') return model;
  if (options?.catalog === undefined)
    throw new ConfigurationError(
      `Context helpers need the model's catalog entry: pass a ModelInfo, or { catalog: sb.catalog } with '${model}'`,
      { setting: 'catalog' },
    );
  return options.catalog.requireModel(model);
}

/** The model's context window (input plus output) in tokens. */
export function contextWindow(modelOrOptions: ContextModelArgument, moreOptions?: ContextModelOptions): number {
  const { model, options } = contextArguments(modelOrOptions, moreOptions);
  if (model === undefined) throw new ConfigurationError('contextWindow needs `model`', { setting: 'model' });
  return resolveContextModel(model, options).limits.context;
}

/**
 * The largest share of the window kept for the answer by default: a model whose catalog lists a
 * huge output limit (or none) would otherwise have most of its window reserved, or none of it.
 */
export const DEFAULT_OUTPUT_SHARE = 0.25;

/**
 * Tokens kept for the answer when the caller does not say: the request's `maxTokens` when given,
 * else the model's max output (catalog `limits.output`), at most 25 % of the window; a quarter of the
 * window when the catalog lists no output limit. Without a reserve a conversation could fill the
 * window to the last token and leave the model no room to answer (127.5k of 128k).
 */
export function defaultOutputReserve(model: ModelInfo, maxTokens?: number): number {
  if (maxTokens !== undefined) return maxTokens;
  const share = Math.floor(model.limits.context * DEFAULT_OUTPUT_SHARE);
  return Math.min(model.limits.output ?? share, share);
}

/** Input tokens the model accepts when `reserveOutput` tokens are kept for the answer. */
export function inputBudget(model: ModelInfo, reserveOutput = 0): number {
  const { context, input } = model.limits;
  return Math.max(0, Math.min(input ?? Number.POSITIVE_INFINITY, context - reserveOutput));
}

/** Options of {@link validateContext}. */
export interface ValidateContextOptions extends ContextModelOptions {
  /** Tokens left for the answer (default 0). */
  reserveOutput?: number;
  /** The input budget, instead of the window less `reserveOutput`. */
  maxTokens?: number;
}

/**
 * Whether `messages` fit the model's window with `reserveOutput` tokens left for the answer, with
 * the token count, the budget, and how much room is left or missing. Takes the model as the other
 * context helpers do: `(messages, model, { catalog, reserveOutput })` or
 * `(messages, { model, catalog, reserveOutput })`. A string reference needs the catalog (the window
 * is a catalog fact); `countMessageTokens` takes the same arguments.
 */
export function validateContext(
  messages: readonly Message[],
  modelOrOptions: ContextModelArgument<ValidateContextOptions>,
  moreOptions?: ValidateContextOptions,
): ContextValidation {
  const { model, options } = contextArguments(modelOrOptions, moreOptions);
  if (model === undefined) throw new ConfigurationError('validateContext needs `model`', { setting: 'model' });
  const info = resolveContextModel(model, options);
  const limit = options.maxTokens ?? inputBudget(info, options.reserveOutput ?? 0);
  const counted = countTokens(messages, info);
  return {
    fits: counted.tokens <= limit,
    tokens: counted.tokens,
    limit,
    available: Math.max(0, limit - counted.tokens),
    overBy: Math.max(0, counted.tokens - limit),
    exact: counted.exact,
  };
}

/** Message count, tokens in total and per role, and the average per message (same arguments as `countMessageTokens`). */
export function contextStats(
  messages: readonly Message[],
  modelOrOptions?: ContextModelArgument,
  moreOptions?: ContextModelOptions,
): ContextStats {
  const { model, options } = contextArguments(modelOrOptions, moreOptions);
  const info = tokenizerModel(model, options);
  const byRole: ContextStats['byRole'] = {};
  let sum = 0;
  for (const message of messages) {
    const tokens = messageTokens(message, info);
    sum += tokens;
    const entry = byRole[message.role] ?? { count: 0, tokens: 0 };
    entry.count += 1;
    entry.tokens += tokens;
    byRole[message.role] = entry;
  }
  const counted = countTokens(messages, info);
  return {
    count: messages.length,
    tokens: counted.tokens,
    byRole,
    averageTokens: messages.length === 0 ? 0 : sum / messages.length,
    exact: counted.exact,
  };
}
