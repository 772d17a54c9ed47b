/**
 * `sb.batch()`: many chat calls under a concurrency limit, each settled on its own, results in the
 * order of the requests. One failure never stops the others.
 */

/** One request's outcome. */
export type BatchResult<T> = { ok: true; response: T } | { ok: false; error: Error };

export interface BatchOptions {
  /** Calls in flight at once (default 4). */
  concurrency?: number;
  /** Stops starting new calls when aborted; those not started fail with the abort reason. */
  signal?: AbortSignal;
  /** Called as each item settles (progress bars). */
  onResult?: (index: number, result: BatchResult<unknown>) => void;
}

/** Runs `run` over `items` with at most `concurrency` in flight. */
export async function runBatch<Item, T>(
  items: readonly Item[],
  run: (item: Item, index: number) => Promise<T>,
  options: BatchOptions = {},
): Promise<BatchResult<T>[]> {
  const results: BatchResult<T>[] = new Array(items.length);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  let nextIndex = 0;
  const worker = async () => {
    for (;;) {
      const index = nextIndex++;
      if (index >= items.length) return;
      let result: BatchResult<T>;
      if (options.signal?.aborted) {
        const reason = options.signal.reason;
        result = { ok: false, error: reason instanceof Error ? reason : new Error(String(reason)) };
      } else {
        try {
          result = { ok: true, response: await run(items[index] as Item, index) };
        } catch (error) {
          result = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
      }
      results[index] = result;
      options.onResult?.(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
