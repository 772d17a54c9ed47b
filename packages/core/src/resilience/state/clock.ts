/**
 * Injectable time for the state components: every component takes `now` and (where it waits)
 * `sleep`, so tests drive windows, expiries and waits with a fake clock instead of real time.
 */

/** Milliseconds since the epoch. */
export type NowFn = () => number;

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

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
