/**
 * Fills what a live models list leaves out from the catalog. OpenAI's `/v1/models` says only `id`,
 * `created` and `owned_by`, so `listModels('openai')` had `contextWindow` undefined for models the
 * catalog describes in full. The list's own figures win (OpenRouter and local servers send theirs);
 * the catalog fills the gaps for models it knows by id or alias.
 */
import type { ModelInfo } from '../../types/catalog.js';
import type { ProviderDefinition } from '../../types/provider.js';
import type { ListedModel } from '../../types/requests.js';

/** The catalog entry of a listed id: the model itself, or the model an alias names. */
function catalogEntry(definition: ProviderDefinition, byId: Map<string, ModelInfo>, id: string): ModelInfo | undefined {
  const direct = byId.get(id);
  if (direct !== undefined) return direct;
  const aliased = definition.aliases[id];
  return aliased === undefined ? undefined : byId.get(aliased);
}

/** The listed models with `contextWindow` and `pricing` (per 1M tokens) taken from the catalog where the list has none. */
export function withCatalogFacts(listed: ListedModel[], definition: ProviderDefinition): ListedModel[] {
  if (definition.models.length === 0) return listed;
  const byId = new Map(definition.models.map((model) => [model.id, model]));
  return listed.map((model) => {
    if (model.contextWindow !== undefined && model.pricing !== undefined) return model;
    const entry = catalogEntry(definition, byId, model.id);
    if (entry === undefined) return model;
    const filled: ListedModel = { ...model };
    if (filled.contextWindow === undefined) filled.contextWindow = entry.limits.context;
    if (filled.pricing === undefined && entry.pricing !== undefined)
      filled.pricing = { input: entry.pricing.input, output: entry.pricing.output };
    return filled;
  });
}
