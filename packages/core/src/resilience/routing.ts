/**
 * Model groups and routing. A group is a name (`model: 'smart'` or `'group:smart'`) for several
 * deployments (provider, model, optionally their own key or base URL); a strategy orders them per
 * call and the rest of the order is the fallback chain. Capability-aware filtering runs first for
 * every strategy: a deployment lacking tools, vision or the context the request needs is skipped.
 * Unhealthy providers (per the health checks) go last.
 *
 * Strategies: `round-robin` (in turn), `random` (uniform, from the clock's `random`), `weighted`
 * (random in proportion to `weight`), `least-busy` (fewest calls in flight, ties in turn),
 * `latency-weighted` (deployments not yet measured first; then random in proportion to 1 / the
 * exponentially weighted moving average of successful call latency, alpha 0.3), `cost-optimized`
 * (cheapest catalog price first), `local-first` (providers marked `local` first), `capability-aware`
 * (the listed order), or a function of your own (`routing-strategy.ts`; its answer is checked).
 * After the first choice the rest of the order is the fallback chain.
 *
 * With a shared store (Redis), the round-robin turn and the latency averages live in the store
 * (`shared-routing-state.ts`), so several processes alternate as one; with the default in-process
 * store they are plain fields here. Chat and embed calls claim their turn in the store; streams plan
 * their targets synchronously before they start and use this process's turn. Providers added to or removed from a running switchboard are
 * picked up by `providersChanged`: a group skips the deployments of a removed provider and fails
 * with a `ConfigurationError` when none is left.
 */
import { blendedPricePer1M } from '../catalog/cost.js';
import { ConfigurationError, UnsupportedCapabilityError } from '../errors/errors.js';
import { supportsCapability } from '../runtime/capability-check.js';
import { type IndexedProvider, type ResolvedModel, resolveModel } from '../runtime/provider-index.js';
import type { CallTarget } from '../types/middleware.js';
import type { ProviderSettings } from '../types/provider.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types/requests.js';
import type { Store } from '../types/store.js';
import { type CustomRoutingStrategy, checkStrategyResult, type DeploymentStats } from './routing-strategy.js';
import { SharedRoutingState } from './shared-routing-state.js';

/** How a group orders its deployments for a call. */
export type RoutingStrategy =
  | 'round-robin'
  | 'random'
  | 'weighted'
  | 'least-busy'
  | 'latency-weighted'
  | 'cost-optimized'
  | 'local-first'
  | 'capability-aware';

/** One place a group can send a call. */
export interface Deployment {
  /** `'<provider>/<model>'` or a pair. */
  model: ModelRef;
  /** Names the deployment in attempts, events and breaker keys (default: its index in the group). */
  id?: string;
  /** Relative share for `weighted` (default 1). */
  weight?: number;
  /** This deployment's key (merged over the provider's settings). */
  apiKey?: string;
  /** This deployment's base URL. */
  baseURL?: string;
  /** Any provider settings for this deployment, merged over the installed provider's. */
  settings?: Partial<ProviderSettings>;
}

/** A named set of deployments and how to choose among them. */
export interface ModelGroup {
  deployments: Deployment[];
  /**
   * Default `round-robin`. `capability-aware` keeps the listed order after filtering. A function
   * orders the deployments itself (`(targets, context) => ordered targets`, see `routing-strategy.ts`).
   */
  strategy?: RoutingStrategy | CustomRoutingStrategy;
  /** Tried after every deployment failed. */
  fallback?: ModelRef[];
}

/** Splits `'group:smart'` / `'smart'` into a group name when it names one. */
export function groupName(model: ModelRef, groups: ReadonlyMap<string, unknown>): string | undefined {
  if (typeof model !== 'string') return undefined;
  const name = model.startsWith('group:') ? model.slice(6) : model;
  return groups.has(name) ? name : undefined;
}

