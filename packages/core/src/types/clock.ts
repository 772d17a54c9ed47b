/** Time as core's services see it: injected so tests and simulations control it (implemented in resilience/clock.ts). */
/** Milliseconds since the epoch. */
export type NowFn = () => number;

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits `ms`; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for jitter and random routing. */
  random(): number;
}
