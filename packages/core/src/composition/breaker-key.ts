/** The breaker key of a provider or model named by hand (`sb.resetBreaker`, `sb.openBreaker`). */
import { ConfigurationError } from '../errors/errors.js';
import type { IndexedProvider } from '../runtime/provider-index.js';
import { notInstalled } from './not-installed.js';

/** `'<provider>'` or `'<provider>/<model>'`; an unknown provider or an empty model is an error naming it. */
export function breakerKey(
  providers: Map<string, IndexedProvider>,
  provider: string,
  model: string | undefined,
): string {
  if (typeof provider !== 'string' || !providers.has(provider)) throw notInstalled(providers, String(provider));
  if (model !== undefined && (typeof model !== 'string' || model === ''))
    throw new ConfigurationError('`model` must be a model id of the provider', { setting: 'model' });
  return model === undefined ? provider : `${provider}/${model}`;
}
