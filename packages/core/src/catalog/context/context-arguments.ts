/**
 * Reads the two argument forms of the context helpers (`(messages, model, options)` and
 * `(messages, { model, ...options })`) into one, so every helper accepts what the others accept and
 * code written for either form keeps working.
 */
import type { ModelInfo } from '../../types/catalog.js';
import type { ContextModel, ContextModelArgument, ContextModelOptions } from '../../types/context.js';

/** A model and its options, whichever form they came in. */
export interface ContextArguments<Options extends object> {
  model: ContextModel | undefined;
  options: Options & ContextModelOptions;
}

/** True for the one-object form: an object with `model` that is not a catalog entry itself. */
function isOptionsForm(value: object): value is ContextModelOptions & { model: ContextModel } {
  return 'model' in value && !('limits' in value);
}

/** Splits `model` (a model, or options holding one) and the separate `options` into one shape. */
export function contextArguments<Options extends object>(
  model: ContextModelArgument<Options> | undefined,
  options: (Options & ContextModelOptions) | undefined,
): ContextArguments<Options> {
  if (model === undefined || typeof model === 'string' || !isOptionsForm(model))
    return { model: model as ContextModel | undefined, options: options ?? ({} as Options & ContextModelOptions) };
  const { model: inner, ...rest } = model;
  return { model: inner, options: { ...rest, ...options } as Options & ContextModelOptions };
}

/**
 * The model for token counting: a string reference resolved through the catalog when one is given
 * (an alias then counts with its base model's tokenizer), else the string itself as a hint.
 */
export function tokenizerModel(
  model: ContextModel | undefined,
  options: ContextModelOptions,
): ModelInfo | string | undefined {
  if (typeof model !== 'string' || options.catalog === undefined) return model;
  return options.catalog.requireModel(model);
}
