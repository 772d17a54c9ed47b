/**
 * Model references resolved to call targets (aliases, catalog entry, warnings), memoized per
 * reference: every call asks, and the answer changes only when providers are added, removed or
 * discovered (then `clear`).
 */

import { toTarget } from '../resilience/routing.js';
import { type IndexedProvider, resolveModel } from '../runtime/provider-index.js';
import type { CallTarget } from '../types/middleware.js';
import type { ModelRef } from '../types/requests.js';
import type { TargetResolver } from './parts.js';

/** A memoizing resolver over the (mutable) provider index. */
export function createTargetResolver(providers: Map<string, IndexedProvider>): TargetResolver {
  const targets = new Map<string, CallTarget>();
  const resolve = (model: ModelRef): CallTarget => {
    const key = typeof model === 'string' ? model : `${model.provider}/${model.model}`;
    let target = targets.get(key);
    if (target === undefined) {
      target = toTarget(resolveModel(providers, model));
      targets.set(key, target);
    }
    return target;
  };
  return { resolve, clear: () => targets.clear() };
}
