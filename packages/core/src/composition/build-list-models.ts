/**
 * `sb.listModels`: a provider's live model list, completed with catalog facts; models the catalog
 * does not know join `sb.catalog` as discovered entries unless `{ discover: false }`.
 */
import { discoveredModel } from '../catalog/discovered-model.js';
import { NotFoundError } from '../errors/errors.js';
import { withCatalogFacts } from '../protocols/shared/listed-catalog-facts.js';
import { createCallContext, prepareProvider } from '../runtime/call-context.js';
import { createCallEngine } from '../runtime/call-engine.js';
import { createCallSignal } from '../runtime/call-signal.js';
import type { IndexedProvider } from '../runtime/provider-index.js';
import type { TimeoutResolver } from '../runtime/timeouts.js';
import type { ProviderDefinition } from '../types/provider.js';
import type { ListedModel } from '../types/requests.js';
import type { CatalogParts } from './build-catalog.js';
import type { CoreParts } from './parts.js';
import type { Switchboard } from './switchboard-types.js';

/** The listModels method. */
export function buildListModels(parts: CoreParts, catalog: CatalogParts): Switchboard['listModels'] {
  const { providers, runtime } = parts;
  return async (providerId, listOptions) => {
    const provider = providers.get(providerId);
    if (provider === undefined)
      throw new NotFoundError(`Provider '${providerId}' is not installed`, { provider: providerId, retryable: false });
    if (provider.custom !== undefined) return (await provider.custom.listModels?.()) ?? [];
    const definition = provider.definition as ProviderDefinition;
    await prepareProvider(definition);
    const ctx = createCallContext(definition, '', undefined, runtime.env);
    const call = createCallSignal((runtime.timeouts as TimeoutResolver)(definition.id).requestMs);
    let listed: ListedModel[];
    try {
      // The catalog fills what the list leaves out (OpenAI's sends no context window or price).
      listed = withCatalogFacts(await createCallEngine(definition, ctx, parts.transport).listModels(call), definition);
    } finally {
      call.release();
    }
    if (listOptions?.discover !== false && providers.get(providerId) === provider)
      discover(providerId, provider, definition, listed);
    return listed;
  };

  /** Adds the listed models the provider does not know to the catalog. */
  function discover(
    providerId: string,
    provider: IndexedProvider,
    definition: ProviderDefinition,
    listed: ListedModel[],
  ): void {
    const found = catalog.discovered.get(providerId) ?? [];
    if (provider.discovered === undefined) provider.discovered = new Set();
    const known = provider.discovered;
    let added = 0;
    for (const model of listed)
      if (!provider.models.has(model.id) && definition.aliases[model.id] === undefined && !known.has(model.id)) {
        known.add(model.id);
        found.push(discoveredModel(model, providerId));
        added += 1;
      }
    if (added > 0) {
      catalog.discovered.set(providerId, found);
      catalog.invalidate();
    }
  }
}
