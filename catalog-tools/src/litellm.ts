import { readFileSync } from 'node:fs';
import type { Modality, ModelPricing, ModelType, PricingTier } from '@switchboard/core';
import {
  capabilitiesFromModalities,
  isoDate,
  perTokenToPerMillion,
  price,
  today,
  tokenCount,
  toModalities,
  uniqueSorted,
} from './normalize.js';
import type { UpstreamModel } from './types.js';

type Json = Record<string, unknown>;

/** Options of {@link loadLiteLLM}. */
export interface LiteLLMOptions {
  /** `YYYY-MM-DD` against which `deprecation_date` is judged; defaults to today. */
  now?: string;
}

/** LiteLLM `mode` -> catalog model type. Modes not listed (ocr, search, video, ...) are skipped. */
const MODE_TYPES: Record<string, ModelType> = {
  chat: 'chat',
  responses: 'chat',
  completion: 'chat',
  embedding: 'embedding',
  rerank: 'rerank',
  moderation: 'moderation',
  image_generation: 'image',
  image_edit: 'image',
  audio_transcription: 'audio',
  audio_speech: 'audio',
  realtime: 'audio',
};

/** LiteLLM `supports_*` flag -> canonical capability. */
const FLAG_CAPABILITIES: Record<string, string> = {
  supports_function_calling: 'tools',
  supports_parallel_function_calling: 'parallel-tools',
  supports_tool_choice: 'tool-choice',
  supports_vision: 'vision',
  supports_image_input: 'vision',
  supports_audio_input: 'audio-input',
  supports_audio_output: 'audio-output',
  supports_video_input: 'video-input',
  supports_pdf_input: 'pdf-input',
  supports_response_schema: 'structured-output',
  supports_native_structured_output: 'structured-output',
  supports_reasoning: 'reasoning',
  supports_prompt_caching: 'prompt-caching',
  supports_system_messages: 'system-message',
  supports_web_search: 'web-search',
  supports_assistant_prefill: 'assistant-prefill',
  supports_computer_use: 'computer-use',
  supports_native_streaming: 'streaming',
};

/**
 * Reads LiteLLM's `model_prices_and_context_window.json` into normalized records. Per-token prices
 * become USD per 1M tokens rounded to 6 significant digits; `*_above_<N>k_tokens` prices and
 * `tiered_pricing` become context tiers; `sample_spec` and entries whose mode is not a model type
 * the catalog knows (ocr, search, video, vector stores) are skipped.
 */
export function loadLiteLLM(path: string, options: LiteLLMOptions = {}): UpstreamModel[] {
  return parseLiteLLM(JSON.parse(readFileSync(path, 'utf8')) as unknown, options);
}

