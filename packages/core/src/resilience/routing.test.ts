/**
 * The router on its own: custom strategies (what they are given, how their answer is checked),
 * providers coming and going (`providersChanged`), and round-robin turns shared through a store
 * that is not the in-process memory store (two routers on one store alternate as one).
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, NotFoundError } from '../errors/errors.js';
import { indexProviders } from '../runtime/provider-index.js';
import type { CallTarget } from '../types/middleware.js';
import type { CustomProvider } from '../types/provider.js';
import type { Store } from '../types/store.js';
import { type ModelGroup, Router } from './routing.js';
import type { RoutingContext } from './routing-strategy.js';
import { MemoryStore } from './state/memory-store.js';

const custom = (id: string): CustomProvider => ({
  kind: 'custom',
  id,
  chat: async () => {
    throw new Error('not called');
  },
});

const request = { model: 'g', messages: [{ role: 'user' as const, content: 'Hi' }] };

function router(groups: Record<string, ModelGroup>, store?: Store, healthy: (scope: string) => boolean = () => true) {
  const providers = indexProviders([custom('a'), custom('b'), custom('c')]);
  return { providers, router: new Router(providers, groups, () => 0.5, healthy, store) };
}

const abc: ModelGroup['deployments'] = [
  { id: 'da', model: 'a/m' },
  { id: 'db', model: 'b/m' },
  { id: 'dc', model: 'c/m' },
];

/** A memory store that does not say it is one: the router treats it as shared (as it would Redis). */
function sharedStore(): Store {
  const inner = new MemoryStore();
  return new Proxy(inner, {
    get: (target, key) => {
      if (key === 'kind') return 'test-shared';
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Store;
}

describe('custom routing strategy', () => {
  it('orders the deployments as the function answers and gives it the request, group and stats', () => {
    const seen: RoutingContext[] = [];
    const { router: r } = router({
      g: {
        deployments: abc,
        strategy: (targets, context) => {
          seen.push(context);
          return [...targets].reverse();
        },
      },
    });
    const done = r.begin(r.order('g', request)[0] as CallTarget);
    done(40);
    expect(r.order('g', request).map((target) => target.provider)).toEqual(['c', 'b', 'a']);
    const context = seen[1] as RoutingContext;
    expect(context.group).toBe('g');
    expect(context.request).toBe(request);
    expect(context.stats.map((row) => row.deployment)).toEqual(['da', 'db', 'dc']);
    expect(context.stats[2]).toMatchObject({ ref: 'c/m', provider: 'c', inFlight: 0, latencyMs: 40, healthy: true });
    expect(context.stats[0]?.latencyMs).toBeUndefined();
  });

  it('sees in-flight calls and health', () => {
    let inFlight: number[] = [];
    let healthy: boolean[] = [];
    const { router: r } = router(
      {
        g: {
          deployments: abc,
          strategy: (targets, context) => {
            inFlight = context.stats.map((row) => row.inFlight);
            healthy = context.stats.map((row) => row.healthy);
            return targets;
          },
        },
      },
      undefined,
      (scope) => scope !== 'b',
    );
    r.begin(r.order('g', request)[0] as CallTarget);
    r.order('g', request);
    expect(inFlight).toEqual([1, 0, 0]);
    expect(healthy).toEqual([true, false, true]);
  });

  it('may answer a subset', () => {
    const { router: r } = router({ g: { deployments: abc, strategy: (targets) => [targets[1] as CallTarget] } });
    expect(r.order('g', request).map((target) => target.provider)).toEqual(['b']);
  });

  it.each([
    ['an empty list', () => [], /model group 'g' returned no target/],
    [
      'a target it was not given',
      () => [{ ref: 'x/y' }],
      /model group 'g' returned a target it was not given at index 0 \(x\/y\)/,
    ],
    [
      'the same target twice',
      (targets: readonly CallTarget[]) => [targets[0], targets[0]],
      /returned the target a\/m twice/,
    ],
    ['something other than an array', () => 'a/m', /must return an array of targets, got string/],
  ])('refuses %s with a ConfigurationError naming the group', (_name, strategy, message) => {
    const { router: r } = router({ g: { deployments: abc, strategy: strategy as never } });
    const error = (() => {
      try {
        r.order('g', request);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as ConfigurationError).setting).toBe('modelGroups.g.strategy');
  });

  it('refuses a strategy that is neither a name nor a function when the switchboard is built', () => {
    expect(() => router({ g: { deployments: abc, strategy: 42 as never } })).toThrow(
      /strategy of model group 'g' must be a strategy name or a function, got number/,
    );
  });
});

describe('providers coming and going', () => {
  it('skips the deployments of a removed provider, fails when none is left, and takes them back when re-added', () => {
    const { providers, router: r } = router({ g: { deployments: abc.slice(0, 2), strategy: 'capability-aware' } });
    const a = providers.get('a');
    providers.delete('a');
    r.providersChanged('a');
    expect(r.order('g', request).map((target) => target.provider)).toEqual(['b']);
    expect(r.stats().map((row) => row.deployment)).toEqual(['db']);
    providers.delete('b');
    r.providersChanged('b');
    expect(() => r.order('g', request)).toThrow(ConfigurationError);
    expect(() => r.order('g', request)).toThrow(
      /Every deployment of model group 'g' uses a provider that is not installed \(removed\?\): a\/m, b\/m/,
    );
    providers.set('a', a as never);
    r.providersChanged('a');
    expect(r.order('g', request).map((target) => target.provider)).toEqual(['a']);
  });

  it('keeps the state of deployments whose provider did not change', () => {
    const { providers, router: r } = router({ g: { deployments: abc } });
    const [first] = r.order('g', request);
    r.begin(first as CallTarget)(25);
    providers.delete('c');
    r.providersChanged('c');
    expect(r.stats()).toEqual([
      { group: 'g', deployment: 'da', ref: 'a/m', inFlight: 0, latencyMs: 25 },
      { group: 'g', deployment: 'db', ref: 'b/m', inFlight: 0 },
    ]);
  });

  it('still refuses a group naming an unknown provider when it is built', () => {
    expect(() => router({ g: { deployments: [{ model: 'zzz/m' }] } })).toThrow(NotFoundError);
  });
});

describe('routing state in a shared store', () => {
  it('two routers on one shared store alternate round-robin as one', async () => {
    const store = sharedStore();
    const one = router({ g: { deployments: abc.slice(0, 2) } }, store).router;
    const two = router({ g: { deployments: abc.slice(0, 2) } }, store).router;
    const firsts: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const r = i % 2 === 0 ? one : two;
      const order = await (r.orderShared('g', request) as Promise<CallTarget[]>);
      firsts.push((order[0] as CallTarget).provider);
    }
    // Each router alone would start with 'a' on its first call; shared, the turn is global.
    expect(firsts).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('with the in-process memory store stays local and synchronous', () => {
    const { router: r } = router({ g: { deployments: abc.slice(0, 2) } }, new MemoryStore());
    expect(r.orderShared('g', request)).toBeUndefined();
    expect([r.order('g', request)[0]?.provider, r.order('g', request)[0]?.provider]).toEqual(['a', 'b']);
  });

  it('shares latency averages: one router measures, the other orders by them', async () => {
    const store = sharedStore();
    const groups: Record<string, ModelGroup> = { g: { deployments: abc.slice(0, 2), strategy: 'latency-weighted' } };
    const one = router(groups, store).router;
    const two = router(groups, store).router;
    const targets = await (one.orderShared('g', request) as Promise<CallTarget[]>);
    for (const target of targets) one.begin(target)(target.provider === 'a' ? 100 : 300);
    // The background writes land within a few turns of the event loop.
    for (let i = 0; i < 20 && (await store.get('sb:route:g:latency:db')) === undefined; i += 1)
      await new Promise((resolve) => setImmediate(resolve));
    await (two.orderShared('g', request) as Promise<CallTarget[]>);
    expect(two.stats().map((row) => row.latencyMs)).toEqual([100, 300]);
  });

  it('custom strategies and random ones need no shared turn', () => {
    const store = sharedStore();
    const { router: r } = router(
      { g: { deployments: abc, strategy: (targets) => targets }, h: { deployments: abc, strategy: 'random' } },
      store,
    );
    expect(r.orderShared('g', request)).toBeUndefined();
    expect(r.orderShared('h', request)).toBeUndefined();
  });
});
