/**
 * Injectable time for the state components: every component takes `now` and (where it waits)
 * `sleep`, so tests drive windows, expiries and waits with a fake clock instead of real time.
 */
import type { NowFn, SleepFn } from '../../types/clock.js';

/** The real clock. */
export const systemNow: NowFn = () => Date.now();

/** An abortable `setTimeout` sleep; rejects with `signal.reason` (an `AbortError` by default). */
export const systemSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export type { NowFn, SleepFn } from '../../types/clock.js';
