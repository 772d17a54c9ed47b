/**
 * Catalog entries for models a provider's live listing (`sb.listModels`) returns but the catalog
 * does not list: a new model, or a local server's own models. They join the switchboard's catalog
 * flagged `discovered: true`, so `findModels`, `getModel` and recommendations see them, with what
 * the listing says (name, context window) and nothing it does not: no price (cost stays unknown),
 * no quality or speed signals, no model-level capabilities (calls use the provider's).
 */

import type { ModelInfo } from '../types/catalog.js';
import type { ListedModel } from '../types/requests.js';

/** Ids that name embedding models by convention across providers. */
const EMBEDDING_ID = /embed/i;

/** The catalog entry of a model found by live discovery. */
export function discoveredModel(listed: ListedModel, provider: string): ModelInfo {
  const embedding = EMBEDDING_ID.test(listed.id);
  return {
    id: listed.id,
    provider,
    ref: `${provider}/${listed.id}`,
    name: listed.name ?? listed.id,
    type: embedding ? 'embedding' : 'chat',
    status: 'active',
    discovered: true,
    // 0: unknown (a `minContext` filter leaves the model out rather than guessing).
    limits: { context: listed.contextWindow ?? 0 },
    modalities: { input: ['text'], output: embedding ? [] : ['text'] },
    capabilities: [],
  };
}