/** Builds the target of a resolved model. */
export function toTarget(
  resolved: ResolvedModel,
  extra: { scope?: string; deployment?: string; group?: string } = {},
): CallTarget {
  const provider = resolved.provider.id;
  const target: { -readonly [K in keyof CallTarget]: CallTarget[K] } = {
    ref: `${provider}/${resolved.modelId}`,
    provider,
    modelId: resolved.modelId,
    model: resolved.model,
    resolved,
    scope: extra.scope ?? provider,
  };
  if (extra.deployment !== undefined) target.deployment = extra.deployment;
  if (extra.group !== undefined) target.group = extra.group;
  return target;
}

/** A provider with a deployment's settings merged over the installed ones. */
function withSettings(provider: IndexedProvider, deployment: Deployment): IndexedProvider {
  const overrides: Partial<ProviderSettings> = { ...deployment.settings };
  if (deployment.apiKey !== undefined) overrides.apiKey = deployment.apiKey;
  if (deployment.baseURL !== undefined) overrides.baseURL = deployment.baseURL;
  if (Object.keys(overrides).length === 0 || provider.definition === undefined) return provider;
  const definition = {
    ...provider.definition,
    settings: Object.freeze({ ...provider.definition.settings, ...overrides }),
  };
  return { ...provider, definition };
}

interface DeploymentState {
  /** The deployment's id in its group. */
  id: string;
  target: CallTarget;
  weight: number;
  inFlight: number;
  /** Moving average of latency in ms; undefined until the first success. */
  latencyMs: number | undefined;
  price: number | undefined;
  local: boolean;
}

interface GroupState {
  name: string;
  strategy: RoutingStrategy | CustomRoutingStrategy;
  /** The configured group, to rebuild its deployments when providers come and go. */
  config: ModelGroup;
  /** The deployments whose provider is installed. */
  deployments: DeploymentState[];
  fallback: ModelRef[] | undefined;
  turn: number;
}

/** Strategies whose order depends on the turn. */
const TURN_STRATEGIES: ReadonlySet<unknown> = new Set(['round-robin', 'least-busy', 'latency-weighted', undefined]);

/** `begin`'s answer for a target outside any group (shared: nothing to allocate per call). */
const NOT_ROUTED = (_latencyMs: number | undefined): void => undefined;

/** Weight of the newest sample in the latency average. */
const LATENCY_EWMA_ALPHA = 0.3;

/** What a request needs from a deployment. */
function needs(request: ChatRequest | EmbedRequest): { tools: boolean; vision: boolean; tokens: number } {
  if (!('messages' in request)) return { tools: false, vision: false, tokens: 0 };
  const tools = request.tools !== undefined && Object.keys(request.tools).length > 0;
  let vision = false;
  let chars = 0;
  for (const message of request.messages) {
    if (typeof message.content === 'string') chars += message.content.length;
    else if (Array.isArray(message.content))
      for (const part of message.content) {
        if (part.type === 'image') vision = true;
        else if (part.type === 'text') chars += part.text.length;
      }
  }
  // ~4 characters per token: cheap, and only a filter (the provider has the last word).
  const tokens = Math.ceil(chars / 4) + (request.maxTokens ?? 0);
  return { tools, vision, tokens };
}

/** Why a deployment cannot serve the request, or undefined when it can. */
function unfit(target: CallTarget, need: ReturnType<typeof needs>): string | undefined {
  if (need.tools && !supportsCapability(target.resolved, 'tools')) return 'no tool calling';
  if (need.vision && !supportsCapability(target.resolved, 'vision')) return 'no image input';
  const context = target.model?.limits.context;
  if (context !== undefined && need.tokens > context) return `context ${context} < ~${need.tokens} tokens needed`;
  return undefined;
}

/** A model reference as text, for messages. */
function toRefText(ref: ModelRef): string {
  return typeof ref === 'string' ? ref : `${ref.provider}/${ref.model}`;
}

