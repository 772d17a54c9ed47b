/**
 * Builds a switchboard's middleware pipeline from its options. The default order, outermost first:
 *
 *   budget -> cache -> fallback/routing (picks targets)
 *     -> per target: circuit breaker -> rate limiter -> retry (per-attempt timeout)
 *       -> user middleware -> protocol call
 *
 * Budgets see every call once (a cache hit costs nothing, so it is not recorded); the cache answers
 * before any target is chosen; fallback runs the per-target stages once per target; the breaker
 * refuses a target before it costs a rate-limit slot; the rate limiter admits each target once per
 * call (retries wait inside that admission); retry is closest to the wire. User middleware given as
 * a list run innermost (they see the chosen target and every attempt); given as a function they
 * receive the defaults and return the whole order.
 *
 * Settings resolve per target as: core defaults < the catalog's `retry` section < the switchboard's
 * options < `perProvider[provider]` < the call's own fields.
 */

import type { RetrySpec } from '../types/catalog.js';
import type { CallTarget, ChatNext, EmbedNext, Middleware, StreamNext } from '../types/middleware.js';
import type { FallbackRule, ModelRef } from '../types/requests.js';
import type { Store } from '../types/store.js';
import {
  type BreakerOptions,
  breakerMiddleware,
  CircuitBreakers,
  DEFAULT_BREAKER_OPTIONS,
  type ResolvedBreakerOptions,
} from './breaker.js';
import type { Clock } from './clock.js';
import { type FallbackDependencies, fallbackMiddleware } from './fallback.js';
import { fastChat } from './fast-path.js';
import { cacheMiddleware } from './middleware/cache.js';
import { compose, type Pipeline } from './middleware/compose.js';
import type { SwitchboardEvents } from './middleware/events.js';
import {
  mergeRetryOptions,
  type ResolvedRetryOptions,
  type RetryDependencies,
  type RetryOptions,
  retryMiddleware,
} from './retry.js';
import type { Router } from './routing.js';
import type { ProviderRateLimitConfig } from './state/rate-limiter.js';
import type { ResponseCache } from './state/response-cache.js';

/** Settings that may differ per provider (`perProvider: { openai: { ... } }`). */
export interface ProviderResilienceOptions {
  retry?: RetryOptions | false;
  breaker?: BreakerOptions;
  /** Rate limits of this provider (and per key id), over the catalog's `rateLimits`. */
  rateLimit?: ProviderRateLimitConfig;
}

/** Where user middleware go, or the whole order. */
export type MiddlewareOption = readonly Middleware[] | ((defaults: readonly Middleware[]) => readonly Middleware[]);

export interface StackInput {
  store: Store;
  clock: Clock;
  events: SwitchboardEvents;
  router: Router;
  retry: RetryOptions | false | undefined;
  breaker: BreakerOptions | false | undefined;
  perProvider: Readonly<Record<string, ProviderResilienceOptions>>;
  fallbacks: Readonly<Record<string, ModelRef[]>>;
  /** Which failures move a call to its next target (`fallback-rules.ts`); undefined: the default rule. */
  fallbackOn?: FallbackRule;
  /** The catalog's retry section of a provider. */
  catalogRetry(provider: string): RetrySpec | undefined;
  resolveTarget(model: ModelRef): CallTarget;
  cache: { get(): ResponseCache; byDefault: boolean };
  /** Stages that go outermost (budgets) and right after the breaker (rate limits), when configured. */
  budget?: Middleware;
  rateLimit?: Middleware;
  middleware: MiddlewareOption | undefined;
  /**
   * Whether the default stack may take its chat fast path (`fast-path.ts`); false when something
   * outside the stack (the logger) wants every call to go through the composed pipeline.
   */
  fastPath?: boolean;
  terminal: { chat: ChatNext; stream: StreamNext; embed: EmbedNext };
}

export interface Stack {
  pipeline: Pipeline;
  breakers: CircuitBreakers;
  /** The middleware in order, for introspection. */
  order: readonly Middleware[];
}

/** Builds the pipeline. */
export function buildStack(input: StackInput): Stack {
  const providerOf = (scope: string) => {
    const hash = scope.indexOf('#');
    return hash < 0 ? scope : scope.slice(0, hash);
  };
  const retryCache = new Map<string, ResolvedRetryOptions>();
  const retryFor = (scope: string): ResolvedRetryOptions => {
    let options = retryCache.get(scope);
    if (options === undefined) {
      const provider = providerOf(scope);
      options = mergeRetryOptions(input.catalogRetry(provider), input.retry, input.perProvider[provider]?.retry);
      retryCache.set(scope, options);
    }
    return options;
  };
  const breakerCache = new Map<string, ResolvedBreakerOptions>();
  const breakerFor = (scope: string): ResolvedBreakerOptions => {
    let options = breakerCache.get(scope);
    if (options === undefined) {
      const provider = providerOf(scope);
      options = { ...DEFAULT_BREAKER_OPTIONS };
      for (const layer of [input.breaker === false ? undefined : input.breaker, input.perProvider[provider]?.breaker])
        if (layer !== undefined)
          for (const [key, value] of Object.entries(layer))
            if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
      breakerCache.set(scope, options);
    }
    return options;
  };
  const breakers = new CircuitBreakers(input.store, input.clock, input.events, breakerFor);

  const fallbackDeps: FallbackDependencies = {
    clock: input.clock,
    router: input.router,
    resolveTarget: input.resolveTarget,
    fallbacksFor: (ref) => input.fallbacks[ref],
    ...(input.fallbackOn === undefined ? {} : { fallbackOn: input.fallbackOn }),
  };
  const retryDeps: RetryDependencies = {
    clock: input.clock,
    optionsFor: (target, perCall) => {
      const base = retryFor(target.scope);
      return perCall === undefined ? base : mergeRetryOptions(base, perCall);
    },
  };
  const defaults: Middleware[] = [];
  if (input.budget !== undefined) defaults.push(input.budget);
  defaults.push(cacheMiddleware({ cache: input.cache.get, byDefault: input.cache.byDefault }));
  defaults.push(fallbackMiddleware(fallbackDeps));
  if (input.breaker !== false) defaults.push(breakerMiddleware(breakers));
  if (input.rateLimit !== undefined) defaults.push(input.rateLimit);
  defaults.push(retryMiddleware(retryDeps));
  const option = input.middleware;
  const order =
    option === undefined ? defaults : typeof option === 'function' ? [...option(defaults)] : [...defaults, ...option];
  const pipeline = compose(order, input.terminal);
  // Exactly the default stages (cache, fallback, breaker, retry): chat calls that need none of their
  // work but the retry loop take the fused path (one promise hop instead of one per stage).
  if (input.fastPath !== false && option === undefined && input.budget === undefined && input.rateLimit === undefined)
    pipeline.chat = fastChat({
      fallback: fallbackDeps,
      retry: retryDeps,
      breakers: input.breaker === false ? undefined : breakers,
      cacheByDefault: input.cache.byDefault,
      terminal: input.terminal.chat,
      general: pipeline.chat,
    });
  return { pipeline, breakers, order };
}
