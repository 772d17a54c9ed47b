import type { ModelPricing, PriceWindow, TimeBoundPrice, TimeBoundPriceKind, Weekday } from '../types/catalog.js';

/**
 * Which price a call made at a given moment pays. Providers change prices by date (promotions,
 * introductory prices that end, a new regular price) and by the hour (DeepSeek's off-peak discount),
 * so the catalog's regular price alone would misprice such calls. The order is the catalog schema's:
 * a time-bound price covering the moment, else a time-of-day window containing it, else the regular price.
 *
 * Date rules (the codegen validator applies the same): a `from` day starts at 00:00 UTC, an `until` day
 * ends at 24:00 UTC (the price applies all of its last day), an instant `YYYY-MM-DDTHH:MMZ` is exact.
 */

/** The price in force at one moment, and when that stops being so. */
export interface PriceInForce {
  /** The rates to bill with: a complete pricing without its schedule. */
  pricing: ModelPricing;
  /** `regular` for the top-level price, else the time-bound price's kind, or `time-of-day`. */
  kind: TimeBoundPriceKind | 'time-of-day';
  /** The window's name when a time-of-day price applies (off-peak). */
  window?: string;
  /** Where the applied price comes from, when it is not the regular one. */
  source?: string;
  /**
   * The next moment a time-bound price starts or ends after `at`, if any: when a price is about to
   * change (time-of-day windows are not counted; they change every day).
   */
  changesAt?: Date;
}

const DAY_MS = 86_400_000;
const MOMENT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;

/**
 * Milliseconds of a catalog moment: a day's start (`edge: 'start'`) or its end (`'end'`, the next
 * day's 00:00 UTC); an instant as written. `NaN` for text that is not a moment (validated YAML never
 * holds one; hand-built pricing might, and then the range is ignored rather than guessed).
 */
export function momentMilliseconds(text: string, edge: 'start' | 'end'): number {
  const match = MOMENT.exec(text);
  if (!match) return Number.NaN;
  const milliseconds = Date.parse(match[4] === undefined ? `${text}T00:00:00Z` : text);
  return edge === 'end' && match[4] === undefined ? milliseconds + DAY_MS : milliseconds;
}

function rangeOf(price: TimeBoundPrice): [number, number] {
  const start = price.from === undefined ? Number.NEGATIVE_INFINITY : momentMilliseconds(price.from, 'start');
  const end = price.until === undefined ? Number.POSITIVE_INFINITY : momentMilliseconds(price.until, 'end');
  return [start, end];
}

/** The regular pricing less its schedule, with another price's rates in place of the regular ones. */
function withRates(pricing: ModelPricing, rates: TimeBoundPrice | PriceWindow): ModelPricing {
  const result: ModelPricing = { input: rates.input, output: rates.output };
  if (rates.cacheRead !== undefined) result.cacheRead = rates.cacheRead;
  if (rates.cacheWrite !== undefined) result.cacheWrite = rates.cacheWrite;
  if (rates.reasoning !== undefined) result.reasoning = rates.reasoning;
  if ('tiers' in rates && rates.tiers !== undefined) result.tiers = rates.tiers;
  // Per-image and audio prices and the batch multiplier are not rates a schedule changes.
  if (pricing.imageInput !== undefined) result.imageInput = pricing.imageInput;
  if (pricing.audioInput !== undefined) result.audioInput = pricing.audioInput;
  if (pricing.audioOutput !== undefined) result.audioOutput = pricing.audioOutput;
  if (pricing.batchDiscount !== undefined) result.batchDiscount = pricing.batchDiscount;
  if (pricing.currency !== undefined) result.currency = pricing.currency;
  return result;
}

function regularOf(pricing: ModelPricing): ModelPricing {
  const { timeBound: _timeBound, timeOfDay: _timeOfDay, ...regular } = pricing;
  return regular;
}

const WEEKDAY_BY_NAME: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};
const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Weekday and minute of the day of `at` on the wall clock of `timeZone`. */
export function wallClock(at: Date, timeZone: string): { day: Weekday; minute: number } {
  let day: Weekday = 'mon';
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAY_BY_NAME[part.value] ?? day;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

function minutesOf(clock: string): number {
  const [hours = 0, minutes = 0] = clock.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * Whether a window holds a wall-clock moment. A window past midnight (end before start) also holds
 * the early hours of the day after each of its days.
 */
export function windowContains(window: PriceWindow, day: Weekday, minute: number): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const startsOn = (weekday: Weekday): boolean => window.days === undefined || window.days.includes(weekday);
  if (start < end) return startsOn(day) && minute >= start && minute < end;
  if (minute >= start) return startsOn(day);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] as Weekday;
  return minute < end && startsOn(yesterday);
}

/** The next start or end of a time-bound price after `time`. */
function nextChange(prices: readonly TimeBoundPrice[], time: number): Date | undefined {
  let next = Number.POSITIVE_INFINITY;
  for (const price of prices) {
    for (const edge of rangeOf(price)) if (edge > time && edge < next) next = edge;
  }
  return Number.isFinite(next) ? new Date(next) : undefined;
}

/**
 * The price in force at `at` (default now). Cheap for the common case: a pricing without a schedule
 * is returned as it is, so the chat hot path pays one property check.
 */
export function priceInForce(pricing: ModelPricing, at: Date = new Date()): PriceInForce {
  const { timeBound, timeOfDay } = pricing;
  if (timeBound === undefined && timeOfDay === undefined) return { pricing, kind: 'regular' };
  const time = at.getTime();
  const result = ((): PriceInForce => {
    for (const price of timeBound ?? []) {
      const [start, end] = rangeOf(price);
      if (time >= start && time < end) {
        return { pricing: withRates(pricing, price), kind: price.kind, source: price.source };
      }
    }
    if (timeOfDay !== undefined && Number.isFinite(time)) {
      const { day, minute } = wallClock(at, timeOfDay.timeZone);
      const window = timeOfDay.windows.find((candidate) => windowContains(candidate, day, minute));
      if (window !== undefined) {
        return {
          pricing: withRates(pricing, window),
          kind: 'time-of-day',
          window: window.name,
          source: timeOfDay.source,
        };
      }
    }
    return { pricing: regularOf(pricing), kind: 'regular' };
  })();
  const changesAt = nextChange(timeBound ?? [], time);
  if (changesAt !== undefined) result.changesAt = changesAt;
  return result;
}