/** The model groups of one switchboard and their routing state. */
export class Router {
  private readonly groups = new Map<string, GroupState>();
  private readonly byTarget = new Map<CallTarget, DeploymentState>();

  /** The routing state in the shared store, or undefined when it is local (the in-process store). */
  private readonly shared: SharedRoutingState | undefined;

  constructor(
    private readonly providers: Map<string, IndexedProvider>,
    groups: Readonly<Record<string, ModelGroup>>,
    private readonly random: () => number,
    private readonly isHealthy: (scope: string) => boolean,
    /** A store other than the in-process memory store: round-robin turns and latencies go there. */
    sharedStore?: Store,
  ) {
    this.shared =
      sharedStore === undefined || sharedStore.kind === 'memory'
        ? undefined
        : new SharedRoutingState(sharedStore, LATENCY_EWMA_ALPHA);
    for (const [name, group] of Object.entries(groups)) {
      if (group.deployments.length === 0)
        throw new ConfigurationError(`Model group '${name}' has no deployments`, { setting: 'modelGroups' });
      const strategy = group.strategy ?? 'round-robin';
      if (typeof strategy !== 'function' && typeof strategy !== 'string')
        throw new ConfigurationError(
          `The strategy of model group '${name}' must be a strategy name or a function, got ${typeof strategy}`,
          { setting: `modelGroups.${name}.strategy` },
        );
      const state: GroupState = { name, strategy, config: group, deployments: [], fallback: group.fallback, turn: 0 };
      state.deployments = group.deployments.map((deployment, index) =>
        this.deploymentState(state, deployment, index, resolveModel(providers, deployment.model)),
      );
      this.groups.set(name, state);
    }
  }

  private deploymentState(
    group: GroupState,
    deployment: Deployment,
    index: number,
    resolved: ResolvedModel,
  ): DeploymentState {
    const id = deployment.id ?? String(index);
    const own =
      deployment.apiKey !== undefined || deployment.baseURL !== undefined || deployment.settings !== undefined;
    const provider = withSettings(resolved.provider, deployment);
    const target = toTarget(
      { ...resolved, provider },
      { scope: own ? `${provider.id}#${id}` : provider.id, deployment: id, group: group.name },
    );
    const state: DeploymentState = {
      id,
      target,
      weight: deployment.weight ?? 1,
      inFlight: 0,
      latencyMs: undefined,
      price: blendedPricePer1M(resolved.model?.pricing),
      local: provider.definition?.descriptor.local === true,
    };
    this.byTarget.set(target, state);
    return state;
  }

  /**
   * A provider was added or removed: the groups that name it rebuild their deployments from the
   * installed providers (a removed provider's deployments are skipped; an added one's come back).
   * Deployments of other providers keep their state; calls in flight finish on the targets they had.
   */
  providersChanged(providerId: string): void {
    for (const group of this.groups.values()) {
      const names = group.config.deployments.map((deployment) => {
        const ref = deployment.model;
        if (typeof ref !== 'string') return ref.provider;
        const slash = ref.indexOf('/');
        return slash < 0 ? ref : ref.slice(0, slash);
      });
      if (!names.includes(providerId)) continue;
      const kept = new Map(group.deployments.map((deployment) => [deployment.id, deployment]));
      const next: DeploymentState[] = [];
      group.config.deployments.forEach((deployment, index) => {
        const id = deployment.id ?? String(index);
        const current = kept.get(id);
        if (names[index] !== providerId && current !== undefined) {
          next.push(current);
          return;
        }
        if (current !== undefined) this.byTarget.delete(current.target);
        if (!this.providers.has(names[index] as string)) return;
        next.push(this.deploymentState(group, deployment, index, resolveModel(this.providers, deployment.model)));
      });
      group.deployments = next;
    }
  }

  /** Whether turns and latencies live in a shared store (calls to a group then claim their turn there). */
  get sharesState(): boolean {
    return this.shared !== undefined;
  }

