/**
 * Finds the provider and catalog model a model reference names. Built once per switchboard, so a
 * call costs two map lookups, not a scan of every provider's models.
 */
import { retiredModelWarning } from '../catalog/model-lifecycle.js';
import { ConfigurationError, NotFoundError } from '../errors/errors.js';
import type { ModelInfo } from '../types/catalog.js';
import type { CustomProvider, ProviderDefinition, ProviderInput } from '../types/provider.js';
import type { IndexedProvider, ResolvedModel } from '../types/provider-index.js';
import type { ModelRef } from '../types/requests.js';

/** True for a hand-written provider. */
export function isCustomProvider(provider: ProviderInput): provider is CustomProvider {
  return (provider as CustomProvider).kind === 'custom';
}

/** Indexes the given providers by id; a duplicate id is a configuration error. */
export function indexProviders(providers: readonly ProviderInput[]): Map<string, IndexedProvider> {
  const index = new Map<string, IndexedProvider>();
  for (const provider of providers) {
    if (index.has(provider.id)) {
      throw new ConfigurationError(`Provider '${provider.id}' is given twice to createSwitchboard`, {
        provider: provider.id,
        setting: 'providers',
      });
    }
    if (isCustomProvider(provider)) {
      index.set(provider.id, { id: provider.id, definition: undefined, custom: provider, models: new Map() });
      continue;
    }
    const models = new Map<string, ModelInfo>();
    for (const model of provider.models) models.set(model.id, model);
    index.set(provider.id, { id: provider.id, definition: provider, custom: undefined, models });
  }
  return index;
}

/** Splits `'<provider>/<model>'` at the first slash (model ids may contain slashes themselves). */
export function splitModelRef(ref: ModelRef): { provider: string; model: string } {
  if (typeof ref !== 'string') return ref;
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) {
    throw new ConfigurationError(`Model reference '${ref}' must look like '<provider>/<model>'`, { setting: 'model' });
  }
  return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

/** Resolves a reference: provider by id, alias to model id, model to catalog facts. */
export function resolveModel(index: Map<string, IndexedProvider>, ref: ModelRef): ResolvedModel {
  const { provider: providerId, model: requested } = splitModelRef(ref);
  const provider = index.get(providerId);
  if (provider === undefined) {
    const installed = [...index.keys()].join(', ') || 'none';
    throw new NotFoundError(`Provider '${providerId}' is not installed (installed: ${installed})`, {
      provider: providerId,
      retryable: false,
    });
  }
  const warnings: string[] = [];
  if (provider.custom !== undefined) return { provider, modelId: requested, model: undefined, warnings };
  const modelId = provider.definition?.aliases[requested] ?? requested;
  const model = provider.models.get(modelId);
  if (model === undefined && provider.discovered?.has(modelId) !== true) {
    warnings.push(
      `Model '${modelId}' is not in the catalog of provider '${providerId}': sent as is, without capability checks or cost`,
    );
  } else if (model !== undefined && (model.retires !== undefined || model.status === 'retired')) {
    const retired = retiredModelWarning(model);
    if (retired !== undefined) warnings.push(retired);
  }
  return { provider, modelId, model, warnings };
}

export type { IndexedProvider, ResolvedModel } from '../types/provider-index.js';
