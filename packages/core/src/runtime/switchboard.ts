/**
 * `createSwitchboard`: the one object users talk to. It indexes the installed providers, owns the
 * transport (the shared undici pool, or fetch for interception) and runs chat, streams,
 * embeddings and model listing through the protocol adapters.
 */
import { type Catalog, createCatalog } from '../catalog/catalog.js';
import { discoveredModel } from '../catalog/discovered-model.js';
import type { ModelInfo } from '../catalog/types.js';
import { type ConfigResolver, createConfigResolver } from '../config/config-resolver.js';
import type { ConfigOptions } from '../config/types.js';
import type { PinoLike } from '../logging/logger.js';
import { knownSecrets } from '../logging/secrets.js';
import { setupLogging } from '../logging/switchboard-logging.js';
import { budgetMiddleware } from '../middleware/budget.js';
import { deriveStream, follow } from '../middleware/derive-stream.js';
import {
  type SwitchboardEventHandlers,
  type SwitchboardEventListener,
  type SwitchboardEventName,
  SwitchboardEvents,
} from '../middleware/events.js';
import { rateLimitMiddleware } from '../middleware/rate-limit.js';
import type { CallTarget, ChatCall, EmbedCall, MiddlewareCall } from '../middleware/types.js';
import { withCatalogFacts } from '../protocols/shared/listed-catalog-facts.js';
import type { ProviderDefinition } from '../provider.js';
import {
  type ResumableChatStream,
  type ResumedChatStream,
  type ResumeOptions,
  resumable,
  resumeFromPartial,
} from '../recovery/resume.js';
import { loadRecovery, newRecoveryId, type RecoveryOption, recordRecovery } from '../recovery/stored-recovery.js';
import { type BatchOptions, type BatchResult, runBatch } from '../resilience/batch.js';
import {
  type BreakerOptions,
  type BreakerStatus,
  countsAsBreakerFailure,
  type OpenBreakerOptions,
} from '../resilience/breaker.js';
import { CallHealth } from '../resilience/call-health.js';
import { type Clock, toClock } from '../resilience/clock.js';
import { HealthMonitor, type HealthOptions, type HealthStatus, type ProviderHealth } from '../resilience/health.js';
import type { RetryOptions } from '../resilience/retry.js';
import { groupName, type ModelGroup, Router, toTarget } from '../resilience/routing.js';
import { buildStack, type MiddlewareOption, type ProviderResilienceOptions } from '../resilience/stack.js';
import { createSession, type Session, type SessionOptions } from '../session/session.js';
import { type BudgetLimit, type BudgetStatus, BudgetTracker } from '../state/budget.js';
import { type CacheIdentity, literalIdentity } from '../state/cache-key.js';
import { LruCacheBackend } from '../state/lru-cache-backend.js';
import { MemoryStore } from '../state/memory-store.js';
import {
  type ProviderRateLimitConfig,
  RateLimiter,
  type RateLimiterOptions,
  type RateLimitStatus,
  unlimitedRateLimitStatus,
} from '../state/rate-limiter.js';
import { ResponseCache, type ResponseCacheOptions } from '../state/response-cache.js';
import type { Store } from '../state/store.js';
import { StoreCacheBackend } from '../state/store-cache-backend.js';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '../telemetry/telemetry.js';
import { createCallContext, prepareProvider } from './call-context.js';
import { createCallEngine } from './call-engine.js';
import { asCallerAbort, createCallSignal } from './call-signal.js';
import { runChatCall } from './chat-step.js';
import { withDefaultModel } from './default-model.js';
import {
  type DispatcherOptions,
  type DispatcherStats,
  getSharedDispatcher,
  readDispatcherStats,
  readOriginStats,
} from './dispatcher.js';
import { runEmbed } from './embed.js';
import { ConfigurationError, NotFoundError, SwitchboardError } from './errors.js';
import type { Logger } from './logger.js';
import type { CheckedModelInput, ModelRefString } from './model-ref-check.js';
import { planStructuredOutput, type StructuredPlan } from './prepare-chat.js';
import {
  type IndexedProvider,
  indexProviders,
  isCustomProvider,
  type ResolvedModel,
  resolveModel,
} from './provider-index.js';
import type { RuntimeContext } from './runtime-context.js';
import { runStream } from './stream-call.js';
import { streamsToolLoop, streamToolLoop } from './stream-tool-loop.js';
import { runStructuredOutput } from './structured-output.js';
import { createTimeoutResolver, type TimeoutOptions, type TimeoutResolver } from './timeouts.js';
import { runToolLoop } from './tool-loop.js';
import { createFetchTransport, createUndiciTransport, type TransportOption } from './transport.js';
import type {
  ChatRequest,
  ChatResponse,
  CustomProvider,
  EmbedRequest,
  EmbedResponse,
  FallbackRule,
  ListedModel,
  ModelRef,
  ProviderInput,
} from './types.js';
import { validateRequest } from './validate-request.js';

/** `'<provider>/<model>'` for every model of the installed providers. */
export type ModelIdOf<P> =
  P extends ProviderDefinition<infer Id, infer Model>
    ? `${Id}/${Model}`
    : P extends CustomProvider
      ? `${P['id']}/${string}`
      : never;

