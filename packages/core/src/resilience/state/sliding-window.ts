/**
 * The two-bucket sliding-window-counter approximation shared by the memory store (and documented
 * for other `Store` implementations so they agree).
 *
 * Time is cut into fixed buckets of `windowMs` aligned to multiples of `windowMs` since the epoch.
 * Each window key keeps the count of the current bucket and of the one before it. At `now`, with
 * `elapsed = now - currentBucketStart`:
 *
 *     estimate = previous * (1 - elapsed / windowMs) + current
 *
 * i.e. the previous bucket's usage is assumed spread evenly over it, and the part still inside the
 * last `windowMs` is counted. O(1) memory per key, atomic with one read-modify-write, and never
 * off by more than the previous bucket's count (it errs on either side only where traffic is bursty).
 */

/** The stored state of one window key. */
export interface WindowBuckets {
  /** Start of the current bucket (ms since epoch, a multiple of `windowMs`). */
  start: number;
  previous: number;
  current: number;
}

/** The buckets as seen at `now`: rolled forward one or more buckets as time has passed. */
export function rollWindow(stored: WindowBuckets | undefined, windowMs: number, now: number): WindowBuckets {
  const start = Math.floor(now / windowMs) * windowMs;
  if (stored === undefined) return { start, previous: 0, current: 0 };
  if (stored.start === start) return { ...stored };
  if (stored.start === start - windowMs) return { start, previous: stored.current, current: 0 };
  return { start, previous: 0, current: 0 };
}

/** The estimated usage over the last `windowMs` (never below 0). */
export function windowEstimate(buckets: WindowBuckets, windowMs: number, now: number): number {
  const elapsed = now - buckets.start;
  return Math.max(0, buckets.previous * (1 - elapsed / windowMs) + buckets.current);
}

/**
 * Milliseconds from `now` until `amount` more would fit under `limit`, given no further traffic.
 * 0 when it fits now. When `amount > limit` it never fits; the time until the window is empty is
 * returned (the most a caller can usefully wait).
 */
export function windowRetryAfter(
  buckets: WindowBuckets,
  amount: number,
  limit: number,
  windowMs: number,
  now: number,
): number {
  const elapsed = now - buckets.start;
  if (windowEstimate(buckets, windowMs, now) + amount <= limit) return 0;
  const untilNextBucket = windowMs - elapsed;
  if (amount > limit) {
    // Empty once the current bucket has slid out entirely.
    return buckets.current > 0 ? untilNextBucket + windowMs : untilNextBucket;
  }
  const room = limit - amount;
  if (buckets.current <= room) {
    // Fits later in this bucket, as the previous bucket slides out:
    // previous * (1 - t / windowMs) + current <= room  <=>  t >= windowMs * (1 - (room - current) / previous)
    const t = windowMs * (1 - (room - buckets.current) / buckets.previous);
    return Math.max(1, Math.ceil(t - elapsed));
  }
  // Only after this bucket becomes the previous one: current * (1 - t / windowMs) <= room.
  const t = windowMs * (1 - room / buckets.current);
  return Math.max(1, Math.ceil(untilNextBucket + t));
}
