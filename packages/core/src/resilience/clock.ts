/**
 * Injectable time for the resilience middleware: retry delays, breaker windows and cool-downs and
 * health intervals read `now` and wait with `sleep`, so tests run them on a fake clock. Same shapes
 * as the state components' clock, whose real `now` and abortable `sleep` it reuses.
 */

import type { Clock } from '../types/clock.js';
import { systemNow, systemSleep } from './state/clock.js';

/** The real clock. */
export const systemClock: Clock = { now: systemNow, sleep: systemSleep, random: Math.random };

/** Fills the parts of a partial clock the caller left out with the real ones. */
export function toClock(partial: Partial<Clock> | undefined): Clock {
  if (partial === undefined) return systemClock;
  return {
    now: partial.now ?? systemClock.now,
    sleep: partial.sleep ?? systemClock.sleep,
    random: partial.random ?? systemClock.random,
  };
}

export type { Clock } from '../types/clock.js';
