import type { ModelPricing, PricingTier } from '../types/catalog.js';
import type { Cost } from '../types/cost.js';
import { priceInForce } from './price-in-force.js';

/**
 * Token counts of one call, as core's responses report them (DESIGN 5). Cost needs the cached and
 * reasoning shares because providers bill them at their own rates.
 */
export interface TokenUsage {
  /** Every prompt token, cached ones included (cache reads and cache writes are part of this count). */
  inputTokens: number;
  /** Every generated token as the provider bills it, reasoning tokens included. */
  outputTokens: number;
  /** Prompt tokens served from the provider's prompt cache (a subset of `inputTokens`). */
  cacheReadTokens?: number;
  /** Prompt tokens written into the provider's prompt cache (a subset of `inputTokens`). */
  cacheWriteTokens?: number;
  /** Generated tokens spent on reasoning (a subset of `outputTokens`). */
  reasoningTokens?: number;
}

/** Rates (per 1M tokens) that apply to one call once the context tier is chosen. */
export interface EffectiveRates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  /** The tier that applied, if any. */
  tier?: PricingTier;
}

const TOKENS_PER_UNIT = 1_000_000;
const ROUNDING = 1e10;

/** Rounds to 1e-10 so that e.g. 0.1 + 0.2 style noise never reaches users. */
function round(amount: number): number {
  return Math.round(amount * ROUNDING) / ROUNDING;
}

/** Non-negative whole number of tokens, tolerant of missing or bogus counts from providers. */
function tokens(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Picks the context tier a prompt of `promptTokens` falls into: the one with the largest `above`
 * strictly below the prompt size. Providers such as Gemini and Claude charge more for long prompts,
 * and the tier is chosen by the prompt, not by the answer.
 */
export function selectPricingTier(pricing: ModelPricing, promptTokens: number): PricingTier | undefined {
  let chosen: PricingTier | undefined;
  for (const tier of pricing.tiers ?? []) {
    if (tier.above < promptTokens && (chosen === undefined || tier.above > chosen.above)) chosen = tier;
  }
  return chosen;
}

/**
 * The per-1M rates for a prompt of `promptTokens`: the context tier's rates where it sets them, the
 * base rates otherwise; cache rates fall back to the input rate and the reasoning rate to the output
 * rate, because that is how providers bill when they publish no separate price.
 */
export function effectiveRates(pricing: ModelPricing, promptTokens: number): EffectiveRates {
  const tier = selectPricingTier(pricing, promptTokens);
  const input = tier?.input ?? pricing.input;
  const output = tier?.output ?? pricing.output;
  const rates: EffectiveRates = {
    input,
    output,
    cacheRead: tier?.cacheRead ?? pricing.cacheRead ?? input,
    cacheWrite: tier?.cacheWrite ?? pricing.cacheWrite ?? input,
    reasoning: tier?.reasoning ?? pricing.reasoning ?? output,
  };
  if (tier) rates.tier = tier;
  return rates;
}

/**
 * Prices one call from the catalog's pricing and the usage the provider reported. Returns `undefined`
 * when the catalog has no price, so callers can tell "free" (zero rates) from "unknown".
 *
 * `at` is when the call was made (default now): the price in force then applies (a time-bound price
 * covering it, else a time-of-day window holding it, else the regular price; see `price-in-force.ts`),
 * so a call in DeepSeek's off-peak hours or after an introductory price ended is billed right.
 *
 * Uncached input is `inputTokens - cacheReadTokens - cacheWriteTokens` (never below zero); reasoning
 * tokens come out of `outputTokens` and are billed at the reasoning rate when one is set.
 */
export function calculateCost(
  scheduledPricing: ModelPricing | undefined,
  usage: TokenUsage,
  at?: Date,
): Cost | undefined {
  if (!scheduledPricing) return undefined;
  const pricing =
    scheduledPricing.timeBound === undefined && scheduledPricing.timeOfDay === undefined
      ? scheduledPricing
      : priceInForce(scheduledPricing, at).pricing;
  const inputTokens = tokens(usage.inputTokens);
  const outputTokens = tokens(usage.outputTokens);
  const cacheReadTokens = tokens(usage.cacheReadTokens);
  const cacheWriteTokens = tokens(usage.cacheWriteTokens);
  const reasoningTokens = Math.min(tokens(usage.reasoningTokens), outputTokens);
  const uncachedInput = Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens);
  const plainOutput = outputTokens - reasoningTokens;
  const rates = effectiveRates(pricing, inputTokens);

  // tokens * rate stays an exact-enough product of a count and a short decimal; dividing once by 1e6
  // and rounding each part keeps sums such as 0.0025 + 0.01 printing as 0.0125.
  const input = round((uncachedInput * rates.input) / TOKENS_PER_UNIT);
  const cacheRead = round((cacheReadTokens * rates.cacheRead) / TOKENS_PER_UNIT);
  const cacheWrite = round((cacheWriteTokens * rates.cacheWrite) / TOKENS_PER_UNIT);
  const output = round((plainOutput * rates.output) / TOKENS_PER_UNIT);
  const reasoning = round((reasoningTokens * rates.reasoning) / TOKENS_PER_UNIT);
  return {
    input,
    output,
    cacheRead,
    cacheWrite,
    reasoning,
    total: round(input + output + cacheRead + cacheWrite + reasoning),
    currency: 'USD',
  };
}

/**
 * A single "price per 1M tokens" for ranking and filtering models: `(3 * input + output) / 4`. Chat
 * prompts are usually several times longer than answers, so a 3:1 blend ranks models closer to what
 * a typical workload pays than the plain average does. Returns `undefined` without pricing.
 */
export function blendedPricePer1M(pricing: ModelPricing | undefined): number | undefined {
  if (!pricing) return undefined;
  return round((3 * pricing.input + pricing.output) / 4);
}

/** Options of {@link formatCost}. */
export interface FormatCostOptions {
  /** ISO 4217 code; the catalog prices in USD. */
  currency?: string;
  /**
   * Significant digits kept for amounts under one unit (default 4), so `$0.000012` stays readable
   * instead of rounding to `$0.00`. Amounts of one unit or more show two decimals.
   */
  precision?: number;
}

const SYMBOLS: Readonly<Record<string, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥' };

function withGrouping(digits: string): string {
  const [whole = '0', fraction] = digits.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * Formats an amount (or a {@link Cost}'s total) for people: `$0.0025`, `$0.000012`, `$1,234.50`,
 * `$0.00`. LLM calls often cost fractions of a cent, so small amounts keep their significant digits
 * rather than collapsing to zero.
 */
export function formatCost(cost: Cost | number, options: FormatCostOptions = {}): string {
  const amount = typeof cost === 'number' ? cost : cost.total;
  const currency = options.currency ?? (typeof cost === 'number' ? 'USD' : cost.currency);
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  const precision = Math.min(21, Math.max(1, Math.floor(options.precision ?? 4)));
  if (!Number.isFinite(amount)) return `${symbol}${amount}`;
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  if (absolute === 0) return `${symbol}0.00`;
  const rounded = Number(absolute.toPrecision(precision));
  let digits: string;
  if (rounded >= 1) {
    digits = absolute.toFixed(2);
  } else {
    const decimals = Math.min(20, Math.max(2, precision - 1 - Math.floor(Math.log10(rounded))));
    digits = rounded.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
  }
  return `${sign}${symbol}${withGrouping(digits)}`;
}

export type { Cost } from '../types/cost.js';
