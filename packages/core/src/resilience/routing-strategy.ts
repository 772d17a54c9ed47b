/**
 * Custom routing strategies: a model group may order its deployments with a function of its own
 * (`strategy: (targets, context) => ordered targets`). The function sees the deployments that can
 * serve the request (capability filtering already ran) and what the router knows about each, and
 * answers the order to try them in; it may leave some out. Its answer is checked, because a
 * strategy that returns an empty list or an object it was not given would otherwise fail far from
 * its cause (an empty plan, or a call to an unknown target).
 */

import { ConfigurationError } from '../errors/errors.js';
import type { CallTarget } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../types/requests.js';

/** What the router knows about one deployment when a custom strategy runs. */
export interface DeploymentStats {
  /** The deployment's id in the group. */
  deployment: string;
  /** `'<provider>/<model>'`. */
  ref: string;
  provider: string;
  /** Calls to this deployment in flight in this process. */
  inFlight: number;
  /** Moving average of successful call latency, ms; absent until the first success. */
  latencyMs?: number;
  /** False when the provider's last health check failed. */
  healthy: boolean;
}

/** What a custom strategy is told besides the targets. */
export interface RoutingContext {
  /** The call's request (chat or embed). */
  request: ChatRequest | EmbedRequest;
  /** The model group's name. */
  group: string;
  /** Per target, at the same index: its stats. */
  stats: readonly DeploymentStats[];
}

/**
 * Orders a group's deployments for one call: returns the targets to try, best first (a permutation
 * of `targets` or a non-empty subset). Runs synchronously on every call to the group: keep it cheap.
 */
export type CustomRoutingStrategy = (targets: readonly CallTarget[], context: RoutingContext) => readonly CallTarget[];

/**
 * Checks a custom strategy's answer: a non-empty array of the given targets, each at most once.
 * Throws a `ConfigurationError` naming the group otherwise.
 */
export function checkStrategyResult(group: string, given: readonly CallTarget[], result: unknown): CallTarget[] {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`The routing strategy of model group '${group}' ${problem}`, {
      setting: `modelGroups.${group}.strategy`,
    });
  };
  if (!Array.isArray(result)) return fail(`must return an array of targets, got ${typeof result}`);
  if (result.length === 0) return fail('returned no target: return at least one of the targets it was given');
  const seen = new Set<CallTarget>();
  for (const [index, target] of result.entries()) {
    if (!given.includes(target as CallTarget)) {
      const ref = (target as { ref?: unknown } | null)?.ref;
      return fail(
        `returned a target it was not given at index ${index}${typeof ref === 'string' ? ` (${ref})` : ''}: return only objects from its targets argument`,
      );
    }
    if (seen.has(target as CallTarget))
      return fail(`returned the target ${(target as CallTarget).ref} twice (index ${index})`);
    seen.add(target as CallTarget);
  }
  return result as CallTarget[];
}