  /** The names of the configured groups. */
  get names(): ReadonlyMap<string, unknown> {
    return this.groups;
  }

  /** The group's fallback models. */
  fallbackOf(name: string): ModelRef[] | undefined {
    return this.groups.get(name)?.fallback;
  }

  /**
   * The deployments of a group in the order to try them for this request. `turn` is a round-robin
   * position claimed from the shared store (`orderShared`); without it the local turn advances.
   */
  order(name: string, request: ChatRequest | EmbedRequest, turn?: number): CallTarget[] {
    const group = this.groups.get(name);
    if (group === undefined) throw new ConfigurationError(`Unknown model group '${name}'`, { setting: 'model' });
    if (group.deployments.length === 0) {
      const removed = [...new Set(group.config.deployments.map((deployment) => toRefText(deployment.model)))];
      throw new ConfigurationError(
        `Every deployment of model group '${name}' uses a provider that is not installed (removed?): ${removed.join(', ')}`,
        { setting: 'modelGroups' },
      );
    }
    const need = needs(request);
    const fit: DeploymentState[] = [];
    const reasons: string[] = [];
    for (const deployment of group.deployments) {
      const why = unfit(deployment.target, need);
      if (why === undefined) fit.push(deployment);
      else reasons.push(`${deployment.target.ref} (${why})`);
    }
    if (fit.length === 0)
      throw new UnsupportedCapabilityError(
        need.tools ? 'tools' : need.vision ? 'vision' : 'context',
        `No deployment of model group '${name}' can serve this request: ${reasons.join(', ')}`,
      );
    if (typeof group.strategy === 'function') return this.customOrder(group, group.strategy, fit, request);
    const ordered = this.strategyOrder(group, fit, turn);
    const healthy = ordered.filter((deployment) => this.isHealthy(deployment.target.scope));
    const rest = healthy.length === ordered.length ? [] : ordered.filter((deployment) => !healthy.includes(deployment));
    return [...healthy, ...rest].map((deployment) => deployment.target);
  }

  /**
   * The order for this request when the group keeps its turn and latencies in a shared store: one
   * round trip claims the turn (and reads the latencies for `latency-weighted`) first. Undefined when
   * the state is local or the strategy does not use it (then `order` answers synchronously).
   */
  orderShared(name: string, request: ChatRequest | EmbedRequest): Promise<CallTarget[]> | undefined {
    const shared = this.shared;
    const group = this.groups.get(name);
    if (shared === undefined || group === undefined || !TURN_STRATEGIES.has(group.strategy)) return undefined;
    const deployments = group.deployments;
    return (async () => {
      const [turn, latencies] = await Promise.all([
        shared.nextTurn(name),
        group.strategy === 'latency-weighted'
          ? shared.latencies(
              name,
              deployments.map((deployment) => deployment.id),
            )
          : undefined,
      ]);
      if (latencies !== undefined)
        deployments.forEach((deployment, index) => {
          const latency = latencies[index];
          if (latency !== undefined) deployment.latencyMs = latency;
        });
      return this.order(name, request, turn);
    })();
  }

  private customOrder(
    group: GroupState,
    strategy: CustomRoutingStrategy,
    fit: DeploymentState[],
    request: ChatRequest | EmbedRequest,
  ): CallTarget[] {
    const targets = fit.map((deployment) => deployment.target);
    const stats = fit.map((deployment): DeploymentStats => {
      const row: DeploymentStats = {
        deployment: deployment.id,
        ref: deployment.target.ref,
        provider: deployment.target.provider,
        inFlight: deployment.inFlight,
        healthy: this.isHealthy(deployment.target.scope),
      };
      if (deployment.latencyMs !== undefined) row.latencyMs = deployment.latencyMs;
      return row;
    });
    return checkStrategyResult(
      group.name,
      targets,
      strategy(Object.freeze([...targets]), { request, group: group.name, stats }),
    );
  }

