import { describe, expect, it } from 'vitest';
import type { ModelPricing } from '../types/catalog.js';
import { calculateCost } from './cost.js';
import { nextPriceChange } from './model-lifecycle.js';
import { priceInForce } from './price-in-force.js';

const MILLION = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

/**
 * DeepSeek V4 Pro after 2026-08-16: the peak price is the regular one ($1.32 / $3.96, cache read
 * $0.044: ../shared/upstream-catalogs/models.dev-post-2026-07/providers/deepseek/models/deepseek-v4-pro.toml
 * at 3e82669a), off-peak is 16:30-00:30 UTC (the issue). The sample gives no off-peak figure, so the
 * window here bills half (a test value; the YAML carries the provider's). Before the change the July
 * catalog's flat price applied ($0.435 / $0.87).
 */
const deepseekV4Pro: ModelPricing = {
  input: 1.32,
  output: 3.96,
  cacheRead: 0.044,
  timeBound: [{ until: '2026-08-15', kind: 'regular', input: 0.435, output: 0.87, source: 'July catalog' }],
  timeOfDay: {
    timeZone: 'UTC',
    source: 'https://api-docs.deepseek.com/quick_start/pricing',
    windows: [{ name: 'off-peak', start: '16:30', end: '00:30', input: 0.66, output: 1.98, cacheRead: 0.022 }],
  },
};

const totalAt = (pricing: ModelPricing, iso: string): number | undefined =>
  calculateCost(pricing, MILLION, new Date(iso))?.total;

describe('DeepSeek peak and off-peak prices', () => {
  it('a call inside the peak hours pays the peak price, one in the off-peak window the off-peak price', () => {
    expect(totalAt(deepseekV4Pro, '2026-12-07T10:00:00Z')).toBe(5.28); // 1.32 + 3.96
    expect(totalAt(deepseekV4Pro, '2026-12-07T17:00:00Z')).toBe(2.64); // 0.66 + 1.98
    const cached = calculateCost(
      deepseekV4Pro,
      { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 },
      new Date('2026-12-07T17:00:00Z'),
    );
    expect(cached?.cacheRead).toBe(0.022);
  });

  it('the window starts at 16:30 inclusive and ends at 00:30 exclusive, past midnight', () => {
    expect(totalAt(deepseekV4Pro, '2026-12-07T16:29:59.999Z')).toBe(5.28);
    expect(totalAt(deepseekV4Pro, '2026-12-07T16:30:00Z')).toBe(2.64);
    expect(totalAt(deepseekV4Pro, '2026-12-08T00:29:59Z')).toBe(2.64);
    expect(totalAt(deepseekV4Pro, '2026-12-08T00:30:00Z')).toBe(5.28);
  });

  it('the same window written in Asia/Shanghai (00:30-08:30, UTC+8) prices every moment alike', () => {
    const shanghai: ModelPricing = {
      ...deepseekV4Pro,
      timeOfDay: {
        timeZone: 'Asia/Shanghai',
        source: 'test',
        windows: [{ name: 'off-peak', start: '00:30', end: '08:30', input: 0.66, output: 1.98 }],
      },
    };
    for (const iso of [
      '2026-12-07T16:29:00Z',
      '2026-12-07T16:30:00Z',
      '2026-12-08T00:29:00Z',
      '2026-12-08T00:30:00Z',
    ]) {
      expect(totalAt(shanghai, iso), iso).toBe(totalAt(deepseekV4Pro, iso));
    }
    expect(priceInForce(shanghai, new Date('2026-12-07T20:00:00Z'))).toMatchObject({
      kind: 'time-of-day',
      window: 'off-peak',
    });
  });

  it('a time-bound price wins over the window: before 2026-08-16 the flat July price applied', () => {
    // 20:00 UTC is off-peak, but the schedule did not exist yet.
    expect(totalAt(deepseekV4Pro, '2026-08-15T20:00:00Z')).toBe(1.305); // 0.435 + 0.87
    expect(totalAt(deepseekV4Pro, '2026-08-16T10:00:00Z')).toBe(5.28);
  });

  it('without `at` the price in force now is billed (the regular price when no schedule exists)', () => {
    expect(calculateCost({ input: 1, output: 2 }, MILLION)?.total).toBe(3);
    const always: ModelPricing = {
      input: 1,
      output: 2,
      timeOfDay: {
        timeZone: 'UTC',
        source: 'test',
        windows: [{ name: 'all day', start: '00:00', end: '24:00', input: 0.5, output: 1 }],
      },
    };
    expect(calculateCost(always, MILLION)?.total).toBe(1.5);
  });
});

