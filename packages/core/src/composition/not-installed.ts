/** The error of a call naming a provider that is not installed (lists the installed ones). */
import { NotFoundError } from '../errors/errors.js';
import type { IndexedProvider } from '../runtime/provider-index.js';

/** A NotFoundError naming `provider` and the installed providers. */
export function notInstalled(providers: Map<string, IndexedProvider>, provider: string): NotFoundError {
  return new NotFoundError(
    `Provider '${provider}' is not installed (installed: ${[...providers.keys()].join(', ') || 'none'})`,
    { provider, retryable: false },
  );
}
