/** Retry settings as requests and options carry them (applied by resilience/retry.ts). */
/** Retry settings; every field is optional where given (globally, per provider, per call). */
export interface RetryOptions {
  /** Retries after the first attempt (default 2; 0 disables). */
  maxRetries?: number;
  /** `exponential` (default): initial * 2^(n-1); `linear`: initial * n. */
  backoff?: 'exponential' | 'linear';
  /** Delay before the first retry (default 500 ms). */
  initialDelayMs?: number;
  /** Cap on the computed delay (default 8 s). */
  maxDelayMs?: number;
  /** Fraction of the delay randomly taken off it (default 0.25). */
  jitter?: number;
  /** Timeout of each attempt; the request's `timeout` stays the overall limit. */
  attemptTimeoutMs?: number;
  /** When set (the catalog's `retry.retryableStatuses`), an HTTP error is retried only with one of these statuses. */
  retryableStatuses?: readonly number[];
  /**
   * The longest provider-requested wait (`retry-after`) honoured (default 60 s). A longer one is not
   * waited for: the error goes up at once so fallback can move on.
   */
  maxRetryAfterMs?: number;
  /** Overrides the retryable decision: return true or false, or undefined to keep the default. */
  shouldRetry?: (error: unknown, attempt: number) => boolean | undefined;
}
