import type { ModelPricing } from '@switchboard/core';

/** A per-token rate of a price: the ones upstream catalogs state. */
export type PriceRate = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'reasoning';

/**
 * Every value a YAML gives one rate: the regular price, each date-range price (`timeBound`) and each
 * time-of-day window (`timeOfDay`). An upstream catalog states one price, often whichever was in
 * force when it was written (an introductory price, a peak rate); it agrees with the YAML when it
 * equals any of these.
 */
export function priceForms(pricing: ModelPricing | undefined, rate: PriceRate): number[] {
  if (!pricing) return [];
  const out: number[] = [];
  const add = (value: number | undefined) => {
    if (typeof value === 'number' && !out.includes(value)) out.push(value);
  };
  add(pricing[rate]);
  for (const price of pricing.timeBound ?? []) add(price[rate]);
  for (const window of pricing.timeOfDay?.windows ?? []) add(window[rate]);
  return out;
}

/** Whether the YAML prices a model by date range or time of day: such prices are reviewed by hand, never rewritten by sync. */
export function hasPriceSchedule(pricing: ModelPricing | undefined): boolean {
  return Boolean(pricing?.timeBound?.length || pricing?.timeOfDay?.windows.length);
}