/** The parsing half of {@link loadLiteLLM}, for data already in memory. */
export function parseLiteLLM(data: unknown, options: LiteLLMOptions = {}): UpstreamModel[] {
  const now = options.now ?? today();
  const entries = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const out: UpstreamModel[] = [];
  for (const key of Object.keys(entries).sort()) {
    const raw = entries[key];
    if (key === 'sample_spec' || raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const model = fromLiteLLM(key, raw as Json, now);
    if (model) out.push(model);
  }
  return out;
}

/** The model id inside a LiteLLM key: `gemini/gemini-2.5-pro` -> `gemini-2.5-pro`. */
export function litellmModelId(key: string, provider: string): string {
  for (const prefix of [provider, provider.split('-')[0] ?? provider, provider.replace(/_converse$/, '')]) {
    if (prefix && key.startsWith(`${prefix}/`)) return key.slice(prefix.length + 1);
  }
  return key;
}

function tiersOf(raw: Json): PricingTier[] {
  const bands = new Map<number, PricingTier>();
  const band = (above: number): PricingTier => {
    let tier = bands.get(above);
    if (!tier) {
      tier = { above };
      bands.set(above, tier);
    }
    return tier;
  };
  const fields = [
    [/^input_cost_per_token_above_(\d+)k_tokens$/, 'input'],
    [/^output_cost_per_token_above_(\d+)k_tokens$/, 'output'],
    [/^cache_read_input_token_cost_above_(\d+)k_tokens$/, 'cacheRead'],
    [/^cache_creation_input_token_cost_above_(\d+)k_tokens$/, 'cacheWrite'],
  ] as const;
  for (const [name, value] of Object.entries(raw)) {
    for (const [pattern, field] of fields) {
      const match = pattern.exec(name);
      const perMillion = perTokenToPerMillion(value);
      if (match && perMillion !== undefined) band(Number(match[1]) * 1000)[field] = perMillion;
    }
  }
  if (Array.isArray(raw.tiered_pricing)) {
    for (const item of raw.tiered_pricing) {
      if (item === null || typeof item !== 'object') continue;
      const tier = item as Json;
      const range = Array.isArray(tier.range) ? tier.range : [];
      const above = typeof range[0] === 'number' ? range[0] : 0;
      if (above <= 0) continue;
      const input = perTokenToPerMillion(tier.input_cost_per_token);
      const output = perTokenToPerMillion(tier.output_cost_per_token);
      const cacheRead = perTokenToPerMillion(tier.cache_read_input_token_cost);
      if (input !== undefined) band(above).input = input;
      if (output !== undefined) band(above).output = output;
      if (cacheRead !== undefined) band(above).cacheRead = cacheRead;
    }
  }
  return [...bands.values()].sort((a, b) => a.above - b.above);
}

function pricingOf(raw: Json): ModelPricing | undefined {
  let input = perTokenToPerMillion(raw.input_cost_per_token);
  let output = perTokenToPerMillion(raw.output_cost_per_token);
  // Tiered-only entries: the band starting at 0 is the base price.
  if (input === undefined && Array.isArray(raw.tiered_pricing)) {
    const first = raw.tiered_pricing.find(
      (tier) =>
        tier &&
        typeof tier === 'object' &&
        Array.isArray((tier as Json).range) &&
        ((tier as Json).range as unknown[])[0] === 0,
    ) as Json | undefined;
    if (first) {
      input = perTokenToPerMillion(first.input_cost_per_token);
      output = perTokenToPerMillion(first.output_cost_per_token);
    }
  }
  if (input === undefined && output === undefined) return undefined;
  const pricing: ModelPricing = { input: input ?? 0, output: output ?? 0 };
  const optional = [
    ['cacheRead', perTokenToPerMillion(raw.cache_read_input_token_cost)],
    ['cacheWrite', perTokenToPerMillion(raw.cache_creation_input_token_cost)],
    ['reasoning', perTokenToPerMillion(raw.output_cost_per_reasoning_token)],
    ['audioInput', perTokenToPerMillion(raw.input_cost_per_audio_token)],
    ['audioOutput', perTokenToPerMillion(raw.output_cost_per_audio_token)],
    ['imageInput', price(raw.input_cost_per_image)],
  ] as const;
  for (const [field, value] of optional) if (value !== undefined) pricing[field] = value;
  const tiers = tiersOf(raw);
  if (tiers.length > 0) pricing.tiers = tiers;
  const batchInput = perTokenToPerMillion(raw.input_cost_per_token_batches);
  if (batchInput !== undefined && input) pricing.batchDiscount = Number((batchInput / input).toPrecision(3));
  return pricing;
}

function fromLiteLLM(key: string, raw: Json, now: string): UpstreamModel | undefined {
  const mode = typeof raw.mode === 'string' ? raw.mode : undefined;
  const type = mode ? MODE_TYPES[mode] : undefined;
  const provider = typeof raw.litellm_provider === 'string' ? raw.litellm_provider : undefined;
  if (!type || !provider) return undefined;

  const capabilities: string[] = [];
  for (const [flag, capability] of Object.entries(FLAG_CAPABILITIES))
    if (raw[flag] === true) capabilities.push(capability);
  if (type === 'embedding') capabilities.push('embeddings');

  let input = toModalities(raw.supported_modalities);
  let output = toModalities(raw.supported_output_modalities);
  if (input.length === 0) {
    input = ['text'];
    const implied: [string, Modality][] = [
      ['vision', 'image'],
      ['audio-input', 'audio'],
      ['video-input', 'video'],
      ['pdf-input', 'pdf'],
    ];
    for (const [capability, modality] of implied) if (capabilities.includes(capability)) input.push(modality);
  } else if (capabilities.includes('pdf-input') && !input.includes('pdf')) {
    input.push('pdf');
  }
  if (output.length === 0) {
    output = type === 'image' ? ['image'] : mode === 'audio_speech' ? ['audio'] : ['text'];
    if (capabilities.includes('audio-output') && !output.includes('audio')) output.push('audio');
  }
  capabilities.push(...capabilitiesFromModalities(input, output));
  const pricing = pricingOf(raw);
  if (pricing?.batchDiscount !== undefined) capabilities.push('batch');

  const deprecated = isoDate(raw.deprecation_date);
  const model: UpstreamModel = {
    source: 'litellm',
    upstreamProvider: provider,
    id: litellmModelId(key, provider),
    key,
    type,
    status: deprecated !== undefined && deprecated <= now ? 'deprecated' : 'active',
    limits: {},
    capabilities: uniqueSorted(capabilities),
    modalities: { input, output },
  };
  if (mode) model.mode = mode;
  if (deprecated) model.deprecated = deprecated;
  const maxInput = tokenCount(raw.max_input_tokens);
  const maxOutput = tokenCount(raw.max_output_tokens);
  const maxTokens = tokenCount(raw.max_tokens);
  // LiteLLM's max_input_tokens is the context window in practice (gpt-4o: 128000).
  const context = maxInput ?? (maxOutput === undefined ? maxTokens : undefined);
  if (context !== undefined) model.limits.context = context;
  if (maxOutput !== undefined && type === 'chat') model.limits.output = maxOutput;
  if (pricing) model.pricing = pricing;
  if (capabilities.includes('reasoning')) model.reasoning = { supported: true };
  const dimensions = tokenCount(raw.output_vector_size);
  if (dimensions !== undefined) model.embeddingDimensions = dimensions;
  return model;
}
