import type { ModelSpec } from '@switchboard/core';
import { isSeedCandidate, snapshotBase } from './select.js';
import type { UpstreamModel } from './types.js';

/**
 * Vector lengths of well-known embedding models, from the providers' model pages, for when neither
 * upstream catalog states them.
 */
export const KNOWN_EMBEDDING_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
  'mistral-embed': 1024,
  'codestral-embed': 1536,
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
  'nomic-embed-text': 768,
  'mxbai-embed-large': 1024,
  'all-minilm': 384,
  'amazon.titan-embed-text-v2:0': 1024,
  'amazon.titan-embed-text-v1': 1536,
  'cohere.embed-english-v3': 1024,
  'cohere.embed-multilingual-v3': 1024,
  'cohere.embed-v4:0': 1536,
};

/** Options of {@link seedModels}. */
export interface SeedOptions {
  /** Keep only upstream ids this predicate accepts (applied to both sources). */
  include?: (id: string) => boolean;
  /** Keep LiteLLM-only models (no models.dev counterpart). Default true. */
  litellmOnly?: boolean;
}

function humanName(id: string): string {
  const last = id.split('/').pop() ?? id;
  return last
    .split(/[-_]/)
    .map((word) => (/^[a-z]/.test(word) ? word[0]?.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

const same = (a: number | undefined, b: number | undefined): boolean => a === undefined || b === undefined || a === b;

/**
 * LiteLLM's `max_input_tokens` is an input limit; for some models (GPT-5: 272k in + 128k out = 400k)
 * the provider's context window is input plus output. That is not a disagreement.
 */
export function contextIsInputPlusOutput(modelsDev: UpstreamModel, litellm: UpstreamModel): boolean {
  const { context } = modelsDev.limits;
  const input = litellm.limits.context;
  const output = litellm.limits.output ?? modelsDev.limits.output;
  return (
    context !== undefined &&
    input !== undefined &&
    output !== undefined &&
    input < context &&
    input + output === context
  );
}

function disagreements(modelsDev: UpstreamModel, litellm: UpstreamModel): string[] {
  const notes: string[] = [];
  const compare = (label: string, a: number | undefined, b: number | undefined): void => {
    if (!same(a, b)) notes.push(`${label}: models.dev ${a}, litellm ${b}`);
  };
  compare('input price', modelsDev.pricing?.input, litellm.pricing?.input);
  compare('output price', modelsDev.pricing?.output, litellm.pricing?.output);
  if (!contextIsInputPlusOutput(modelsDev, litellm))
    compare('context', modelsDev.limits.context, litellm.limits.context);
  if (modelsDev.type !== 'embedding') compare('output limit', modelsDev.limits.output, litellm.limits.output);
  return notes;
}

/** Builds one catalog model from its models.dev record, its LiteLLM record, or both. */
export function seedModel(modelsDev: UpstreamModel | undefined, litellm: UpstreamModel | undefined): ModelSpec {
  const primary = modelsDev ?? litellm;
  if (!primary) throw new Error('seedModel needs at least one upstream record');
  const capabilities = new Set([...(modelsDev?.capabilities ?? []), ...(litellm?.capabilities ?? [])]);
  if (primary.type === 'chat') capabilities.add('streaming');
  const spec: ModelSpec = {
    id: primary.id,
    name: primary.name ?? humanName(primary.id),
    type: primary.type,
    status: primary.status,
    limits: { context: primary.limits.context ?? litellm?.limits.context ?? 0 },
    modalities: { input: [...primary.modalities.input], output: [...primary.modalities.output] },
    capabilities: [...capabilities].sort(),
  };
  const output = primary.type === 'embedding' ? undefined : (primary.limits.output ?? litellm?.limits.output);
  const input =
    primary.limits.input ??
    (modelsDev && litellm && contextIsInputPlusOutput(modelsDev, litellm) ? litellm.limits.context : undefined);
  if (input !== undefined) spec.limits.input = input;
  if (output !== undefined) spec.limits.output = output;
  if (primary.family) spec.family = primary.family;
  if (primary.released) spec.released = primary.released;
  if (litellm?.deprecated) spec.deprecated = litellm.deprecated;
  if (primary.knowledge) spec.knowledge = primary.knowledge;
  const reasoning = modelsDev?.reasoning ?? litellm?.reasoning;
  if (reasoning) spec.reasoning = { ...reasoning };
  const pricing = modelsDev?.pricing ?? litellm?.pricing;
  if (pricing) {
    spec.pricing = { ...pricing };
    if (modelsDev?.pricing && litellm?.pricing) {
      // models.dev has no batch prices nor, for some providers, cache-write prices: take LiteLLM's.
      if (litellm.pricing.batchDiscount !== undefined) spec.pricing.batchDiscount = litellm.pricing.batchDiscount;
      if (
        spec.pricing.cacheWrite === undefined &&
        litellm.pricing.cacheWrite !== undefined &&
        same(modelsDev.pricing.input, litellm.pricing.input)
      ) {
        spec.pricing.cacheWrite = litellm.pricing.cacheWrite;
      }
    }
  }
  if (primary.type === 'embedding') {
    const dimensions =
      modelsDev?.embeddingDimensions ?? litellm?.embeddingDimensions ?? KNOWN_EMBEDDING_DIMENSIONS[primary.id];
    if (dimensions !== undefined) spec.embedding = { dimensions };
  }
  const openWeights = modelsDev?.openWeights ?? litellm?.openWeights;
  if (openWeights !== undefined) spec.openWeights = openWeights;
  spec.source = {};
  if (modelsDev) spec.source.modelsDev = modelsDev.id;
  if (litellm) spec.source.litellm = litellm.key ?? litellm.id;
  spec.source.follows = modelsDev ? 'models.dev' : 'litellm';
  const notes = modelsDev && litellm ? disagreements(modelsDev, litellm) : [];
  if (notes.length > 0)
    spec.source.notes = `${notes.join('; ')}. Follows models.dev (per-model files reviewed against provider pages).`;
  else if (!modelsDev) spec.source.notes = 'Only in LiteLLM.';
  else if (!litellm) spec.source.notes = 'Only in models.dev.';
  return spec;
}

function sameFacts(a: ModelSpec, b: ModelSpec): boolean {
  return (
    a.pricing?.input === b.pricing?.input &&
    a.pricing?.output === b.pricing?.output &&
    a.limits.context === b.limits.context &&
    a.limits.output === b.limits.output
  );
}

/**
 * Produces the `models:` of a provider YAML from its upstream records (already narrowed to the
 * provider): current chat and embedding models only, models.dev and LiteLLM paired by id and
 * cross-checked, dated snapshots and `-latest` ids folded into their base model as aliases where
 * price and limits are the same. Sorted by id.
 */
export function seedModels(
  modelsDev: UpstreamModel[],
  litellm: UpstreamModel[],
  options: SeedOptions = {},
): ModelSpec[] {
  const include = options.include ?? (() => true);
  const fromModelsDev = modelsDev.filter((model) => isSeedCandidate(model) && include(model.id));
  const slashIds = modelsDev.some((model) => model.id.includes('/'));
  const litellmById = new Map<string, UpstreamModel>();
  for (const model of litellm) {
    if (!isSeedCandidate(model) || !include(model.id)) continue;
    // Region- or route-prefixed LiteLLM keys (bedrock/us-east-1/...) are variants, not models.
    if (!slashIds && model.id.includes('/')) continue;
    if (!litellmById.has(model.id)) litellmById.set(model.id, model);
  }
  const specs: ModelSpec[] = [];
  // An id models.dev knows but does not list as current (deprecated) is not re-added from LiteLLM.
  const paired = new Set<string>(modelsDev.map((model) => model.id));
  const litellmOf = new Map<string, UpstreamModel>();
  for (const model of fromModelsDev) {
    const match = litellmById.get(model.id);
    if (match) litellmOf.set(model.id, match);
    specs.push(seedModel(model, match));
  }
  if (options.litellmOnly !== false) {
    for (const model of litellmById.values()) if (!paired.has(model.id)) specs.push(seedModel(undefined, model));
  }

  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const folded = new Set<string>();
  for (const spec of specs) {
    const base = snapshotBase(spec.id);
    // Anthropic names the base of claude-opus-4-20250514 `claude-opus-4-0`.
    const target = base === spec.id ? undefined : (byId.get(base) ?? byId.get(`${base}-0`));
    if (!target || folded.has(target.id) || folded.has(spec.id)) continue;
    // A LiteLLM-only snapshot matches its base when it matches the base's LiteLLM record.
    const targetLiteLLM = litellmOf.get(target.id);
    if (!sameFacts(spec, target) && !(targetLiteLLM && sameFacts(spec, seedModel(undefined, targetLiteLLM)))) continue;
    target.aliases = [...(target.aliases ?? []), spec.id, ...(spec.aliases ?? [])].sort();
    folded.add(spec.id);
  }
  return specs.filter((spec) => !folded.has(spec.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
