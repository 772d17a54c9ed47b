/**
 * The cache identity of a request's model, resolved as calls resolve it: a group by its name (the
 * cache answers before routing, and any deployment's answer serves the group), a model by provider
 * and catalog id (aliases and dated snapshots resolved). An unknown provider is taken literally:
 * the call fails further in, and a lookup simply misses.
 */

import { groupName, type Router } from '../resilience/routing.js';
import { type CacheIdentity, literalIdentity } from '../resilience/state/cache-key.js';
import type { CallTarget } from '../types/middleware.js';
import type { ModelRef } from '../types/requests.js';

/** The cache's model resolver over this switchboard's groups and targets. */
export function createCacheIdentity(
  router: Router,
  resolveTarget: (model: ModelRef) => CallTarget,
): (model: ModelRef) => CacheIdentity {
  return (model) => {
    const group = groupName(model, router.names);
    if (group !== undefined) return { group };
    try {
      const target = resolveTarget(model);
      return { provider: target.provider, model: target.modelId };
    } catch {
      return literalIdentity(model);
    }
  };
}