/**
 * A model reference for these providers: a known `'<provider>/<model>'` (autocompleted), any string, or
 * a pair. `sb.chat`, `sb.stream` and `sb.embed` also check literals against the catalog (see
 * `model-ref-check.ts`): a typo in a closed provider's reference is a type error.
 */
export type ModelRefFor<Providers extends readonly ProviderInput[]> =
  | ModelIdOf<Providers[number]>
  | (string & {})
  | { provider: Providers[number]['id'] | (string & {}); model: string };

/** The output type of a zod-like schema. */
export type InferSchemaOutput<S> = S extends { _zod: { output: infer O } }
  ? O
  : S extends { _output: infer O }
    ? O
    : S extends { safeParse(value: unknown): { data?: infer D } }
      ? D
      : unknown;

/** A chat request for these providers. */
export type SwitchboardChatRequest<Providers extends readonly ProviderInput[]> = Omit<ChatRequest, 'model'> & {
  /** Without it, the default model (`defaultModel`, `config.<provider>.defaultModel`, the catalog's). */
  model?: ModelRefFor<Providers>;
};

/** An embedding request for these providers. */
export type SwitchboardEmbedRequest<Providers extends readonly ProviderInput[]> = Omit<EmbedRequest, 'model'> & {
  /** Without it, the default embedding model (`defaultEmbeddingModel`, ..., the catalog's). */
  model?: ModelRefFor<Providers>;
};

export interface SwitchboardOptions<Providers extends readonly ProviderInput[]> extends ConfigOptions {
  providers: Providers;
  /**
   * The model of chat and stream calls that name none. Without it: a provider's
   * `config: { <id>: { defaultModel } }`, else the catalog default of the first configured provider
   * (runtime/default-model.ts); with none of them such a call fails with a ConfigurationError.
   */
  defaultModel?: ModelRefFor<Providers>;
  /** The model of embed calls that name none (same fallbacks, with `defaultEmbeddingModel`). */
  defaultEmbeddingModel?: ModelRefFor<Providers>;
  /** Pool options of the shared undici agent. */
  dispatcher?: DispatcherOptions;
  /**
   * `'undici'` (default): `undici.request` on the shared pool, the fastest. `'fetch'`:
   * `globalThis.fetch` (interceptable by MSW). Or an undici `Dispatcher` to send through (e.g.
   * `@switchboard/testing`'s `replayDispatcher`), or a custom transport function. A provider's
   * `settings.fetch` always wins for that provider.
   */
  transport?: TransportOption;
  /**
   * Where every component logs (`createLogger(...)`, a pino instance, or any `{ warn, info, ... }`
   * object): warnings (unknown models, dropped options), resilience events, HTTP exchanges at debug;
   * each line of one call carries its `requestId`, and keys are always redacted.
   */
  logger?: Logger | PinoLike;
  /** Environment to read keys and parameters from (default `process.env`, read at call time). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Shared state behind breakers, rate limits, budgets (and the cache when it has no backend of its
   * own): an in-process `MemoryStore` by default, `@switchboard/redis` to share it between processes.
   */
  store?: Store;
  /** Retry defaults for every provider (over the catalog's `retry` section); `false` disables retries. */
  retry?: RetryOptions | false;
  /**
   * Limit of each request, ms, for every provider (over the catalog's `timeouts.requestMs`; default
   * 10 minutes, 30 for local servers). A call's own `timeout` is the limit of the whole call instead.
   */
  timeout?: number;
  /** Longest gap between two data events of a stream, ms (over the catalog's `timeouts.idleMs`). */
  idleTimeout?: number;
  /** Circuit-breaker settings; `false` disables the breakers. */
  breaker?: BreakerOptions | false;
  /**
   * The response cache: a `ResponseCache`, its options, or `true` for the defaults (entries live 15
   * minutes). Given, it answers every chat and embed call that does not say `cache: false` (streams
   * only when they say `cache: true`); `default: false` limits it to calls that ask. Entries are
   * keyed by the resolved model (an alias finds its base model's entry) or the group name, so
   * `sb.cache.delete(request)` removes what that request stored. Without a `backend` the entries
   * live in `store` when one is given (shared through Redis), else in an in-process LRU.
   */
  cache?: boolean | ResponseCache | (ResponseCacheOptions & { default?: boolean });
  /**
   * Client-side rate limiting (requests and tokens per minute per provider, defaults from the
   * catalog's `rateLimits`): `true`, a `RateLimiter`, or its options. Off by default.
   */
  rateLimit?: boolean | RateLimiter | Omit<RateLimiterOptions, 'store' | 'catalog' | 'now' | 'sleep'>;
  /** Token and cost budgets per key, tag or globally: the limits, or a `BudgetTracker`. */
  budgets?: readonly BudgetLimit[] | BudgetTracker;
  /** Named groups of deployments callable as `model: '<name>'` or `'group:<name>'`. */
  modelGroups?: Readonly<Record<string, ModelGroup>>;
  /** Fallback models per model ref (`{ 'openai/gpt-4o': ['anthropic/claude-sonnet-4-5'] }`); a call's `fallback` wins. */
  fallbacks?: Readonly<Record<string, ModelRef[]>>;
  /**
   * Which failures move a call to its next target: a list of error kinds or a predicate
   * `(error, { provider, model, attempt }) => boolean`; a call's `fallbackOn` wins. Default: every
   * error but `invalid-request` and `content-filter` (see `resilience/fallback-rules.ts`).
   */
  fallbackOn?: FallbackRule;
  /** Settings per provider id, over the global ones. */
  perProvider?: Readonly<Record<string, ProviderResilienceOptions & TimeoutOptions>>;
  /** Health checks (on demand always; on an interval when `intervalMs` is set). */
  health?: HealthOptions;
  /**
   * Your middleware: a list runs innermost (around the protocol call, once per attempt); a function
   * receives the default stages and returns the whole order.
   */
  middleware?: MiddlewareOption;
  /** Event listeners (same as `sb.on`). */
  on?: SwitchboardEventHandlers;
  /** Time source for retries, breakers and health (tests inject a fake one). */
  clock?: Partial<Clock>;
  /**
   * OpenTelemetry spans (GenAI conventions), Prometheus metrics and the in-process view (`sb.telemetry`):
   * `true` for the defaults (spans through the global tracer, metrics when prom-client is installed), or options.
   */
  telemetry?: boolean | TelemetryOptions;
  /**
   * Image URLs sent to protocols that take only bytes (Bedrock Converse, Ollama) are downloaded by
   * Switchboard, refusing loopback, private, link-local and cloud-metadata addresses (an image URL
   * is untrusted input). `true` allows them: a self-hosted image server on the LAN. Default false.
   */
  allowPrivateImageUrls?: boolean;
}