  private strategyOrder(group: GroupState, list: DeploymentState[], turn: number | undefined): DeploymentState[] {
    switch (group.strategy) {
      case 'capability-aware':
        return list;
      case 'random':
        return this.shuffle(list, () => 1);
      case 'weighted':
        return this.shuffle(list, (deployment) => deployment.weight);
      case 'least-busy':
        return this.rotate(group, list, turn).sort((a, b) => a.inFlight - b.inFlight);
      case 'latency-weighted': {
        // Unmeasured deployments first, in turn (so each gets measured); then a weighted random
        // order with weight 1 / moving-average latency: a deployment twice as fast as another is
        // chosen first twice as often, and a slower one still gets its share (and stays measured).
        const unmeasured = list.filter((deployment) => deployment.latencyMs === undefined);
        const measured = list.filter((deployment) => deployment.latencyMs !== undefined);
        return [
          ...(unmeasured.length === 0 ? [] : this.rotate(group, unmeasured, turn)),
          ...this.shuffle(measured, (deployment) => 1 / Math.max(0.001, deployment.latencyMs as number)),
        ];
      }
      case 'cost-optimized':
        return [...list].sort((a, b) => (a.price ?? Number.POSITIVE_INFINITY) - (b.price ?? Number.POSITIVE_INFINITY));
      case 'local-first':
        return [...list].sort((a, b) => Number(b.local) - Number(a.local));
      default:
        return this.rotate(group, list, turn);
    }
  }

  private rotate(group: GroupState, list: DeploymentState[], turn: number | undefined): DeploymentState[] {
    const start = (turn ?? group.turn++) % list.length;
    return [...list.slice(start), ...list.slice(0, start)];
  }

  /** Weighted random order without replacement. */
  private shuffle(list: DeploymentState[], weightOf: (deployment: DeploymentState) => number): DeploymentState[] {
    const pool = [...list];
    const out: DeploymentState[] = [];
    while (pool.length > 0) {
      const total = pool.reduce((sum, deployment) => sum + Math.max(0, weightOf(deployment)), 0);
      let pick = this.random() * total;
      let index = 0;
      for (; index < pool.length - 1; index += 1) {
        pick -= Math.max(0, weightOf(pool[index] as DeploymentState));
        if (pick < 0) break;
      }
      out.push(...pool.splice(index, 1));
    }
    return out;
  }

  /** Marks a call to a routed target as started; the returned function marks it done. */
  begin(target: CallTarget): (latencyMs: number | undefined) => void {
    const state = this.byTarget.get(target);
    if (state === undefined) return NOT_ROUTED;
    state.inFlight += 1;
    const shared = this.shared;
    return (latencyMs) => {
      state.inFlight -= 1;
      if (latencyMs === undefined) return;
      state.latencyMs =
        state.latencyMs === undefined
          ? latencyMs
          : state.latencyMs + LATENCY_EWMA_ALPHA * (latencyMs - state.latencyMs);
      // Shared: folded into the store's average in the background (a lost sample only slows the average).
      if (shared !== undefined)
        void shared.recordLatency(target.group as string, state.id, latencyMs).catch(() => undefined);
    };
  }

  /** In-flight counts and latency averages per deployment, for dashboards. */
  stats(): { group: string; deployment: string; ref: string; inFlight: number; latencyMs?: number }[] {
    const out: { group: string; deployment: string; ref: string; inFlight: number; latencyMs?: number }[] = [];
    for (const group of this.groups.values())
      for (const deployment of group.deployments) {
        const row: { group: string; deployment: string; ref: string; inFlight: number; latencyMs?: number } = {
          group: group.name,
          deployment: deployment.id,
          ref: deployment.target.ref,
          inFlight: deployment.inFlight,
        };
        if (deployment.latencyMs !== undefined) row.latencyMs = Math.round(deployment.latencyMs * 10) / 10;
        out.push(row);
      }
    return out;
  }
}
