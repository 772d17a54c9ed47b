import type { ModelPricing, ModelSpec, ModelStatus, TimeBoundPrice } from '../types/catalog.js';
import { momentMilliseconds, priceInForce } from './price-in-force.js';

/**
 * A model's life-cycle as of a moment. The YAML's `status` is what was true when it was written; a
 * `retires` date that has passed makes the model retired without anyone editing the file, so the
 * catalog stays true between reviews.
 */
export function effectiveStatus(model: Pick<ModelSpec, 'status' | 'retires'>, at: Date = new Date()): ModelStatus {
  const status = model.status ?? 'active';
  if (status === 'retired' || model.retires === undefined) return status;
  // `retires` is YYYY-MM-DD or YYYY-MM: the provider stops serving at the start of that day (month).
  const retires = Date.parse(model.retires.length === 7 ? `${model.retires}-01` : model.retires);
  return retires <= at.getTime() ? 'retired' : status;
}

/**
 * The warning a call to a retired model carries. Providers often keep serving a model for a while
 * after its announced retirement, so the call goes ahead; the warning names the successor so the
 * caller knows what to move to.
 */
export function retiredModelWarning(model: ModelSpec & { ref?: string }, at: Date = new Date()): string | undefined {
  if (effectiveStatus(model, at) !== 'retired') return undefined;
  const since = model.retires === undefined ? '' : ` since ${model.retires}`;
  const successor = model.replacedBy === undefined ? '' : `; use '${model.replacedBy}' instead`;
  return `Model '${model.ref ?? model.id}' is retired${since}${successor}`;
}

/** A coming change of a model's price: when, and in words. */
export interface PriceChange {
  /** ISO instant (UTC) the price in force changes. */
  at: string;
  /** What happens then, e.g. `introductory price ends` or `promotional price starts`. */
  description: string;
}

/**
 * The next time-bound price change after `at` (default now), or `undefined` when the price is fixed.
 * Time-of-day windows are not reported: they change every day and are part of the price itself.
 */
export function nextPriceChange(pricing: ModelPricing | undefined, at: Date = new Date()): PriceChange | undefined {
  if (pricing?.timeBound === undefined) return undefined;
  const changesAt = priceInForce(pricing, at).changesAt;
  if (changesAt === undefined) return undefined;
  const time = changesAt.getTime();
  const ending = pricing.timeBound.find(
    (price: TimeBoundPrice) => price.until !== undefined && momentMilliseconds(price.until, 'end') === time,
  );
  const starting = pricing.timeBound.find(
    (price: TimeBoundPrice) => price.from !== undefined && momentMilliseconds(price.from, 'start') === time,
  );
  const description =
    starting !== undefined
      ? `${starting.kind} price $${starting.input}/$${starting.output} per 1M starts`
      : `${ending?.kind ?? 'current'} price ends`;
  return { at: changesAt.toISOString(), description };
}
