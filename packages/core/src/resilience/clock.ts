/**
 * Injectable time for the resilience middleware: retry delays, breaker windows and cool-downs and
 * health intervals read `now` and wait with `sleep`, so tests run them on a fake clock. Same shapes
 * as the state components' clock, whose real `now` and abortable `sleep` it reuses.
 */

import { systemNow, systemSleep } from './state/clock.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for jitter and random routing. */
  random(): number;
}

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
