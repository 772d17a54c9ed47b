import type { ModelInfo, ModelSpec } from '@switchboard/core';
import type { UpstreamModel } from './types.js';

/**
 * Turns upstream records into core `ModelInfo` objects (provider = the upstream provider id,
 * ref = `<provider>/<id>`), so that queries can run over every model both public catalogs know.
 * Records are taken in order; a later record with a ref already seen is skipped, so pass the
 * preferred source first. A missing context window becomes 0 (unknown) and a missing name the id.
 */
export function upstreamToModelInfo(models: Iterable<UpstreamModel>): ModelInfo[] {
  const out: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const model of models) {
    const ref = `${model.upstreamProvider}/${model.id}`;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const spec: ModelSpec = {
      id: model.id,
      name: model.name ?? model.id,
      type: model.type,
      status: model.status,
      limits: { context: model.limits.context ?? model.limits.input ?? 0 },
      modalities: { input: [...model.modalities.input], output: [...model.modalities.output] },
      capabilities: [...model.capabilities],
    };
    if (model.limits.input !== undefined) spec.limits.input = model.limits.input;
    if (model.limits.output !== undefined) spec.limits.output = model.limits.output;
    if (model.family) spec.family = model.family;
    if (model.released) spec.released = model.released;
    if (model.deprecated) spec.deprecated = model.deprecated;
    if (model.knowledge) spec.knowledge = model.knowledge;
    if (model.reasoning) spec.reasoning = { ...model.reasoning };
    if (model.pricing)
      spec.pricing = {
        ...model.pricing,
        ...(model.pricing.tiers ? { tiers: model.pricing.tiers.map((tier) => ({ ...tier })) } : {}),
      };
    if (model.embeddingDimensions !== undefined) spec.embedding = { dimensions: model.embeddingDimensions };
    if (model.openWeights !== undefined) spec.openWeights = model.openWeights;
    spec.source =
      model.source === 'models.dev'
        ? { modelsDev: model.id, follows: 'models.dev' }
        : { litellm: model.key ?? model.id, follows: 'litellm' };
    out.push({ ...spec, provider: model.upstreamProvider, ref });
  }
  return out;
}
