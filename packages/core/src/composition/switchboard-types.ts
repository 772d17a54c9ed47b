/**
 * The public types of `createSwitchboard`: its options, the switchboard it returns, and the model
 * references and requests typed by the installed providers. Types only: the composition root
 * (`create-switchboard.ts`) and the builders beside it implement them.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ResumableChatStream, ResumedChatStream, ResumeOptions } from '../features/recovery/resume.js';
import type { RecoveryOption } from '../features/recovery/stored-recovery.js';
import type { Session, SessionOptions } from '../features/session/session.js';
import type { PinoLike } from '../observability/logging/logger.js';
import type { Telemetry, TelemetryOptions } from '../observability/telemetry/telemetry.js';
import type { BatchOptions, BatchResult } from '../resilience/batch.js';
import type { BreakerOptions, BreakerStatus, OpenBreakerOptions } from '../resilience/breaker.js';
import type { Clock } from '../resilience/clock.js';
import type { HealthOptions, HealthStatus, ProviderHealth } from '../resilience/health.js';
import type {
  SwitchboardEventHandlers,
  SwitchboardEventListener,
  SwitchboardEventName,
} from '../resilience/middleware/events.js';
import type { RetryOptions } from '../resilience/retry.js';
import type { ModelGroup, Router } from '../resilience/routing.js';
import type { MiddlewareOption, ProviderResilienceOptions } from '../resilience/stack.js';
import type { BudgetLimit, BudgetStatus, BudgetTracker } from '../resilience/state/budget.js';
import type { RateLimiter, RateLimiterOptions, RateLimitStatus } from '../resilience/state/rate-limiter.js';
import type { ResponseCache, ResponseCacheOptions } from '../resilience/state/response-cache.js';
import type { DispatcherOptions, DispatcherStats } from '../runtime/dispatcher.js';
import type { ResolvedModel } from '../runtime/provider-index.js';
import type { TimeoutOptions } from '../runtime/timeouts.js';
import type { TransportOption } from '../runtime/transport.js';
import type { ConfigOptions } from '../types/config.js';
import type { Logger } from '../types/logger.js';
import type { ModelIdOf, ProviderInput } from '../types/provider.js';
import type {
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  FallbackRule,
  ListedModel,
  ModelRef,
} from '../types/requests.js';
import type { Store } from '../types/store.js';
import type { CheckedModelInput, ModelRefString } from './model-ref-check.js';

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

export type { ModelIdOf } from '../types/provider.js';