export interface Switchboard<Providers extends readonly ProviderInput[] = readonly ProviderInput[]> {
  /** The installed providers. */
  readonly providers: Providers;
  /** One chat completion (with the automatic tool loop and structured output when asked). */
  chat<
    S extends ChatRequest['schema'] = undefined,
    const Model extends ModelRefString<Providers> = ModelRefString<Providers>,
  >(
    request: SwitchboardChatRequest<Providers> & { schema?: S; model?: CheckedModelInput<Model, Providers> },
  ): Promise<ChatResponse<S extends undefined ? unknown : InferSchemaOutput<S>>>;
  /**
   * A streamed chat completion: iterate the events, await `response`, or `abort()`. After it failed
   * midway, `resume()` continues it from its partial output (see `resumeStream`).
   */
  stream<
    S extends ChatRequest['schema'] = undefined,
    const Model extends ModelRefString<Providers> = ModelRefString<Providers>,
  >(
    request: SwitchboardChatRequest<Providers> & {
      schema?: S;
      model?: CheckedModelInput<Model, Providers>;
      /**
       * Keep the stream's partial state in the store (expiring after `ttlMs`, default 1 hour) under
       * the returned stream's `recoveryId`, for `sb.resumeStream(recoveryId)` from any process
       * sharing the store. Not with a streamed tool loop (`tools` and `maxSteps` > 1).
       */
      recovery?: RecoveryOption;
    },
  ): ResumableChatStream<S extends undefined ? unknown : InferSchemaOutput<S>>;
  /**
   * Continues a stream started with `recovery: true` by its `recoveryId`, in this process or any
   * other sharing the store (Redis): from the text it had when it failed (or its last checkpoint
   * when the process running it died). Rejects with a NotFoundError naming the id when nothing is
   * kept under it (finished, expired, or never recoverable).
   */
  resumeStream(recoveryId: string, options?: ResumeOptions): Promise<ResumedChatStream>;
  /** Embeddings, batched to the provider's limit. */
  embed<const Model extends ModelRefString<Providers> = ModelRefString<Providers>>(
    request: SwitchboardEmbedRequest<Providers> & { model?: CheckedModelInput<Model, Providers> },
  ): Promise<EmbedResponse>;
  /**
   * Models the provider's live endpoint lists. Those the catalog does not list join `sb.catalog` as
   * `discovered: true` entries (unknown price) and are called without the "not in the catalog"
   * warning; `{ discover: false }` only lists.
   */
  listModels(
    providerId: Providers[number]['id'] | (string & {}),
    options?: { discover?: boolean },
  ): Promise<ListedModel[]>;
  /**
   * Installs a provider on the running switchboard (its id must be new): calls, `sb.catalog` and
   * model groups naming it see it at once.
   */
  addProvider(provider: ProviderInput): void;
  /**
   * Uninstalls a provider: calls in flight finish; new calls to its models fail with `NotFoundError`;
   * model groups skip its deployments (a group left with none fails with `ConfigurationError`).
   */
  removeProvider(providerId: string): void;
  /** Resolves a model reference the way calls do (aliases, catalog entry, warnings). */
  resolveModel(model: ModelRefFor<Providers>): ResolvedModel;
  /** Connection statistics of the shared HTTP pool. */
  dispatcherStats(): DispatcherStats;
  /**
   * Capability queries, comparisons and recommendations over the installed providers (custom ones
   * excluded). Recommendations leave out models of providers whose last health check failed.
   */
  readonly catalog: Catalog;
  /** Runs many chat calls, at most `concurrency` at once; each item's result or error, in order. */
  batch(
    requests: readonly SwitchboardChatRequest<Providers>[],
    options?: BatchOptions,
  ): Promise<BatchResult<ChatResponse>[]>;
  /** The circuit breaker of a provider, or of one of its models. */
  breakerStatus(provider: Providers[number]['id'] | (string & {}), model?: string): Promise<BreakerStatus>;
  /**
   * Closes the breaker of a provider (or of one of its models) by hand, forgetting its failures:
   * every process sharing the store lets calls through at once. Emits a `breaker` event.
   */
  resetBreaker(provider: Providers[number]['id'] | (string & {}), model?: string): Promise<BreakerStatus>;
  /**
   * Opens the breaker of a provider (or of one of its models) by hand for `forMs` (default its
   * cool-down), then a trial call is let through as usual. Shared through the store (other processes
   * notice within their `closedCacheMs`); emits a `breaker` event.
   */
  openBreaker(
    provider: Providers[number]['id'] | (string & {}),
    model?: string,
    options?: OpenBreakerOptions,
  ): Promise<BreakerStatus>;
  /** Checks one provider's health, or every provider's; also opens breakers of failing ones. */
  checkHealth(provider?: Providers[number]['id'] | (string & {})): Promise<HealthStatus[]>;
  /** The last health check result per provider. */
  healthStatus(): Record<string, HealthStatus>;
  /**
   * Each installed provider's health: the last check's result next to its recent calls' error rate
   * and latency percentiles (over `health.windowMs`, default 5 minutes) and its breaker.
   */
  providerHealth(): Promise<ProviderHealth[]>;
  /**
   * The installed providers that are healthy now: no failed last check, breaker not open, recent
   * error rate not above `health.maxErrorRate` (in installation order).
   */
  healthyProviders(): Promise<string[]>;
  /** Requests and tokens used, limit and remaining in the current minute (all open when `rateLimit` is off). */
  rateLimitStatus(
    provider: Providers[number]['id'] | (string & {}),
    options?: { key?: string },
  ): Promise<RateLimitStatus>;
  /** Usage and limits of the budgets of a key id or scope (needs `budgets`). */
  budgetStatus(scope: string | { key?: string; tags?: string[] }): Promise<BudgetStatus[]>;
  /** In-flight counts and latency averages of model-group deployments. */
  routingStats(): ReturnType<Router['stats']>;
  /** The response cache (created on first use). */
  readonly cache: ResponseCache;
  /** Listens to `breaker`, `retry`, `fallback` and `health` events; returns a function that stops listening. */
  on<K extends SwitchboardEventName>(event: K, listener: SwitchboardEventListener<K>): () => void;
  /** Whether a provider has its key and required parameters (from settings, `config`, the config provider or env). */
  configured(provider: Providers[number]['id'] | (string & {})): Promise<boolean>;
  /** Starts a conversation that keeps its history, usage and cost (see `createSession`). */
  session(options: Omit<SessionOptions, 'model'> & { model: ModelRefFor<Providers> }): Session;
  /** Stops the health-check timer and releases the store and the cache. */
  close(): Promise<void>;
  /** The telemetry view and registry (undefined unless `telemetry` is set). */
  readonly telemetry: Telemetry | undefined;
  /** Metrics in Prometheus text format (needs `telemetry` with metrics on). */
  metrics(): Promise<string>;
}

