import { describe, expect, it } from 'vitest';
import type { ModelPricing } from '../types/catalog.js';
import { blendedPricePer1M, calculateCost, formatCost, selectPricingTier } from './cost.js';

const gpt4o: ModelPricing = { input: 2.5, output: 10, cacheRead: 1.25 };
const sonnet: ModelPricing = {
  input: 3,
  output: 15,
  cacheRead: 0.3,
  cacheWrite: 3.75,
  tiers: [{ above: 200_000, input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5 }],
};

describe('calculateCost', () => {
  it('returns undefined without pricing, zeros for free models', () => {
    expect(calculateCost(undefined, { inputTokens: 10, outputTokens: 10 })).toBeUndefined();
    expect(calculateCost({ input: 0, output: 0 }, { inputTokens: 10, outputTokens: 10 })?.total).toBe(0);
  });

  it('bills input and output per 1M tokens without float noise', () => {
    // 1,000 * 2.5 / 1e6 = 0.0025; 500 * 10 / 1e6 = 0.005; total 0.0075
    expect(calculateCost(gpt4o, { inputTokens: 1000, outputTokens: 500 })).toEqual({
      input: 0.0025,
      output: 0.005,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
      total: 0.0075,
      currency: 'USD',
    });
    // 3 * 0.1 is 0.30000000000000004 in floats; the cost must print as 3e-7.
    expect(calculateCost({ input: 0.1, output: 0.2 }, { inputTokens: 3, outputTokens: 1 })?.total).toBe(0.0000005);
  });

  it('takes cache reads out of input and bills them at the cache-read rate', () => {
    // uncached 10,000 - 8,000 = 2,000 * 2.5 = 0.005; cache 8,000 * 1.25 = 0.01; output 1,000 * 10 = 0.01
    const cost = calculateCost(gpt4o, { inputTokens: 10_000, outputTokens: 1000, cacheReadTokens: 8000 });
    expect(cost).toMatchObject({ input: 0.005, cacheRead: 0.01, output: 0.01, total: 0.025 });
  });

  it('bills cache writes at the cache-write rate', () => {
    // uncached 5,000 - 4,000 = 1,000 * 3 = 0.003; writes 4,000 * 3.75 = 0.015; output 200 * 15 = 0.003
    const cost = calculateCost(sonnet, { inputTokens: 5000, outputTokens: 200, cacheWriteTokens: 4000 });
    expect(cost).toMatchObject({ input: 0.003, cacheWrite: 0.015, output: 0.003, total: 0.021 });
  });

  it('falls back to the input rate when no cache price is published', () => {
    // 1,000 uncached + 1,000 read + 1,000 written, all at 1.0: 0.001 each
    const cost = calculateCost(
      { input: 1, output: 2 },
      { inputTokens: 3000, outputTokens: 0, cacheReadTokens: 1000, cacheWriteTokens: 1000 },
    );
    expect(cost).toMatchObject({ input: 0.001, cacheRead: 0.001, cacheWrite: 0.001, total: 0.003 });
  });

  it('bills reasoning at the output rate unless a reasoning rate is set', () => {
    // output 1,000 of which 600 reasoning, at 8: plain 400 * 8 = 0.0032, reasoning 600 * 8 = 0.0048
    const usage = { inputTokens: 0, outputTokens: 1000, reasoningTokens: 600 };
    expect(calculateCost({ input: 2, output: 8 }, usage)).toMatchObject({
      output: 0.0032,
      reasoning: 0.0048,
      total: 0.008,
    });
    // with a reasoning rate of 12: 600 * 12 = 0.0072; total 0.0032 + 0.0072 = 0.0104
    expect(calculateCost({ input: 2, output: 8, reasoning: 12 }, usage)).toMatchObject({
      output: 0.0032,
      reasoning: 0.0072,
      total: 0.0104,
    });
  });

  it('applies the context tier only when the prompt is strictly above it', () => {
    const gemini: ModelPricing = {
      input: 1.25,
      output: 10,
      cacheRead: 0.31,
      tiers: [{ above: 200_000, input: 2.5, output: 15 }],
    };
    // exactly 200,000: base rates. 200,000 * 1.25 = 0.25; 1,000 * 10 = 0.01
    expect(calculateCost(gemini, { inputTokens: 200_000, outputTokens: 1000 })?.total).toBe(0.26);
    // 200,001: tier. 200,001 * 2.5 = 0.5000025; 1,000 * 15 = 0.015; total 0.5150025
    expect(calculateCost(gemini, { inputTokens: 200_001, outputTokens: 1000 })).toMatchObject({
      input: 0.5000025,
      output: 0.015,
      total: 0.5150025,
    });
    // the tier has no cache price: base cacheRead 0.31 applies. uncached 200,000 * 2.5 = 0.5; 100,000 * 0.31 = 0.031
    expect(calculateCost(gemini, { inputTokens: 300_000, outputTokens: 0, cacheReadTokens: 100_000 })).toMatchObject({
      input: 0.5,
      cacheRead: 0.031,
      total: 0.531,
    });
  });

  it('uses tier cache prices when the tier sets them', () => {
    // 300,000 prompt > 200,000: uncached 100,000 * 6 = 0.6; read 100,000 * 0.6 = 0.06; write 100,000 * 7.5 = 0.75;
    // output 1,000 * 22.5 = 0.0225; total 1.4325
    const cost = calculateCost(sonnet, {
      inputTokens: 300_000,
      outputTokens: 1000,
      cacheReadTokens: 100_000,
      cacheWriteTokens: 100_000,
    });
    expect(cost).toMatchObject({ input: 0.6, cacheRead: 0.06, cacheWrite: 0.75, output: 0.0225, total: 1.4325 });
  });

  it('picks the tier with the largest threshold below the prompt', () => {
    const pricing: ModelPricing = {
      input: 1,
      output: 1,
      tiers: [
        { above: 128_000, input: 2 },
        { above: 32_000, input: 1.5 },
      ],
    };
    expect(selectPricingTier(pricing, 32_000)).toBeUndefined();
    expect(selectPricingTier(pricing, 100_000)?.above).toBe(32_000);
    expect(selectPricingTier(pricing, 200_000)?.above).toBe(128_000);
    // 100,000 * 1.5 = 0.15; 200,000 * 2 = 0.4 (output rate falls back to the base 1)
    expect(calculateCost(pricing, { inputTokens: 100_000, outputTokens: 0 })?.total).toBe(0.15);
    expect(calculateCost(pricing, { inputTokens: 200_000, outputTokens: 1000 })?.total).toBe(0.401);
  });

  it('never bills negative tokens', () => {
    const cost = calculateCost(gpt4o, {
      inputTokens: 100,
      outputTokens: 10,
      cacheReadTokens: 500,
      reasoningTokens: 50,
    });
    expect(cost?.input).toBe(0);
    expect(cost?.output).toBe(0);
    // reasoning capped at the 10 output tokens: 10 * 10 / 1e6 = 0.0001; cache 500 * 1.25 = 0.000625
    expect(cost).toMatchObject({ reasoning: 0.0001, cacheRead: 0.000625, total: 0.000725 });
  });
});

describe('blendedPricePer1M', () => {
  it('weights input three to one', () => {
    // (3 * 2.5 + 10) / 4 = 4.375
    expect(blendedPricePer1M(gpt4o)).toBe(4.375);
    expect(blendedPricePer1M(undefined)).toBeUndefined();
  });
});

describe('formatCost', () => {
  it('formats like money, keeping the digits of tiny amounts', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.0025)).toBe('$0.0025');
    expect(formatCost(0.000012)).toBe('$0.000012');
    expect(formatCost(0.1)).toBe('$0.10');
    expect(formatCost(0.123456)).toBe('$0.1235');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatCost(1234.567)).toBe('$1,234.57');
    expect(formatCost(-0.0025)).toBe('-$0.0025');
  });

  it('accepts a Cost, a precision and a currency', () => {
    const cost = calculateCost(gpt4o, { inputTokens: 1000, outputTokens: 500 });
    expect(formatCost(cost as NonNullable<typeof cost>)).toBe('$0.0075');
    expect(formatCost(0.123456, { precision: 2 })).toBe('$0.12');
    expect(formatCost(2, { currency: 'EUR' })).toBe('€2.00');
    expect(formatCost(2, { currency: 'CHF' })).toBe('CHF 2.00');
  });
});
