/**
 * Client-side rate limiting (`rateLimit`, `perProvider.<id>.rateLimit`, the catalog's
 * `rateLimits`): the limiter, and the runtime's hook that feeds it the providers' rate-limit headers.
 */
import { type ProviderRateLimitConfig, RateLimiter } from '../resilience/state/rate-limiter.js';
import type { CoreParts } from './parts.js';

/** How often the rate limiter reads a provider's rate-limit response headers. */
const HEADER_REFRESH_MS = 1000;

/** The limiter, or undefined when rate limiting is off (the default). */
export function buildRateLimit(parts: CoreParts): RateLimiter | undefined {
  const { options, clock, runtime } = parts;
  const option = options.rateLimit;
  if (option === undefined || option === false) return undefined;
  let limiter: RateLimiter;
  if (option instanceof RateLimiter) limiter = option;
  else {
    const settings = option === true ? {} : option;
    const perProviderLimits: Record<string, ProviderRateLimitConfig> = { ...settings.providers };
    for (const [id, perProvider] of Object.entries(options.perProvider ?? {}))
      if (perProvider.rateLimit !== undefined)
        perProviderLimits[id] = { ...perProviderLimits[id], ...perProvider.rateLimit };
    limiter = new RateLimiter({
      ...settings,
      providers: perProviderLimits,
      store: parts.store,
      catalog: Object.fromEntries(
        [...parts.providers].map(([id, provider]) => [id, provider.definition?.descriptor.rateLimits]),
      ),
      now: clock.now,
      sleep: clock.sleep,
    });
  }
  // Reading headers costs a Headers object per response: the view is refreshed at most once a
  // second per provider, which is as fast as the providers' own counters move in practice.
  const lastRead = new Map<string, number>();
  runtime.onResponseHeaders = (provider, headers, status) => {
    const now = clock.now();
    if (status !== 429 && now - (lastRead.get(provider) ?? Number.NEGATIVE_INFINITY) < HEADER_REFRESH_MS) return;
    lastRead.set(provider, now);
    void limiter.updateFromHeaders(provider, headers()).catch(() => undefined);
  };
  return limiter;
}
