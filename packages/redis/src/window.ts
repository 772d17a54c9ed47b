/**
 * `retryAfterMs` of the two-bucket sliding-window counter, computed in the client from the buckets
 * the script returns. Same formula as core's memory store (`state/sliding-window.ts` in core), so
 * both stores answer alike.
 */
export interface Buckets {
  start: number;
  previous: number;
  current: number;
}

function estimate(b: Buckets, windowMs: number, now: number): number {
  return Math.max(0, b.previous * (1 - (now - b.start) / windowMs) + b.current);
}

export function windowRetryAfter(b: Buckets, amount: number, limit: number, windowMs: number, now: number): number {
  const elapsed = now - b.start;
  if (estimate(b, windowMs, now) + amount <= limit) return 0;
  const untilNextBucket = windowMs - elapsed;
  if (amount > limit) return b.current > 0 ? untilNextBucket + windowMs : untilNextBucket;
  const room = limit - amount;
  if (b.current <= room) {
    const t = windowMs * (1 - (room - b.current) / b.previous);
    return Math.max(1, Math.ceil(t - elapsed));
  }
  const t = windowMs * (1 - room / b.current);
  return Math.max(1, Math.ceil(untilNextBucket + t));
}
