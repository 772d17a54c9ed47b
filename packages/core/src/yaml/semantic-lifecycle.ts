import type { ModelSpec, PriceWindow, TimeBoundPrice, Weekday } from '../types/catalog.js';
import type { Diagnostic } from './diagnostics.js';
import type { YamlSource } from './source.js';
import { diagnosticAt } from './source.js';

/**
 * Checks of a model's time-dependent facts that the schema cannot express: time-bound prices with
 * real dates, each range ordered and none overlapping the next (two prices in force at once would make
 * a cost depend on which one core happens to read first); time-of-day windows in a real time zone that
 * neither are empty nor overlap; a successor that exists; a retirement not before the deprecation.
 *
 * The date rules mirror core's `catalog/price-in-force.ts` (this validator reports a bad date at its
 * line instead of throwing, so it keeps its own copy of these few lines): a `from` day starts at 00:00
 * UTC, an `until` day ends at 24:00 UTC, an instant (`THH:MMZ`) is exact.
 */
export function checkModelLifecycle(
  model: ModelSpec,
  index: number,
  resolve: (name: string) => number | undefined,
  source: YamlSource,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string): void => {
    diagnostics.push(diagnosticAt(source, ['models', index, ...path], message));
  };
  if (model.replacedBy !== undefined) {
    const successor = resolve(model.replacedBy);
    if (successor === undefined) at(['replacedBy'], `replacedBy '${model.replacedBy}' is not a model of this provider`);
    else if (successor === index) at(['replacedBy'], `replacedBy '${model.replacedBy}' names the model itself`);
  }
  if (model.deprecated !== undefined && model.retires !== undefined && model.retires < model.deprecated) {
    at(['retires'], `retires '${model.retires}' is before deprecated '${model.deprecated}'`);
  }
  checkTimeBound(model.pricing?.timeBound ?? [], (path, message) => at(['pricing', 'timeBound', ...path], message));
  const timeOfDay = model.pricing?.timeOfDay;
  if (timeOfDay !== undefined) {
    const report = (path: (string | number)[], message: string): void => at(['pricing', 'timeOfDay', ...path], message);
    if (!isTimeZone(timeOfDay.timeZone))
      report(['timeZone'], `unknown time zone '${timeOfDay.timeZone}' (an IANA name such as UTC or Asia/Shanghai)`);
    checkWindows(timeOfDay.windows, (path, message) => report(['windows', ...path], message));
  }
  return diagnostics;
}

type Report = (path: (string | number)[], message: string) => void;

const DAY_MS = 86_400_000;
const MOMENT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?Z)?$/;

/** Milliseconds of a `from` (start of its day) or `until` (end of its day); `undefined` for a date that does not exist. */
function momentMs(text: string, edge: 'start' | 'end'): number | undefined {
  const match = MOMENT.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map((part) =>
    part === undefined ? undefined : Number(part),
  );
  const ms = Date.UTC(year as number, (month as number) - 1, day as number, hour ?? 0, minute ?? 0, second ?? 0);
  const check = new Date(ms);
  if (check.getUTCMonth() !== (month as number) - 1 || check.getUTCDate() !== day) return undefined;
  if (hour !== undefined && (hour > 23 || (minute as number) > 59)) return undefined;
  return edge === 'end' && match[4] === undefined ? ms + DAY_MS : ms;
}

function checkTimeBound(prices: TimeBoundPrice[], report: Report): void {
  let previousEnd: number | undefined;
  let previousIndex = -1;
  prices.forEach((price, index) => {
    const start = price.from === undefined ? Number.NEGATIVE_INFINITY : momentMs(price.from, 'start');
    const end = price.until === undefined ? Number.POSITIVE_INFINITY : momentMs(price.until, 'end');
    if (start === undefined) report([index, 'from'], `from '${price.from}' is not a real date`);
    if (end === undefined) report([index, 'until'], `until '${price.until}' is not a real date`);
    if (start === undefined || end === undefined) return;
    if (end <= start) {
      report([index, 'until'], `until '${price.until}' is not after from '${price.from}'`);
      return;
    }
    if (previousEnd !== undefined && start < previousEnd) {
      report(
        [index, price.from === undefined ? 'kind' : 'from'],
        `timeBound[${index}] starts before timeBound[${previousIndex}] ends (ranges must be in date order and not overlap)`,
      );
    }
    previousEnd = end;
    previousIndex = index;
  });
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTES_PER_DAY = 1440;

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** Minutes of the week a window covers (Monday 00:00 = 0), wrapping Sunday night into Monday. */
function minutesOfWeek(window: PriceWindow): number[] {
  const start = minutesOf(window.start);
  let end = minutesOf(window.end);
  if (end <= start) end += MINUTES_PER_DAY;
  const covered: number[] = [];
  for (const day of window.days ?? WEEKDAYS) {
    const base = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY;
    for (let minute = start; minute < end; minute += 1) covered.push((base + minute) % (7 * MINUTES_PER_DAY));
  }
  return covered;
}

function checkWindows(windows: PriceWindow[], report: Report): void {
  const owner = new Int16Array(7 * MINUTES_PER_DAY).fill(-1);
  windows.forEach((window, index) => {
    if (minutesOf(window.start) === minutesOf(window.end)) {
      report([index, 'end'], `window '${window.name}' is empty: end ${window.end} equals start ${window.start}`);
      return;
    }
    for (const minute of minutesOfWeek(window)) {
      const other = owner[minute] as number;
      if (other >= 0) {
        report(
          [index, 'start'],
          `window '${window.name}' overlaps window '${windows[other]?.name}' (windows[${other}])`,
        );
        return;
      }
      owner[minute] = index;
    }
  });
}
