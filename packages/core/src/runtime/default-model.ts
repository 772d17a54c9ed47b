/**
 * The model of a call that names none. A request without `model` used to throw
 * `TypeError: Cannot read properties of undefined` deep in resolution; now it takes, in order:
 *
 * 1. the switchboard's `defaultModel` option (`defaultEmbeddingModel` for `sb.embed`);
 * 2. a provider's default from static configuration, `config: { openai: { defaultModel } }`
 *    (`defaultEmbeddingModel` for embeddings), the first installed provider that sets one;
 * 3. the catalog default (`defaultModel` / `defaultEmbeddingModel` of the descriptor) of the first
 *    installed provider that is configured (has its key, or needs none).
 *
 * With none of these, a ConfigurationError names `model` and the options that would give one. The
 * default is applied at the entry of `sb.chat`, `sb.stream` and `sb.embed`, before validation, the
 * cache key and routing, so every later stage sees the request as if the caller had named it.
 * A request that names its model pays one `undefined` check.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { SwitchboardConfig } from '../types/config.js';
import type { ProviderInput } from '../types/provider.js';
import type { ModelRef } from '../types/requests.js';

/** The switchboard options that give a default model. */
export interface DefaultModelOptions {
  /** The model of a chat or stream call without `model` (`'openai/gpt-4o-mini'`, or a group name). */
  defaultModel?: ModelRef;
  /** The model of an embed call without `model`. */
  defaultEmbeddingModel?: ModelRef;
  config?: SwitchboardConfig;
  env?: Readonly<Record<string, string | undefined>>;
}

type Operation = 'chat' | 'embed';

/** True when the provider can be called as it stands: a custom provider, a key set, or none needed. */
function hasCredentials(provider: ProviderInput, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((provider as { kind?: string }).kind === 'custom' || !('descriptor' in provider)) return true;
  const { auth } = provider.descriptor;
  if (auth.type === 'none' || auth.type === 'aws-sigv4' || auth.optional === true) return true;
  if (provider.settings.apiKey !== undefined && provider.settings.apiKey !== '') return true;
  return auth.env.some((name) => (env[name] ?? '') !== '');
}

/** The default model of an operation for these providers, or a ConfigurationError saying how to set one. */
export function resolveDefaultModel(
  operation: Operation,
  providers: readonly ProviderInput[],
  options: DefaultModelOptions,
): ModelRef {
  const embed = operation === 'embed';
  const option = embed ? options.defaultEmbeddingModel : options.defaultModel;
  if (option !== undefined) return option;
  for (const provider of providers) {
    const configured = options.config?.[provider.id];
    const fromConfig = embed ? configured?.defaultEmbeddingModel : configured?.defaultModel;
    if (fromConfig !== undefined && fromConfig !== '') return `${provider.id}/${fromConfig}`;
  }
  const env = options.env ?? process.env;
  for (const provider of providers) {
    if (!('descriptor' in provider) || !hasCredentials(provider, env)) continue;
    const fromCatalog = embed ? provider.descriptor.defaultEmbeddingModel : provider.descriptor.defaultModel;
    if (fromCatalog !== undefined && fromCatalog !== '') return `${provider.id}/${fromCatalog}`;
  }
  const setting = embed ? 'defaultEmbeddingModel' : 'defaultModel';
  throw new ConfigurationError(
    `The request has no \`model\` and there is no default: pass \`model\`, set createSwitchboard({ ${setting} }) ` +
      `or config: { <provider>: { ${setting} } }, or configure a provider whose catalog has a default ${embed ? 'embedding ' : ''}model` +
      ` (installed: ${providers.map((provider) => provider.id).join(', ') || 'none'})`,
    { setting: 'model' },
  );
}

/** The request itself when it names a model; else a copy with the default model. */
export function withDefaultModel<Request extends { model?: ModelRef | undefined }>(
  operation: Operation,
  request: Request,
  providers: readonly ProviderInput[],
  options: DefaultModelOptions,
): Request & { model: ModelRef } {
  if (request === null || typeof request !== 'object' || request.model !== undefined)
    return request as Request & { model: ModelRef };
  return { ...request, model: resolveDefaultModel(operation, providers, options) };
}
