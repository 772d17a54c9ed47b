import { readFileSync } from 'node:fs';
import type { ModelPricing, ModelStatus, ModelType, PricingTier, ReasoningSpec } from '@switchboard/core';
import { capabilitiesFromModalities, isoDate, price, tokenCount, toModalities, uniqueSorted } from './normalize.js';
import type { UpstreamModel } from './types.js';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * Reads models.dev's `api.json` shape (`{ providerId: { models: { modelId: {...} } } }`, our resolved
 * `api.generated.json`) into normalized records, one per provider and model.
 */
export function loadModelsDev(path: string): UpstreamModel[] {
  return parseModelsDev(JSON.parse(readFileSync(path, 'utf8')) as unknown);
}

/** The parsing half of {@link loadModelsDev}, for data already in memory. */
export function parseModelsDev(data: unknown): UpstreamModel[] {
  const out: UpstreamModel[] = [];
  const providers = asObject(data) ?? {};
  for (const providerId of Object.keys(providers).sort()) {
    const models = asObject(asObject(providers[providerId])?.models) ?? {};
    for (const modelId of Object.keys(models).sort()) {
      const raw = asObject(models[modelId]);
      if (raw) out.push(fromModelsDev(providerId, modelId, raw));
    }
  }
  return out;
}

function inferType(id: string, family: string, output: string[]): ModelType {
  const text = `${id} ${family}`.toLowerCase();
  if (/rerank/.test(text)) return 'rerank';
  if (/embed/.test(text)) return 'embedding';
  if (/moderation/.test(text)) return 'moderation';
  if (!output.includes('text')) {
    if (output.includes('image')) return 'image';
    if (output.includes('audio')) return 'audio';
  }
  return 'chat';
}

function statusOf(value: unknown): ModelStatus {
  if (value === 'deprecated') return 'deprecated';
  if (value === 'alpha' || value === 'beta') return 'preview';
  return 'active';
}

function pricingOf(cost: Json | undefined): ModelPricing | undefined {
  if (!cost) return undefined;
  const input = price(cost.input);
  const output = price(cost.output);
  if (input === undefined && output === undefined) return undefined;
  const pricing: ModelPricing = { input: input ?? 0, output: output ?? 0 };
  const cacheRead = price(cost.cache_read);
  const cacheWrite = price(cost.cache_write);
  const reasoning = price(cost.reasoning);
  const audioInput = price(cost.input_audio);
  const audioOutput = price(cost.output_audio);
  if (cacheRead !== undefined) pricing.cacheRead = cacheRead;
  if (cacheWrite !== undefined) pricing.cacheWrite = cacheWrite;
  if (reasoning !== undefined) pricing.reasoning = reasoning;
  if (audioInput !== undefined) pricing.audioInput = audioInput;
  if (audioOutput !== undefined) pricing.audioOutput = audioOutput;
  const tiers: PricingTier[] = [];
  for (const rawTier of Array.isArray(cost.tiers) ? cost.tiers : []) {
    const tier = asObject(rawTier);
    const size = tokenCount(asObject(tier?.tier)?.size);
    if (!tier || size === undefined) continue;
    const band: PricingTier = { above: size };
    const fields = [
      ['input', 'input'],
      ['output', 'output'],
      ['cache_read', 'cacheRead'],
      ['cache_write', 'cacheWrite'],
      ['reasoning', 'reasoning'],
    ] as const;
    for (const [from, to] of fields) {
      const value = price(tier[from]);
      if (value !== undefined) band[to] = value;
    }
    tiers.push(band);
  }
  if (tiers.length > 0) pricing.tiers = tiers.sort((a, b) => a.above - b.above);
  return pricing;
}

function reasoningOf(raw: Json): ReasoningSpec | undefined {
  if (raw.reasoning !== true) return undefined;
  const spec: ReasoningSpec = { supported: true };
  const options = Array.isArray(raw.reasoning_options) ? raw.reasoning_options.map(asObject) : [];
  const effort = options.find((option) => option?.type === 'effort');
  const budget = options.find((option) => option?.type === 'budget_tokens');
  const toggle = options.find((option) => option?.type === 'toggle');
  if (effort) {
    spec.control = 'effort';
    if (Array.isArray(effort.values)) spec.efforts = effort.values.map(String);
  } else if (budget) {
    spec.control = 'budget-tokens';
    const min = tokenCount(budget.min);
    const max = tokenCount(budget.max);
    if (min !== undefined) spec.minBudgetTokens = min;
    if (max !== undefined) spec.maxBudgetTokens = max;
  } else if (toggle) {
    spec.control = 'toggle';
  }
  return spec;
}

function fromModelsDev(providerId: string, modelId: string, raw: Json): UpstreamModel {
  const modalities = asObject(raw.modalities);
  const input = toModalities(modalities?.input);
  const output = toModalities(modalities?.output);
  const family = typeof raw.family === 'string' ? raw.family : '';
  const id = typeof raw.id === 'string' ? raw.id : modelId;
  const type = inferType(id, family, output);
  const limit = asObject(raw.limit) ?? {};
  const capabilities = capabilitiesFromModalities(input, output);
  if (raw.tool_call === true) capabilities.push('tools');
  if (raw.reasoning === true) capabilities.push('reasoning');
  if (raw.structured_output === true) capabilities.push('structured-output');
  if (raw.temperature === true) capabilities.push('temperature');
  if (type === 'embedding') capabilities.push('embeddings');
  const pricing = pricingOf(asObject(raw.cost));
  if (pricing?.cacheRead !== undefined) capabilities.push('prompt-caching');

  const model: UpstreamModel = {
    source: 'models.dev',
    upstreamProvider: providerId,
    id,
    type,
    status: statusOf(raw.status),
    limits: {},
    capabilities: uniqueSorted(capabilities),
    modalities: { input: input.length > 0 ? input : ['text'], output: output.length > 0 ? output : ['text'] },
  };
  if (typeof raw.name === 'string') model.name = raw.name;
  if (family) model.family = family;
  const context = tokenCount(limit.context);
  const inputLimit = tokenCount(limit.input);
  const outputLimit = tokenCount(limit.output);
  if (context !== undefined) model.limits.context = context;
  if (inputLimit !== undefined) model.limits.input = inputLimit;
  // models.dev writes an embedding model's vector length as its output limit.
  if (type === 'embedding') {
    if (outputLimit !== undefined) model.embeddingDimensions = outputLimit;
  } else if (outputLimit !== undefined) {
    model.limits.output = outputLimit;
  }
  if (pricing) model.pricing = pricing;
  const reasoning = reasoningOf(raw);
  if (reasoning) model.reasoning = reasoning;
  if (typeof raw.open_weights === 'boolean') model.openWeights = raw.open_weights;
  const knowledge = isoDate(raw.knowledge);
  const released = isoDate(raw.release_date);
  if (knowledge) model.knowledge = knowledge;
  if (released) model.released = released;
  return model;
}