/** How often the rate limiter reads a provider's rate-limit response headers. */
const HEADER_REFRESH_MS = 1000;
const STRUCTURED_PLAN = Symbol('structured-plan');
const WARNINGS = Symbol('warnings');

/** Creates a switchboard over the given providers. */
export function createSwitchboard<const Providers extends readonly ProviderInput[]>(
  options: SwitchboardOptions<Providers>,
): Switchboard<Providers> {
  const logging = setupLogging(options.logger, () => config.providers, options.env ?? process.env);
  const secrets = knownSecrets(() => config.providers, options.env ?? process.env);
  const config = createConfigResolver(
    options.providers,
    options,
    options.env ?? process.env,
    logging?.component('config'),
  );
  const providers = indexProviders(config.providers);
  // The pool (and undici with it) is created on the first request: creating a switchboard stays cheap.
  const dispatcher = () => getSharedDispatcher(options.dispatcher);
  const transportOption = options.transport ?? 'undici';
  const transport =
    typeof transportOption === 'function'
      ? transportOption
      : typeof transportOption === 'object'
        ? createUndiciTransport(transportOption)
        : transportOption === 'fetch'
          ? createFetchTransport()
          : createUndiciTransport(dispatcher, true);
  const runtime: RuntimeContext = {
    providers,
    transport,
    logger: logging?.component('runtime'),
    env: options.env ?? process.env,
    ...(options.allowPrivateImageUrls === true ? { allowPrivateImageUrls: true } : {}),
    timeouts: createTimeoutResolver(
      options,
      options.perProvider ?? {},
      (provider) => providers.get(provider)?.definition?.descriptor,
    ),
  };

  const clock = toClock(options.clock);
  const events = new SwitchboardEvents(logging?.component('events'), options.on, secrets);
  logging?.observe(events);
  const store = options.store ?? new MemoryStore();
  let health: HealthMonitor | undefined;
  const router = new Router(
    providers,
    options.modelGroups ?? {},
    clock.random,
    (scope) => health?.isHealthy(scope) ?? true,
    store,
  );

  const targets = new Map<string, CallTarget>();
  const resolveTarget = (model: ModelRef): CallTarget => {
    const key = typeof model === 'string' ? model : `${model.provider}/${model.model}`;
    let target = targets.get(key);
    if (target === undefined) {
      target = toTarget(resolveModel(providers, model));
      targets.set(key, target);
    }
    return target;
  };

  /**
   * The cache identity of a request's model, resolved as calls resolve it: a group by its name (the
   * cache answers before routing, and any deployment's answer serves the group), a model by provider
   * and catalog id (aliases and dated snapshots resolved). An unknown provider is taken literally:
   * the call fails further in, and a lookup simply misses.
   */
  const cacheIdentity = (model: ModelRef): CacheIdentity => {
    const group = groupName(model, router.names);
    if (group !== undefined) return { group };
    try {
      const target = resolveTarget(model);
      return { provider: target.provider, model: target.modelId };
    } catch {
      return literalIdentity(model);
    }
  };

  let cache: ResponseCache | undefined;
  const cacheOption = options.cache;
  const getCache = (): ResponseCache => {
    if (cache === undefined) {
      if (cacheOption instanceof ResponseCache) cache = cacheOption;
      else {
        const settings = typeof cacheOption === 'object' ? cacheOption : {};
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
      cache.setModelResolver(cacheIdentity);
      cache.setSecrets(secrets);
    }
    return cache;
  };
  // Configuring a cache turns it on for every call (chat and embed) unless it says `default: false`.
  const cacheByDefault =
    cacheOption !== undefined &&
    cacheOption !== false &&
    !(typeof cacheOption === 'object' && !(cacheOption instanceof ResponseCache) && cacheOption.default === false);

  /** Logs a target's resolution warnings once per call and adds them to the call's warnings. */
  const noteTargetWarnings = (call: MiddlewareCall<unknown>, target: CallTarget): string[] => {
    let warnings = call.scratch.get(WARNINGS) as string[] | undefined;
    if (warnings === undefined) {
      warnings = [];
      call.scratch.set(WARNINGS, warnings);
    }
    for (const warning of target.resolved.warnings)
      if (!warnings.includes(warning)) {
        warnings.push(warning);
        runtime.logger?.warn?.(warning, { provider: target.provider, model: target.modelId });
      }
    return warnings;
  };
  const targetOf = (call: MiddlewareCall<ChatRequest | EmbedRequest>): CallTarget =>
    call.target ?? resolveTarget(call.request.model);

  let rateLimiter: RateLimiter | undefined;
  const rateLimitOption = options.rateLimit;
  if (rateLimitOption instanceof RateLimiter) rateLimiter = rateLimitOption;
  else if (rateLimitOption !== undefined && rateLimitOption !== false) {
    const settings = rateLimitOption === true ? {} : rateLimitOption;
    const perProviderLimits: Record<string, ProviderRateLimitConfig> = { ...settings.providers };
    for (const [id, perProvider] of Object.entries(options.perProvider ?? {}))
      if (perProvider.rateLimit !== undefined)
        perProviderLimits[id] = { ...perProviderLimits[id], ...perProvider.rateLimit };
    rateLimiter = new RateLimiter({
      ...settings,
      providers: perProviderLimits,
      store,
      catalog: Object.fromEntries(
        [...providers].map(([id, provider]) => [id, provider.definition?.descriptor.rateLimits]),
      ),
      now: clock.now,
      sleep: clock.sleep,
    });
  }
  if (rateLimiter !== undefined) {
    const limiter = rateLimiter;
    // Reading headers costs a Headers object per response: the view is refreshed at most once a
    // second per provider, which is as fast as the providers' own counters move in practice.
    const lastRead = new Map<string, number>();
    runtime.onResponseHeaders = (provider, headers, status) => {
      const now = clock.now();
      if (status !== 429 && now - (lastRead.get(provider) ?? Number.NEGATIVE_INFINITY) < HEADER_REFRESH_MS) return;
      lastRead.set(provider, now);
      void limiter.updateFromHeaders(provider, headers()).catch(() => undefined);
    };
  }
  const budgetOption = options.budgets;
  const budgetTracker =
    budgetOption === undefined
      ? undefined
      : budgetOption instanceof BudgetTracker
        ? budgetOption
        : new BudgetTracker({ limits: [...budgetOption], store, now: clock.now });

  const telemetry =
    options.telemetry === undefined || options.telemetry === false
      ? undefined
      : createTelemetry(options.telemetry, {
          events,
          now: clock.now,
          resolveTarget,
          cacheByDefault,
          secrets,
          ...(budgetTracker === undefined ? {} : { budgets: budgetTracker }),
          // A store the caller gave (Redis) also keeps the history, so every process reports one.
          ...(options.store === undefined ? {} : { sharedStore: options.store }),
          poolStats: () => readOriginStats(dispatcher()),
        });

  /** Every attempt's outcome per provider, for `sb.providerHealth()` (a bounded ring per provider). */
  const callHealth = new CallHealth(clock.now, options.health?.windowMs);
  const noteOutcome = (provider: string, started: number, error: unknown): void => {
    // The caller's abort says nothing of the provider.
    if (error instanceof SwitchboardError && error.kind === 'aborted') return;
    callHealth.record(provider, error === undefined || !countsAsBreakerFailure(error), performance.now() - started);
  };

  const stack = buildStack({
    ...(rateLimiter === undefined
      ? {}
      : { rateLimit: rateLimitMiddleware(telemetry?.instrumentLimiter(rateLimiter) ?? rateLimiter) }),
    ...(budgetTracker === undefined
      ? {}
      : {
          budget: budgetMiddleware({
            tracker: budgetTracker,
            primaryTarget: (request) => {
              try {
                return typeof request.model === 'string' && router.names.has(request.model.replace(/^group:/, ''))
                  ? undefined
                  : resolveTarget(request.model);
              } catch {
                return undefined;
              }
            },
          }),
        }),
    store,
    clock,
    events,
    router,
    retry: options.retry,
    breaker: options.breaker,
    perProvider: options.perProvider ?? {},
    fallbacks: options.fallbacks ?? {},
    ...(options.fallbackOn === undefined ? {} : { fallbackOn: options.fallbackOn }),
    catalogRetry: (provider) => providers.get(provider)?.definition?.descriptor.retry,
    resolveTarget,
    cache: {
      get: getCache,
      byDefault: cacheByDefault,
    },
    middleware: telemetry === undefined ? options.middleware : telemetry.middleware(options.middleware),
    // With a logger every call goes through the composed stages.
    fastPath: logging === undefined,
    terminal: {
      // Not async (returning runChatCall's promise as is); a synchronous failure rejects.
      chat(call) {
        try {
          const target = targetOf(call);
          const warnings = noteTargetWarnings(call, target);
          const started = performance.now();
          const answer = runChatCall(runtime, target.resolved, call.request, warnings, (structured) => {
            call.scratch.set(STRUCTURED_PLAN, structured);
          });
          answer.then(
            () => noteOutcome(target.provider, started, undefined),
            (error: unknown) => noteOutcome(target.provider, started, error),
          );
          return answer;
        } catch (error) {
          return Promise.reject(error);
        }
      },
      stream(call) {
        const target = targetOf(call);
        const inner = runStream(runtime, target.resolved, call.request, noteTargetWarnings(call, target));
        return deriveStream(
          async function* (signal) {
            const started = performance.now();
            for await (const event of follow(inner, signal)) {
              if (event.type === 'finish') noteOutcome(target.provider, started, undefined);
              else if (event.type === 'error') noteOutcome(target.provider, started, event.error);
              yield event;
            }
          },
          { provider: target.provider, model: target.modelId },
        );
      },
      embed(call) {
        const target = targetOf(call);
        noteTargetWarnings(call, target);
        const started = performance.now();
        const answer = runEmbed(runtime, target.resolved, call.request);
        answer.then(
          () => noteOutcome(target.provider, started, undefined),
          (error: unknown) => noteOutcome(target.provider, started, error),
        );
        return answer;
      },
    },
  });
  const { breakers } = stack;
  /** Who a stream is expected to come from (a group or unknown model: its name). */
  const streamIdentity = (model: ModelRef): { provider: string; model: string } => {
    try {
      const target = resolveTarget(model);
      return { provider: target.provider, model: target.modelId };
    } catch {
      return typeof model === 'string' ? { provider: '', model } : { provider: model.provider, model: model.model };
    }
  };
  /** The breaker key of a provider or model named by hand (an unknown provider is an error naming it). */
  const breakerKey = (provider: string, model: string | undefined): string => {
    if (typeof provider !== 'string' || !providers.has(provider))
      throw new NotFoundError(
        `Provider '${String(provider)}' is not installed (installed: ${[...providers.keys()].join(', ') || 'none'})`,
        { provider: String(provider), retryable: false },
      );
    if (model !== undefined && (typeof model !== 'string' || model === ''))
      throw new ConfigurationError('`model` must be a model id of the provider', { setting: 'model' });
    return model === undefined ? provider : `${provider}/${model}`;
  };
  // With a logger, every call runs in a request scope (one request id on all its lines).
  const pipeline = logging === undefined ? stack.pipeline : logging.scope(stack.pipeline);
  health = new HealthMonitor(
    runtime,
    clock,
    events,
    options.breaker === false ? undefined : breakers,
    options.health,
    callHealth,
  );
  health.start();

  /** Logs warnings about unknown request keys and starts the call's warnings with them (`res.warnings`). */
  const noteUnknownOptions = (warnings: string[] | undefined, scratch: Map<string | symbol, unknown>): void => {
    if (warnings === undefined) return;
    for (const warning of warnings) runtime.logger?.warn?.(warning);
    scratch.set(WARNINGS, warnings);
  };

  const newCall = <R extends ChatRequest | EmbedRequest>(
    operation: MiddlewareCall<R>['operation'],
    request: R,
    scratch: Map<string | symbol, unknown>,
  ): MiddlewareCall<R> => {
    // Streams and embeddings are checked here, at their one entry; chat at the top of unscopedChat
    // (its tool-loop steps come back through newCall and need no second check).
    if (operation !== 'chat') noteUnknownOptions(validateRequest(operation, request), scratch);
    return {
      operation,
      request,
      target: undefined,
      attempt: 1,
      tags: request.tags ?? [],
      budgetKey: request.budget,
      events,
      scratch,
      attempts: [],
      deadline: undefined,
    };
  };

  const unscopedChat = async (given: ChatRequest): Promise<ChatResponse> => {
    // No `model`: the default one, before validation, the cache key and routing see the request.
    const request = withDefaultModel('chat', given, config.providers, options);
    const unknownOptions = validateRequest('chat', request);
    const scratch = new Map<string | symbol, unknown>();
    noteUnknownOptions(unknownOptions, scratch);
    const step = async (
      stepRequest: ChatRequest,
    ): Promise<{ response: ChatResponse; structured: StructuredPlan | undefined }> => {
      scratch.delete(STRUCTURED_PLAN);
      const response = await pipeline.chat(newCall('chat', stepRequest, scratch) as ChatCall);
      let structured = scratch.get(STRUCTURED_PLAN) as StructuredPlan | undefined;
      if (structured === undefined && stepRequest.schema !== undefined)
        structured = planStructuredOutput(
          resolveTarget({ provider: response.provider, model: response.model }).resolved,
          stepRequest,
        );
      return { response, structured };
    };
    const response =
      request.schema !== undefined
        ? await runStructuredOutput(request, step)
        : (request.maxSteps ?? 1) <= 1
          ? // One model call (the default): what the tool loop does for a single step, without its layers.
            await pipeline.chat(newCall('chat', request, scratch) as ChatCall)
          : await runToolLoop(request, async (stepRequest) => (await step(stepRequest)).response, {
              secrets: secrets.list,
            });
    const targetWarnings = (scratch.get(WARNINGS) as string[] | undefined) ?? [];
    for (const warning of response.warnings)
      if (!targetWarnings.includes(warning))
        runtime.logger?.warn?.(warning, { provider: response.provider, model: response.model });
    return response;
  };

  // A caller's abort rejects with an AbortedError (kind `aborted`) wherever it struck: the
  // transport maps its own, this catches a backoff sleep's, a rate-limit wait's or a tool's. A call
  // without a signal has no caller abort to map, and skips the extra promise.
  const chat = (request: ChatRequest): Promise<ChatResponse> => {
    const call = logging === undefined ? unscopedChat(request) : logging.run(request, () => unscopedChat(request));
    if (request.signal === undefined) return call;
    return call.catch((error: unknown) => Promise.reject(asCallerAbort(error, request.signal)));
  };

  let catalog: Catalog | undefined;
  /** Resolvers of providers added after creation (`configured` asks them). */
  const addedConfig = new Map<string, ConfigResolver>();
  /** Per provider: catalog entries of models found by live listing. */
  const discovered = new Map<string, ModelInfo[]>();
  /** Drops what was derived from the installed providers (resolved targets, the catalog); groups re-resolve. */
  const providersChanged = (providerId: string): void => {
    targets.clear();
    catalog = undefined;
    router.providersChanged(providerId);
  };
  const board: Switchboard<Providers> = {
    get catalog() {
      if (catalog === undefined) {
        const base = createCatalog(
          config.providers
            .filter((provider): provider is ProviderDefinition => !isCustomProvider(provider))
            .map((provider) => {
              const found = discovered.get(provider.id);
              return found === undefined ? provider : { ...provider, models: [...provider.models, ...found] };
            }),
        );
        catalog = {
          ...base,
          recommendModels: (recommendOptions) =>
            base.recommendModels({
              ...recommendOptions,
              isAvailable: (ref: string) => health?.isHealthy(ref.slice(0, ref.indexOf('/'))) ?? true,
            }),
        };
      }
      return catalog;
    },
    providers: options.providers,
    chat: chat as Switchboard<Providers>['chat'],
    configured: (provider) => (addedConfig.get(provider) ?? config).configured(provider),
    session: (sessionOptions) =>
      createSession(
        {
          chat,
          stream: (request) => pipeline.stream(newCall('stream', request, new Map())),
          secrets,
          ...(logging === undefined ? {} : { warn: (message: string) => logging.component('session').warn(message) }),
        },
        sessionOptions as SessionOptions,
      ),
    stream: ((given: ChatRequest & { recovery?: RecoveryOption }) => {
      const { recovery, ...plain } = given;
      const request = withDefaultModel('chat', plain, config.providers, options);
      const open = (stepRequest: ChatRequest): ResumableChatStream =>
        resumable(pipeline.stream(newCall('stream', stepRequest, new Map())), stepRequest, board);
      // Tools and maxSteps > 1: the loop streams each step and runs the tools between them.
      if (streamsToolLoop(request as ChatRequest)) {
        if (recovery !== undefined && recovery !== false)
          throw new ConfigurationError(
            '`recovery` is not available for a streamed tool loop (tools with maxSteps > 1)',
            {
              setting: 'recovery',
            },
          );
        return streamToolLoop(request as ChatRequest, open, { secrets: secrets.list });
      }
      if (recovery === undefined || recovery === false) return open(request as ChatRequest);
      const id = newRecoveryId();
      const stepRequest = request as ChatRequest;
      const stream = resumable(
        recordRecovery(pipeline.stream(newCall('stream', stepRequest, new Map())), {
          id,
          request: stepRequest,
          store,
          now: clock.now,
          option: recovery,
          identity: streamIdentity(stepRequest.model),
        }),
        stepRequest,
        board,
      );
      stream.recoveryId = id;
      return stream;
    }) as Switchboard<Providers>['stream'],
    async resumeStream(recoveryId, resumeOptions) {
      const state = await loadRecovery(store, recoveryId);
      // The continuation is kept under the same id, so it can be resumed again if it is cut too.
      const resumed = resumeFromPartial(board, state.request, state.partial, resumeOptions, (inner, kept) =>
        recordRecovery(inner, {
          id: recoveryId,
          request: state.request,
          store,
          now: clock.now,
          option: true,
          identity: { provider: state.partial.provider, model: state.partial.model },
          baseText: kept,
        }),
      );
      resumed.recoveryId = recoveryId;
      return resumed;
    },
    embed: (given) => {
      const request = withDefaultModel('embed', given as EmbedRequest, config.providers, options);
      const scratch = new Map<string | symbol, unknown>();
      const call = newCall('embed', request as EmbedRequest, scratch) as EmbedCall;
      // Only a request with unknown keys has warnings this early; it gets them on the response.
      const warnings = scratch.get(WARNINGS) as string[] | undefined;
      // A caller's abort is an AbortedError here too, wherever it struck (see `chat`).
      const embedded = pipeline.embed(call);
      const response =
        request.signal === undefined
          ? embedded
          : embedded.catch((error: unknown) => Promise.reject(asCallerAbort(error, request.signal)));
      return warnings === undefined ? response : response.then((result) => ({ ...result, warnings: [...warnings] }));
    },
    batch: (requests, batchOptions) => runBatch(requests, (request) => chat(request as ChatRequest), batchOptions),
    breakerStatus: (provider, model) => breakers.status(model === undefined ? provider : `${provider}/${model}`),
    resetBreaker: async (provider, model) => breakers.close(breakerKey(provider, model)),
    openBreaker: async (provider, model, openOptions) => breakers.open(breakerKey(provider, model), openOptions),
    checkHealth: (provider) => (health as HealthMonitor).check(provider),
    healthStatus: () => (health as HealthMonitor).status(),
    providerHealth: () => (health as HealthMonitor).report(),
    healthyProviders: async () =>
      (await (health as HealthMonitor).report()).filter((entry) => entry.healthy).map((entry) => entry.provider),
    routingStats: () => router.stats(),
    rateLimitStatus: (provider, statusOptions) => {
      // Rate limiting off: nothing is counted or limited, which is an answer, not an error.
      if (rateLimiter === undefined) return Promise.resolve(unlimitedRateLimitStatus(provider, statusOptions?.key));
      return rateLimiter.status(provider, statusOptions);
    },
    budgetStatus: (scope) => {
      if (budgetTracker === undefined)
        throw new ConfigurationError('No budgets: pass `budgets` to createSwitchboard', { setting: 'budgets' });
      return budgetTracker.status(scope);
    },
    get cache() {
      return getCache();
    },
    on: (event, listener) => events.on(event, listener),
    async close() {
      health?.stop();
      await telemetry?.telemetry.flushHistory().catch(() => undefined);
      await cache?.close();
      if (options.store === undefined) await store.close();
    },
    addProvider(provider) {
      if (providers.has(provider.id))
        throw new ConfigurationError(`Provider '${provider.id}' is already installed: remove it first`, {
          provider: provider.id,
          setting: 'providers',
        });
      const resolver = createConfigResolver([provider], options, runtime.env, logging?.component('config'));
      const installed = resolver.providers[0] as ProviderInput;
      providers.set(provider.id, indexProviders([installed]).get(provider.id) as IndexedProvider);
      (config.providers as ProviderInput[]).push(installed);
      addedConfig.set(provider.id, resolver);
      providersChanged(provider.id);
    },
    removeProvider(providerId) {
      if (!providers.has(providerId))
        throw new NotFoundError(
          `Provider '${providerId}' is not installed (installed: ${[...providers.keys()].join(', ') || 'none'})`,
          { provider: providerId, retryable: false },
        );
      providers.delete(providerId);
      const list = config.providers as ProviderInput[];
      list.splice(
        list.findIndex((provider) => provider.id === providerId),
        1,
      );
      addedConfig.delete(providerId);
      discovered.delete(providerId);
      providersChanged(providerId);
    },
    async listModels(providerId, listOptions) {
      const provider = providers.get(providerId);
      if (provider === undefined)
        throw new NotFoundError(`Provider '${providerId}' is not installed`, {
          provider: providerId,
          retryable: false,
        });
      if (provider.custom !== undefined) return (await provider.custom.listModels?.()) ?? [];
      const definition = provider.definition as ProviderDefinition;
      await prepareProvider(definition);
      const ctx = createCallContext(definition, '', undefined, runtime.env);
      const call = createCallSignal((runtime.timeouts as TimeoutResolver)(definition.id).requestMs);
      let listed: ListedModel[];
      try {
        // The catalog fills what the list leaves out (OpenAI's sends no context window or price).
        listed = withCatalogFacts(await createCallEngine(definition, ctx, transport).listModels(call), definition);
      } finally {
        call.release();
      }
      if (listOptions?.discover !== false && providers.get(providerId) === provider) {
        const found = discovered.get(providerId) ?? [];
        if (provider.discovered === undefined) provider.discovered = new Set();
        const known = provider.discovered;
        let added = 0;
        for (const model of listed)
          if (!provider.models.has(model.id) && definition.aliases[model.id] === undefined && !known.has(model.id)) {
            known.add(model.id);
            found.push(discoveredModel(model, providerId));
            added += 1;
          }
        if (added > 0) {
          discovered.set(providerId, found);
          targets.clear();
          catalog = undefined;
        }
      }
      return listed;
    },
    resolveModel: (model) => resolveModel(providers, model),
    dispatcherStats: () => readDispatcherStats(dispatcher()),
    telemetry: telemetry?.telemetry,
    metrics: () =>
      telemetry === undefined
        ? Promise.reject(
            new ConfigurationError('Telemetry is off: pass `telemetry` to createSwitchboard', { setting: 'telemetry' }),
          )
        : telemetry.telemetry.metrics(),
  };
  return board;
}
