/**
 * The `truncate` request option: before a call is sent, fit its messages to the model's window.
 * Runs inside request preparation, after the model is resolved (so fallbacks truncate for their own
 * window); token counts for non-OpenAI models are estimates, so a result that still does not fit is
 * sent anyway with a warning rather than refused.
 */
import type { ModelInfo } from '../../types/catalog.js';
import type { TruncateOptions } from '../../types/context.js';
import type { ChatRequest, Message } from '../../types/requests.js';
import { defaultOutputReserve } from './context-window.js';
import { fitMessages } from './fit-messages.js';

/** A request's `truncate` option. */
export type TruncateOption = boolean | TruncateOptions;

/**
 * The answer reserve a request implies: its `maxTokens`, else the model's max output capped at 25 %
 * of the window (a quarter of the window when the output limit is unknown); see `defaultOutputReserve`.
 */
export function defaultReserve(model: ModelInfo, request: Pick<ChatRequest, 'maxTokens'>): number {
  return defaultOutputReserve(model, request.maxTokens);
}

/** The request's messages, truncated when it asks for it; notes what happened in `warnings`. */
export function truncateForRequest(
  request: Pick<ChatRequest, 'messages' | 'maxTokens'> & { truncate?: TruncateOption },
  model: ModelInfo | undefined,
  warnings: string[],
): Message[] {
  const option = request.truncate;
  if (option === undefined || option === false) return request.messages;
  const options: TruncateOptions = option === true ? {} : option;
  if (model === undefined && options.maxTokens === undefined) {
    warnings.push('truncate skipped: the catalog does not list this model, so its context window is unknown');
    return request.messages;
  }
  const info: ModelInfo = model ?? {
    id: 'unknown',
    provider: 'unknown',
    ref: 'unknown/unknown',
    name: 'unknown',
    type: 'chat',
    status: 'active',
    limits: { context: options.maxTokens as number },
    modalities: { input: ['text'], output: ['text'] },
    capabilities: [],
  };
  const reserveOutput = options.reserveOutput ?? defaultReserve(info, request);
  const fitted = fitMessages(request.messages, { ...options, reserveOutput, model: info });
  if (fitted.dropped.length > 0)
    warnings.push(
      `truncate: dropped ${fitted.dropped.length} of ${request.messages.length} messages to fit ${fitted.limit} input tokens`,
    );
  if (!fitted.fits)
    warnings.push(`truncate: the kept messages (${fitted.tokens} tokens) still exceed the budget of ${fitted.limit}`);
  return fitted.messages;
}