describe('windows on some days only', () => {
  // Saturday and Sunday nights 22:00-00:30 Shanghai time; 2026-12-05 is a Saturday.
  const weekendNights: ModelPricing = {
    input: 1,
    output: 1,
    timeOfDay: {
      timeZone: 'Asia/Shanghai',
      source: 'test',
      windows: [{ name: 'weekend-night', start: '22:00', end: '00:30', days: ['sat', 'sun'], input: 0.5, output: 0.5 }],
    },
  };

  it('holds the days it starts on and the early hours after them, not other days', () => {
    expect(totalAt(weekendNights, '2026-12-05T14:00:00Z')).toBe(1); // Sat 22:00 Shanghai
    expect(totalAt(weekendNights, '2026-12-06T16:10:00Z')).toBe(1); // Mon 00:10, started Sunday
    expect(totalAt(weekendNights, '2026-12-07T16:10:00Z')).toBe(2); // Tue 00:10, started Monday
    expect(totalAt(weekendNights, '2026-12-04T14:00:00Z')).toBe(2); // Fri 22:00
  });
});

describe('time-bound prices', () => {
  // Numbers are test values; the dates are the (gemini-3.8-flash's launch price ends 2026-12-31).
  const introductory: ModelPricing = {
    input: 0.5,
    output: 3,
    timeBound: [{ until: '2026-12-31', kind: 'introductory', input: 0.3, output: 2.5, source: 'test' }],
  };

  it('a call after an introductory price ends costs the regular price; the last day still has it', () => {
    expect(totalAt(introductory, '2026-12-31T23:59:59.999Z')).toBe(2.8);
    expect(totalAt(introductory, '2027-01-01T00:00:00Z')).toBe(3.5);
  });

  it('reports when the introductory price ends, and nothing after', () => {
    expect(nextPriceChange(introductory, new Date('2026-12-15T00:00:00Z'))).toEqual({
      at: '2027-01-01T00:00:00.000Z',
      description: 'introductory price ends',
    });
    expect(nextPriceChange(introductory, new Date('2027-01-02T00:00:00Z'))).toBeUndefined();
    expect(nextPriceChange({ input: 1, output: 1 })).toBeUndefined();
  });

  const promotion: ModelPricing = {
    input: 2,
    output: 8,
    cacheRead: 0.5,
    timeBound: [
      { from: '2026-09-01T16:00Z', until: '2026-09-30', kind: 'promotional', input: 1, output: 4, source: 'test' },
    ],
  };

  it('a promotion applies from its start instant through its last day, not a millisecond outside', () => {
    expect(totalAt(promotion, '2026-09-01T15:59:59.999Z')).toBe(10);
    expect(totalAt(promotion, '2026-09-01T16:00:00Z')).toBe(5);
    expect(totalAt(promotion, '2026-09-30T23:59:59.999Z')).toBe(5);
    expect(totalAt(promotion, '2026-10-01T00:00:00Z')).toBe(10);
    expect(priceInForce(promotion, new Date('2026-09-10T00:00:00Z'))).toMatchObject({
      kind: 'promotional',
      source: 'test',
      changesAt: new Date('2026-10-01T00:00:00Z'),
    });
    expect(nextPriceChange(promotion, new Date('2026-08-20T00:00:00Z'))).toEqual({
      at: '2026-09-01T16:00:00.000Z',
      description: 'promotional price $1/$4 per 1M starts',
    });
  });

  it("a promotion's omitted rates fall back to its own input rate, not to the regular cache price", () => {
    const cost = calculateCost(
      promotion,
      { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 },
      new Date('2026-09-10T00:00:00Z'),
    );
    expect(cost?.cacheRead).toBe(1);
    const regular = calculateCost(
      promotion,
      { inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1_000_000 },
      new Date('2026-10-10T00:00:00Z'),
    );
    expect(regular?.cacheRead).toBe(0.5);
  });

  it('context tiers of a time-bound price apply during its range', () => {
    const tiered: ModelPricing = {
      input: 3,
      output: 15,
      tiers: [{ above: 128_000, input: 6, output: 22.5 }],
      timeBound: [
        {
          from: '2026-06-01',
          until: '2026-06-30',
          kind: 'promotional',
          input: 1.5,
          output: 7.5,
          tiers: [{ above: 128_000, input: 3, output: 11.25 }],
          source: 'test',
        },
      ],
    };
    const long = { inputTokens: 200_000, outputTokens: 0 };
    expect(calculateCost(tiered, long, new Date('2026-06-15T00:00:00Z'))?.input).toBe(0.6);
    expect(calculateCost(tiered, long, new Date('2026-07-15T00:00:00Z'))?.input).toBe(1.2);
  });
});
