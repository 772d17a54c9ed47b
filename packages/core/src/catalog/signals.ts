import type { ModelInfo, SpeedSignal } from '../types/catalog.js';

/** A quality score in 0..100 with where it came from. */
export interface QualityEstimate {
  score: number;
  /** The catalog's source (a benchmark or leaderboard), or the derivation for estimates. */
  source: string;
  /** True when the catalog had no score and it was estimated by {@link deriveQuality}. */
  derived: boolean;
}

/** A speed tier with where it came from. */
export interface SpeedEstimate {
  tier: SpeedSignal['tier'];
  tokensPerSecond?: number;
  source: string;
  derived: boolean;
}

/** Wording used in reasons for derived quality, so users know it is not a benchmark. */
export const DERIVED_QUALITY_SOURCE = 'derived from price, reasoning and recency';

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));
const SEPARATOR = '[-_./:@ ]';
const SMALL_NAME = new RegExp(
  `(?:^|${SEPARATOR})(mini|nano|flash|haiku|lite|small|tiny|instant|micro|fast)(?=$|${SEPARATOR})`,
);
const LARGE_NAME = new RegExp(
  `(?:^|${SEPARATOR})(opus|deep-research|o1|o1-pro|o3|o3-pro|ultra|large|max)(?=$|${SEPARATOR})`,
);
const PARAMETERS = new RegExp(`(?:^|${SEPARATOR})(\\d+(?:\\.\\d+)?)b(?=$|${SEPARATOR})`);

/**
 * Providers whose business is fast inference on custom hardware; their models are fast whatever
 * their size.
 */
export const FAST_INFERENCE_PROVIDERS: ReadonlySet<string> = new Set(['groq', 'cerebras', 'sambanova']);

/** Billions of parameters stated in a model id (`llama-3.1-8b` -> 8), when present. */
export function parameterBillions(id: string): number | undefined {
  const match = PARAMETERS.exec(id.toLowerCase());
  return match ? Number(match[1]) : undefined;
}

/** A release date as a fractional year (`2024-07-01` -> 2024.5), or `undefined`. */
function releaseYear(released: string | undefined): number | undefined {
  if (!released) return undefined;
  const match = /^(\d{4})(?:-(\d{2}))?/.exec(released);
  if (!match) return undefined;
  return Number(match[1]) + (match[2] ? (Number(match[2]) - 1) / 12 : 0);
}

/**
 * Estimates a model's quality on 0..100 when the catalog has no benchmark score. models.dev (our main
 * upstream) carries no scores, so an honest, documented heuristic beats pretending:
 *
 * - 45 % price or size: providers price stronger models higher, so blended price per 1M on a log
 *   scale ($0.10 -> 0, $31.60 -> 1); for free or unpriced models the parameter count in the id
 *   (1B -> 0, 500B -> 1), else a neutral 0.35;
 * - 20 % reasoning support;
 * - 15 % context window on a log scale (8K -> 0, 1M -> 1);
 * - 20 % release recency (2023 -> 0, 2026 -> 1; unknown 0.3).
 *
 * It ranks a catalog plausibly, not precisely; reasons say "derived" whenever it is used.
 */
export function deriveQuality(model: ModelInfo, blendedPrice: number | undefined): number {
  let size: number;
  const billions = parameterBillions(model.id);
  if (blendedPrice !== undefined && blendedPrice > 0) size = clamp01((Math.log10(blendedPrice) + 1) / 2.5);
  else if (billions !== undefined && billions > 0) size = clamp01(Math.log10(billions) / Math.log10(500));
  else size = 0.35;
  const reasoning = model.reasoning?.supported || model.capabilities?.includes('reasoning') ? 1 : 0;
  const context = clamp01(Math.log2(Math.max(1, model.limits?.context ?? 0) / 8192) / 7);
  const year = releaseYear(model.released);
  const recency = year === undefined ? 0.3 : clamp01((year - 2023) / 3);
  return Math.round(100 * (0.45 * size + 0.2 * reasoning + 0.15 * context + 0.2 * recency));
}

/** The catalog's quality signal when present, the {@link deriveQuality} estimate otherwise. */
export function qualityOf(model: ModelInfo, blendedPrice: number | undefined): QualityEstimate {
  if (model.quality) return { score: model.quality.score, source: model.quality.source, derived: false };
  return { score: deriveQuality(model, blendedPrice), source: DERIVED_QUALITY_SOURCE, derived: true };
}

/**
 * Estimates a speed tier when the catalog has none, from hints that hold across providers:
 * fast-inference providers (Groq, Cerebras, SambaNova) are fast; names saying mini, nano, flash,
 * haiku, lite, small, tiny, instant or micro, or 14B parameters and under, are fast; opus, o1/o3,
 * deep-research, ultra, large, max, or 200B parameters and over, are slow; the rest is medium.
 */
export function deriveSpeed(model: ModelInfo): SpeedEstimate {
  if (FAST_INFERENCE_PROVIDERS.has(model.provider)) {
    return { tier: 'fast', source: `derived: served by ${model.provider}`, derived: true };
  }
  const id = model.id.toLowerCase();
  const small = SMALL_NAME.exec(id);
  if (small) return { tier: 'fast', source: `derived from name hint "${small[1]}"`, derived: true };
  const large = LARGE_NAME.exec(id);
  if (large) return { tier: 'slow', source: `derived from name hint "${large[1]}"`, derived: true };
  const billions = parameterBillions(id);
  if (billions !== undefined && billions <= 14)
    return { tier: 'fast', source: `derived from size ${billions}B`, derived: true };
  if (billions !== undefined && billions >= 200)
    return { tier: 'slow', source: `derived from size ${billions}B`, derived: true };
  return { tier: 'medium', source: 'derived: no speed hint', derived: true };
}

/** The catalog's speed signal when present, the {@link deriveSpeed} estimate otherwise. */
export function speedOf(model: ModelInfo): SpeedEstimate {
  if (model.speed) {
    const estimate: SpeedEstimate = { tier: model.speed.tier, source: model.speed.source, derived: false };
    if (model.speed.tokensPerSecond !== undefined) estimate.tokensPerSecond = model.speed.tokensPerSecond;
    return estimate;
  }
  return deriveSpeed(model);
}
