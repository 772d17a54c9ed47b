/**
 * Catalog entries as the operations API shows them: a summary per model for lists, and every fact
 * for one model. Built field by field from the catalog entry (never by spreading it), so the answer's
 * shape is exactly `api-types.ts` and nothing from provider settings can slip in.
 */
import { blendedPricePer1M, type Catalog, type ModelInfo, qualityOf, speedOf } from '@switchboard/core';
import type { ModelDetailsResponse, ModelSummary } from '../api-types.js';

/** What a view needs besides the model: the catalog (capabilities, locality) and configured providers. */
export interface ModelViewContext {
  catalog: Catalog;
  configured: ReadonlySet<string>;
}

/** One model for a list. */
export function modelSummary(model: ModelInfo, context: ModelViewContext): ModelSummary {
  return {
    ref: model.ref,
    provider: model.provider,
    id: model.id,
    name: model.name,
    type: model.type,
    status: model.status,
    contextWindow: model.limits.context,
    maxOutputTokens: model.limits.output ?? null,
    inputPricePer1M: model.pricing?.input ?? null,
    outputPricePer1M: model.pricing?.output ?? null,
    cachedInputPricePer1M: model.pricing?.cacheRead ?? null,
    blendedPricePer1M: blendedPricePer1M(model.pricing) ?? null,
    capabilities: context.catalog.modelCapabilities(model.ref),
    modalities: { input: model.modalities.input, output: model.modalities.output },
    local: context.catalog.isLocal(model.provider),
    released: model.released ?? null,
    openWeights: model.openWeights ?? null,
    configured: context.configured.has(model.provider),
    discovered: model.discovered === true,
  };
}

/** Every fact about one model. */
export function modelDetails(model: ModelInfo, context: ModelViewContext): ModelDetailsResponse {
  const summary = modelSummary(model, context);
  const quality = qualityOf(model, summary.blendedPricePer1M ?? undefined);
  const speed = speedOf(model);
  return {
    ...summary,
    aliases: model.aliases ?? [],
    family: model.family ?? null,
    limits: { ...model.limits },
    pricing: model.pricing === undefined ? null : structuredClone(model.pricing),
    reasoning: model.reasoning === undefined ? null : structuredClone(model.reasoning),
    embedding: model.embedding === undefined ? null : structuredClone(model.embedding),
    openWeights: model.openWeights ?? null,
    dates: {
      released: model.released ?? null,
      deprecated: model.deprecated ?? null,
      retires: model.retires ?? null,
      knowledge: model.knowledge ?? null,
    },
    quality,
    speed,
    unsupportedParams: model.unsupportedParams ?? [],
    sources: {
      catalog: model.source === undefined ? null : { ...model.source },
      quality: quality.source,
      speed: speed.source,
    },
  };
}
