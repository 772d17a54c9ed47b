/**
 * The Compare view's cost calculator: what a month of a given traffic costs on a model, from the
 * catalog's regular prices. A request's prompt is its fresh input plus its cached input; when the
 * prompt is above a tier's threshold, that tier's rates apply (long-context prices). Cached input is
 * billed at the cache-read rate when the model has one, else as fresh input. Time-bound and
 * time-of-day prices are left out: the calculator prices an ordinary month.
 */
import type { ModelDetailsResponse } from '@switchboard/gateway';

/** The catalog's prices as the gateway sends them. */
export type ModelPricing = NonNullable<ModelDetailsResponse['pricing']>;
type PricingTier = NonNullable<ModelPricing['tiers']>[number];

/** One request's tokens and how many requests a day. */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  requestsPerDay: number;
}

/** Days in the calculator's month. */
export const DAYS_PER_MONTH = 30;

/** The rates in force for a prompt of `promptTokens`. */
function ratesFor(pricing: ModelPricing, promptTokens: number): { input: number; output: number; cacheRead: number } {
  let tier: PricingTier | undefined;
  for (const candidate of pricing.tiers ?? [])
    if (promptTokens > candidate.above && (tier === undefined || candidate.above > tier.above)) tier = candidate;
  const input = tier?.input ?? pricing.input;
  const output = tier?.output ?? pricing.output;
  const cacheRead = tier?.cacheRead ?? pricing.cacheRead ?? input;
  return { input, output, cacheRead };
}

/** USD for one request; null when the model has no price. */
export function costPerRequest(pricing: ModelPricing | null, usage: Usage): number | null {
  if (pricing === null) return null;
  const rates = ratesFor(pricing, usage.inputTokens + usage.cachedInputTokens);
  return (
    (usage.inputTokens * rates.input + usage.cachedInputTokens * rates.cacheRead + usage.outputTokens * rates.output) /
    1_000_000
  );
}

/** USD for a month of the usage; null when the model has no price. */
export function monthlyCost(pricing: ModelPricing | null, usage: Usage): number | null {
  const perRequest = costPerRequest(pricing, usage);
  return perRequest === null ? null : perRequest * usage.requestsPerDay * DAYS_PER_MONTH;
}

/** Reads the calculator's fields from the URL (defaults: a 2K-token prompt, 500 out, 1 000 a day). */
export function usageFromParams(params: URLSearchParams): Usage {
  const read = (name: string, fallback: number) => {
    const value = Number(params.get(name));
    return params.has(name) && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    inputTokens: read('input', 2000),
    cachedInputTokens: read('cached', 0),
    outputTokens: read('output', 500),
    requestsPerDay: read('requests', 1000),
  };
}
