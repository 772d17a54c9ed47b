/**
 * The response cache (`cache`, and `store` as its default backend): created on first use, keyed by
 * resolved model or group name, and on for every chat and embed call unless it says `default: false`.
 */
import { LruCacheBackend } from '../resilience/state/lru-cache-backend.js';
import { ResponseCache } from '../resilience/state/response-cache.js';
import { StoreCacheBackend } from '../resilience/state/store-cache-backend.js';
import { createCacheIdentity } from './cache-identity.js';
import type { CoreParts } from './parts.js';

/** The cache as the stack and `sb.cache` see it. */
export interface CacheParts {
  /** The cache, created on the first call. */
  readonly get: () => ResponseCache;
  /** The cache if it was created (to close it). */
  readonly created: () => ResponseCache | undefined;
  /** Whether calls use it without asking. */
  readonly byDefault: boolean;
}

/** Builds the lazily created cache. */
export function buildCache(parts: CoreParts): CacheParts {
  const { options, clock, secrets } = parts;
  const option = options.cache;
  const identity = createCacheIdentity(parts.router, parts.targets.resolve);
  let cache: ResponseCache | undefined;
  const get = (): ResponseCache => {
    if (cache === undefined) {
      if (option instanceof ResponseCache) cache = option;
      else {
        const settings = typeof option === 'object' ? option : {};
        // A store the caller gave (Redis) also holds the cache, so every process shares it; the
        // default in-process store does not (the bounded LRU is better there, on the switchboard's
        // clock so TTLs follow an injected one).
        const backend =
          settings.backend ??
          (options.store !== undefined
            ? new StoreCacheBackend(options.store)
            : new LruCacheBackend({ now: clock.now }));
        cache = new ResponseCache({ ...settings, backend });
      }
      cache.setModelResolver(identity);
      cache.setSecrets(secrets);
    }
    return cache;
  };
  const byDefault =
    option !== undefined &&
    option !== false &&
    !(typeof option === 'object' && !(option instanceof ResponseCache) && option.default === false);
  return { get, created: () => cache, byDefault };
}
