/**
 * Telemetry for every call: OpenTelemetry spans (GenAI semantic conventions), Prometheus metrics and
 * the in-process view, fed by two middleware stages.
 *
 * - `telemetry` (outermost, before budgets and the cache) sees each public call once: it opens the
 *   call's span (`chat {model}` / `embeddings {model}`, kind CLIENT) and, when the call ends,
 *   records its outcome, latency, time to first token, tokens, cost and cache use.
 * - `telemetry-attempt` (after retry, before user middleware) runs once per attempt at one target:
 *   each attempt gets a child span of the call's span, so retries and fallbacks show as siblings.
 *
 * A call's span ends when the call does; its metrics, view and history entries are queued then and
 * recorded a turn later (recording-queue.ts), after the answer went out. Every read drains the
 * queue first, so a read right after `await sb.chat()` sees the call.
 *
 * Retries, fallbacks and breaker changes come from the switchboard's events; rate-limit waits from
 * the limiter's permits. Spans go through `@opentelemetry/api` only: with no SDK registered (or the
 * package not installed) they cost next to nothing and go nowhere.
 */
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { SwitchboardError } from '../../errors/errors.js';
import { redactError } from '../../errors/redact.js';
import type { SecretMatcher } from '../../errors/secret-patterns.js';
import { cacheSetting } from '../../resilience/middleware/cache.js';
import { deriveStream, followObserved } from '../../resilience/middleware/derive-stream.js';
import type { SwitchboardEvents } from '../../resilience/middleware/events.js';
import type { MiddlewareOption } from '../../resilience/stack.js';
import type { BudgetStatus, BudgetTracker } from '../../resilience/state/budget.js';
import type { RateLimiter } from '../../resilience/state/rate-limiter.js';
import type { CallTarget, Middleware, MiddlewareCall } from '../../types/middleware.js';
import type {
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelRef,
  StreamEvent,
} from '../../types/requests.js';
import type { Store } from '../../types/store.js';
import type { TracerLike } from '../../types/telemetry.js';
import { type HistoryOptions, type HistoryQuery, RequestHistory, type TelemetryHistory } from './history.js';
import {
  type InFlightCount,
  type MetricsInternals,
  type MetricsOptions,
  type MetricsRegistry,
  metricsInternals,
  SwitchboardMetrics,
} from './metrics.js';
import { loadOtelApi } from './optional.js';
import { QueuedView } from './queued-view.js';
import { RecordingQueue } from './recording-queue.js';
import { ATTR, errorType, operationName, providerName } from './semconv.js';
import type { CallObservation, TelemetrySnapshot, TelemetryView, TelemetryViewOptions } from './view.js';

export interface TelemetryOptions {
  /**
   * The tracer spans are made with (default: `trace.getTracer('@switchboard/core')` from
   * `@opentelemetry/api`, i.e. whatever SDK the application registered). `false`: no spans.
   */
  tracer?: TracerLike | false;
  /** A prom-client `Registry` for the metrics (turns metrics on). */
  meterRegistry?: MetricsRegistry;
  /**
   * Prometheus metrics (needs the `prom-client` package): `true`, options, or `false`. Default: on
   * when `meterRegistry` is given, or (with `telemetry: true`) when prom-client is installed.
   */
  metrics?: boolean | MetricsOptions;
  /** The in-process view (`sb.telemetry.snapshot()`); on by default. */
  view?: boolean | TelemetryViewOptions;
  /**
   * The request history (`sb.telemetry.history()`): 24 hours of per-minute sums, bounded; kept in
   * the switchboard's store too when one is given (shared by every process using it). On by default.
   */
  history?: boolean | HistoryOptions;
}

/** What `sb.telemetry` gives (undefined when telemetry is off). */
export interface Telemetry {
  /** The in-process view (undefined with `view: false`). */
  readonly view: TelemetryView | undefined;
  /** The Prometheus registry (undefined when metrics are off). */
  readonly registry: MetricsRegistry | undefined;
  /** The view's snapshot: per provider and model stats, windows, recent errors, insights, alerts. */
  snapshot(): TelemetrySnapshot;
  /** The snapshot as a plain object (`JSON.stringify(sb.telemetry)` exports it). */
  toJSON(): TelemetrySnapshot;
  /** The view as CSV (one row per model and window). */
  toCSV(): string;
  /** Re-reads budget usage for the view's budget alerts (done in the background after calls too). */
  refresh(): Promise<void>;
  /** Metrics in Prometheus text format (throws when metrics are off). */
  metrics(): Promise<string>;
  /**
   * Request, error, latency, token and cost series of the last `hours` (default 1, at most 24) in
   * points of `bucketMs` (default one minute); every process's calls when the store is shared.
   */
  history(query?: HistoryQuery): Promise<TelemetryHistory>;
  /** Adds this process's pending history sums to the shared store now (done every few seconds anyway). */
  flushHistory(): Promise<void>;
}

/** What the switchboard hands the telemetry. */
export interface TelemetryDependencies {
  events: SwitchboardEvents;
  now: () => number;
  /** Resolves a model reference to its target (throws for unknown ones and groups). */
  resolveTarget(model: ModelRef): CallTarget;
  /** Whether calls without a `cache` field use the cache. */
  cacheByDefault: boolean;
  budgets?: BudgetTracker;
  /** The switchboard's secrets: failures are scrubbed of them before they reach a span or the view. */
  secrets?: { matcher(): SecretMatcher };
  /** A store shared with other processes (Redis): the history is kept there too. */
  sharedStore?: Store;
  /** Connection-pool counts per origin, read when metrics are scraped. */
  poolStats?: () => Record<string, { active: number; idle: number; pending: number }>;
}

/** The pieces `createSwitchboard` wires in. */
export interface TelemetryInstall {
  readonly telemetry: Telemetry;
  /** Puts the telemetry stages around the default stages (and the user's middleware). */
  middleware(option: MiddlewareOption | undefined): MiddlewareOption;
  /** A rate limiter whose waits are counted (same behaviour). */
  instrumentLimiter(limiter: RateLimiter): RateLimiter;
}

const CALL_SPAN = Symbol('telemetry-call-span');
const SERVED = Symbol('telemetry-served-target');
const BUDGET_REFRESH_MS = 1000;
/** The name of the default tracer (`trace.getTracer`). */
const TRACER_NAME = '@switchboard/core';

type OtelApi = NonNullable<ReturnType<typeof loadOtelApi>>;

interface Requested {
  provider: string | undefined;
  model: string;
}

function requestedOf(deps: TelemetryDependencies, model: ModelRef): Requested {
  try {
    const target = deps.resolveTarget(model);
    return { provider: target.provider, model: target.modelId };
  } catch {
    return typeof model === 'string'
      ? { provider: undefined, model }
      : { provider: model.provider, model: model.model };
  }
}

function requestAttributes(
  operation: MiddlewareCall<unknown>['operation'],
  request: ChatRequest | EmbedRequest,
): Attributes {
  const attributes: Attributes = { [ATTR.operationName]: operationName(operation) };
  if ('messages' in request) {
    if (request.temperature !== undefined) attributes[ATTR.requestTemperature] = request.temperature;
    if (request.maxTokens !== undefined) attributes[ATTR.requestMaxTokens] = request.maxTokens;
    if (request.topP !== undefined) attributes[ATTR.requestTopP] = request.topP;
    if (request.frequencyPenalty !== undefined) attributes[ATTR.requestFrequencyPenalty] = request.frequencyPenalty;
    if (request.presencePenalty !== undefined) attributes[ATTR.requestPresencePenalty] = request.presencePenalty;
    if (request.seed !== undefined) attributes[ATTR.requestSeed] = request.seed;
    if (request.stop !== undefined)
      attributes[ATTR.requestStopSequences] = typeof request.stop === 'string' ? [request.stop] : request.stop;
  } else if (request.encoding !== undefined) attributes[ATTR.requestEncodingFormats] = [request.encoding];
  if (operation === 'stream') attributes[ATTR.streaming] = true;
  if (request.tags !== undefined && request.tags.length > 0) attributes[ATTR.tags] = request.tags;
  return attributes;
}

function providerAttributes(provider: string | undefined): Attributes {
  if (provider === undefined) return {};
  const name = providerName(provider);
  return { [ATTR.providerName]: name, [ATTR.system]: name };
}

function responseAttributes(response: ChatResponse | EmbedResponse): Attributes {
  const attributes: Attributes = { [ATTR.responseModel]: response.model };
  if ('text' in response) {
    if (response.id !== undefined) attributes[ATTR.responseId] = response.id;
    attributes[ATTR.responseFinishReasons] = [response.rawFinishReason ?? response.finishReason];
    attributes[ATTR.usageInputTokens] = response.usage.inputTokens;
    attributes[ATTR.usageOutputTokens] = response.usage.outputTokens;
  } else attributes[ATTR.usageInputTokens] = response.usage.inputTokens;
  if (response.cost !== undefined) attributes[ATTR.costUsd] = response.cost.total;
  return attributes;
}

function isDelta(event: StreamEvent): boolean {
  return event.type === 'text-delta' || event.type === 'reasoning-delta' || event.type === 'tool-call-delta';
}

/**
 * Whether spans made by `tracer` can be anything but no-ops. A tracer the caller gave is always
 * used. The default one is OpenTelemetry's proxy: until an SDK registers a tracer provider behind
 * it, every span it makes is a non-recording span that only carries its parent's context, exactly
 * as if no span were made. So calls skip the spans (their attribute objects, the attempt stage's
 * async layer: a few µs per gateway request) while no SDK is registered, and make them from the
 * first call after one is (checked per call until then, once seen never again).
 */
function spansLiveCheck(api: OtelApi | undefined, tracer: Tracer | undefined, given: boolean): () => boolean {
  if (api === undefined || tracer === undefined) return () => false;
  if (given) return () => true;
  let registered = false;
  return () => {
    if (registered) return true;
    const provider = api.trace.getTracerProvider() as { getDelegateTracer?: (name: string) => unknown };
    // Not the proxy (another API copy registered something else): spans are made, as before.
    registered =
      typeof provider.getDelegateTracer !== 'function' || provider.getDelegateTracer(TRACER_NAME) !== undefined;
    return registered;
  };
}

/** The two stages of each install, for the switchboard's own wiring (`telemetryStages`). */
const installStages = new WeakMap<TelemetryInstall, TelemetryStages>();

/** The call stage (outermost) and the attempt stage (innermost, around the protocol call). */
export interface TelemetryStages {
  readonly call: Middleware;
  readonly attempt: Middleware;
}

/**
 * The stages `middleware()` puts first and last, for a switchboard without middleware of its own:
 * it wraps them around the default stack instead of composing them into it, so the stack keeps its
 * fused chat fast path (one async frame for cache, fallback, breaker and retry) with telemetry on.
 * Not public: `TelemetryInstall` keeps its shape.
 */
export function telemetryStages(install: TelemetryInstall): TelemetryStages | undefined {
  return installStages.get(install);
}

/** Builds the telemetry of one switchboard. */
export function createTelemetry(option: true | TelemetryOptions, deps: TelemetryDependencies): TelemetryInstall {
  const options: TelemetryOptions = option === true ? {} : option;
  const api: OtelApi | undefined = options.tracer === false ? undefined : loadOtelApi();
  const tracer: Tracer | undefined =
    options.tracer === false
      ? undefined
      : ((options.tracer as Tracer | undefined) ?? api?.trace.getTracer(TRACER_NAME));
  const spansLive = spansLiveCheck(api, tracer, options.tracer !== undefined);

  const metricsOption = options.metrics;
  let metrics: SwitchboardMetrics | undefined;
  if (metricsOption !== false) {
    const metricsOptions: MetricsOptions = {
      ...(typeof metricsOption === 'object' ? metricsOption : {}),
      ...(options.meterRegistry === undefined ? {} : { registry: options.meterRegistry }),
    };
    const explicit = metricsOption !== undefined || options.meterRegistry !== undefined;
    if (explicit) metrics = new SwitchboardMetrics(metricsOptions);
    else
      try {
        metrics = new SwitchboardMetrics(metricsOptions);
      } catch {
        metrics = undefined; // prom-client is not installed: metrics stay off
      }
  }

  // The view drains the recording queue (made below, once the view exists) before every read.
  const drain = (): void => queue.drain();
  const view =
    options.view === false
      ? undefined
      : new QueuedView({ now: deps.now, ...(typeof options.view === 'object' ? options.view : {}) }, drain);
  const history =
    options.history === false
      ? undefined
      : new RequestHistory(deps.now, deps.sharedStore, typeof options.history === 'object' ? options.history : {});
  const budgets = deps.budgets;
  let lastBudgetRead = Number.NEGATIVE_INFINITY;
  let budgetRead: Promise<void> | undefined;
  if (view !== undefined && budgets !== undefined) {
    const keys = [...new Set(budgets.limits.flatMap((limit) => (limit.key === undefined ? [] : [limit.key])))];
    const tags = [...new Set(budgets.limits.flatMap((limit) => (limit.tag === undefined ? [] : [limit.tag])))];
    view.setBudgetSource((): Promise<BudgetStatus[]> => budgets.status({ keys, tags }));
  }
  const refreshBudgets = (): void => {
    if (view === undefined || budgets === undefined || budgetRead !== undefined) return;
    const now = deps.now();
    if (now - lastBudgetRead < BUDGET_REFRESH_MS) return;
    lastBudgetRead = now;
    budgetRead = view
      .refresh()
      .catch(() => undefined)
      .finally(() => {
        budgetRead = undefined;
      });
  };

  /** One ended call, taken off the queue: the metrics, the view and the history record it. */
  const recordCall = (record: CallRecord): void => {
    const observation = record.observation as CallObservation;
    metrics?.observe(observation, cacheUsed(record.call));
    view?.recordQueued(observation);
    history?.record(observation);
  };
  const queue = new RecordingQueue<CallRecord>(recordCall, refreshBudgets);
  const recording = metrics !== undefined || view !== undefined || history !== undefined;
  const metricsInside: MetricsInternals | undefined = metrics === undefined ? undefined : metricsInternals(metrics);
  metricsInside?.beforeRead(drain);

  if (metrics !== undefined) {
    const sink = metrics;
    deps.events.on('retry', (event) => sink.retry(event));
    deps.events.on('fallback', (event) => sink.fallback(event));
    deps.events.on('breaker', (event) => sink.breaker(event));
    if (deps.poolStats !== undefined) sink.watchPool(deps.poolStats);
  }

  /**
   * A failure's message for spans and the view, with the switchboard's secrets removed (from the
   * error itself too, in place, so the exception a span records is clean).
   */
  const errorText = (error: unknown): string => {
    const matcher = deps.secrets?.matcher();
    if (error instanceof Error) return (matcher === undefined ? error : redactError(error, matcher)).message;
    const text = String(error);
    return matcher === undefined ? text : matcher.redact(text);
  };

  // The cache stage's own rule (streams use the cache only when they ask).
  const cacheUsed = (call: MiddlewareCall<ChatRequest | EmbedRequest>): boolean =>
    cacheSetting(call.request, deps.cacheByDefault, call.operation) !== false;

  /**
   * Whether a span can parent others. With no OpenTelemetry SDK registered the tracer hands out
   * non-recording spans with an invalid context: making one active (a new context per call) changes
   * nothing for the spans made underneath, so it is skipped on the hot path.
   */
  const canParent = (span: Span | undefined): span is Span =>
    span !== undefined && api !== undefined && api.trace.isSpanContextValid(span.spanContext());

  /**
   * One public call: in flight, then ended and queued (the answer goes out first), then recorded
   * from the queue. What it did is fixed when it ends (latency, clock time, target, outcome), so
   * recording it a turn later changes no figure; only the work moves off the answer's path.
   */
  class CallRecord {
    readonly started = performance.now();
    readonly requested: Requested;
    readonly span: Span | undefined;
    private readonly previousSpan: unknown;
    /** The in-flight gauge's count for the requested model (looked up once, at the start). */
    private readonly inFlight: InFlightCount | undefined;
    ttftMs: number | undefined;
    private ended = false;
    /** What the call did, set when it ends (the queue records it). */
    observation: CallObservation | undefined;

    constructor(readonly call: MiddlewareCall<ChatRequest | EmbedRequest>) {
      this.requested = requestedOf(deps, call.request.model);
      if (tracer !== undefined && api !== undefined && spansLive()) {
        this.span = tracer.startSpan(
          `${operationName(call.operation)} ${this.requested.model}`,
          {
            kind: api.SpanKind.CLIENT,
            attributes: {
              ...requestAttributes(call.operation, call.request),
              ...providerAttributes(this.requested.provider),
              [ATTR.requestModel]: this.requested.model,
            },
          },
          api.context.active(),
        );
      }
      if (metricsInside !== undefined) {
        this.inFlight = metricsInside.inFlightCount(this.requested.provider ?? 'unknown', this.requested.model);
        this.inFlight.delta += 1;
      }
      this.previousSpan = call.scratch.get(CALL_SPAN);
      call.scratch.set(CALL_SPAN, this.span);
      call.scratch.delete(SERVED);
    }

    /** Runs `fn` with the call's span active (for spans others make underneath). */
    run<T>(fn: () => T): T {
      if (!canParent(this.span) || api === undefined) return fn();
      return api.context.with(api.trace.setSpan(api.context.active(), this.span), fn);
    }

    firstDelta(): void {
      if (this.ttftMs !== undefined) return;
      this.ttftMs = performance.now() - this.started;
      this.span?.addEvent('gen_ai.first_token');
      this.span?.setAttribute(ATTR.timeToFirstTokenMs, Math.round(this.ttftMs * 1000) / 1000);
    }

    private served(): { provider: string; model: string } {
      const target = this.call.scratch.get(SERVED) as CallTarget | undefined;
      if (target !== undefined) return { provider: target.provider, model: target.modelId };
      return { provider: this.requested.provider ?? 'unknown', model: this.requested.model };
    }

    succeeded(response: ChatResponse | EmbedResponse): void {
      if (this.ended) return;
      this.ended = true;
      const served = response.cached ? { provider: response.provider, model: this.requested.model } : this.served();
      if (this.span !== undefined) {
        // A non-recording span (no SDK, or sampled out) drops attributes: they are not built for it.
        if (this.span.isRecording())
          this.span.setAttributes({
            ...responseAttributes(response),
            ...(this.requested.provider === undefined ? providerAttributes(served.provider) : {}),
            [ATTR.cached]: response.cached,
            [ATTR.attempts]: this.call.attempts.length,
          });
        this.span.end();
      }
      const usage = response.usage as { inputTokens: number; outputTokens?: number };
      // One object with every field, in the same order as a failure's (one shape for the recorders).
      this.end({
        operation: this.call.operation,
        provider: served.provider,
        model: served.model,
        ok: true,
        errorKind: undefined,
        errorMessage: undefined,
        status: undefined,
        latencyMs: performance.now() - this.started,
        ttftMs: this.ttftMs,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens ?? 0,
        costUsd: response.cost?.total ?? 0,
        cached: response.cached,
        attempts: this.call.attempts.length,
        at: deps.now(),
      });
    }

    failed(error: unknown, partial?: ChatResponse): void {
      if (this.ended) return;
      this.ended = true;
      let served = this.served();
      if (
        this.call.scratch.get(SERVED) === undefined &&
        error instanceof SwitchboardError &&
        error.provider !== undefined
      )
        served = { provider: error.provider, model: error.model ?? served.model };
      const kind = errorType(error);
      const message = errorText(error);
      if (this.span !== undefined && api !== undefined) {
        this.span.setAttributes({
          [ATTR.errorType]: kind,
          [ATTR.attempts]: this.call.attempts.length,
          ...(this.requested.provider === undefined ? providerAttributes(served.provider) : {}),
          ...(partial === undefined || partial.usage.totalTokens === 0
            ? {}
            : {
                [ATTR.usageInputTokens]: partial.usage.inputTokens,
                [ATTR.usageOutputTokens]: partial.usage.outputTokens,
              }),
        });
        if (error instanceof Error) this.span.recordException(error);
        this.span.setStatus({ code: api.SpanStatusCode.ERROR, message });
        this.span.end();
      }
      this.end({
        operation: this.call.operation,
        provider: served.provider,
        model: served.model,
        ok: false,
        errorKind: kind,
        errorMessage: message,
        status: error instanceof SwitchboardError ? error.status : undefined,
        latencyMs: performance.now() - this.started,
        ttftMs: this.ttftMs,
        inputTokens: partial?.usage.inputTokens ?? 0,
        outputTokens: partial?.usage.outputTokens ?? 0,
        costUsd: partial?.cost?.total ?? 0,
        cached: false,
        attempts: this.call.attempts.length,
        at: deps.now(),
      });
    }

    /** The call ended: its span scope and in-flight count now, its recording queued (see RecordingQueue). */
    private end(observation: CallObservation): void {
      if (this.call.scratch.get(CALL_SPAN) === this.span) this.call.scratch.set(CALL_SPAN, this.previousSpan);
      if (this.inFlight !== undefined) this.inFlight.delta -= 1;
      this.observation = observation;
      if (recording) queue.push(this);
    }
  }

  /** One call in its record, for chat and embeddings alike (a failed chat keeps its partial answer). */
  const recordedCall = async <
    Request extends ChatRequest | EmbedRequest,
    Response extends ChatResponse | EmbedResponse,
  >(
    call: MiddlewareCall<Request>,
    next: (call: MiddlewareCall<Request>) => Promise<Response>,
  ): Promise<Response> => {
    const record = new CallRecord(call);
    try {
      const response = await record.run(() => next(call));
      record.succeeded(response);
      return response;
    } catch (error) {
      record.failed(error, (error as Partial<SwitchboardError>).partial);
      throw error;
    }
  };

  const callStage: Middleware = {
    name: 'telemetry',
    chat: (call, next) => recordedCall(call, next),
    embed: (call, next) => recordedCall(call, next),
    stream(call, next) {
      const requested = requestedOf(deps, call.request.model);
      // The record watches the events as they pass (no generator of its own per event; issue 11).
      return deriveStream(
        (signal) => {
          let record: CallRecord | undefined;
          return followObserved(
            () => {
              const created = new CallRecord(call);
              record = created;
              return created.run(() => next(call));
            },
            signal,
            {
              event(event) {
                if (isDelta(event)) record?.firstDelta();
                else if (event.type === 'finish') record?.succeeded(event.response);
                else if (event.type === 'error') record?.failed(event.error, event.partial);
              },
              end() {
                // The consumer stopped early or aborted (a no-op after the finish or error).
                record?.failed(
                  signal.aborted ? signal.reason : new DOMException('The stream was abandoned', 'AbortError'),
                );
              },
            },
          );
        },
        { provider: requested.provider ?? 'unknown', model: requested.model },
      );
    },
  };

  /** One attempt at one target: a child span of the call's span. */
  const attemptSpan = (call: MiddlewareCall<ChatRequest | EmbedRequest>): Span | undefined => {
    const target = call.target;
    if (target !== undefined) call.scratch.set(SERVED, target);
    if (tracer === undefined || api === undefined || target === undefined || !spansLive()) return undefined;
    const parent = call.scratch.get(CALL_SPAN) as Span | undefined;
    const context = parent === undefined ? api.context.active() : api.trace.setSpan(api.context.active(), parent);
    const attributes: Attributes = {
      ...requestAttributes(call.operation, call.request),
      ...providerAttributes(target.provider),
      [ATTR.requestModel]: target.modelId,
      [ATTR.attempt]: call.attempt,
    };
    if (target.deployment !== undefined) attributes[ATTR.deployment] = target.deployment;
    if (target.group !== undefined) attributes[ATTR.group] = target.group;
    return tracer.startSpan(
      `${operationName(call.operation)} ${target.modelId}`,
      { kind: api.SpanKind.CLIENT, attributes },
      context,
    );
  };
  const endAttempt = (span: Span | undefined, response: ChatResponse | EmbedResponse): void => {
    if (span === undefined) return;
    if (span.isRecording()) span.setAttributes(responseAttributes(response));
    span.end();
  };
  const failAttempt = (span: Span | undefined, error: unknown): void => {
    if (span === undefined || api === undefined) return;
    span.setAttribute(ATTR.errorType, errorType(error));
    const message = errorText(error);
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message });
    span.end();
  };
  const withSpan = <T>(span: Span | undefined, fn: () => T): T =>
    !canParent(span) || api === undefined ? fn() : api.context.with(api.trace.setSpan(api.context.active(), span), fn);

  /** One attempt in its span, for chat and embeddings alike. */
  const tracedAttempt = async <
    Request extends ChatRequest | EmbedRequest,
    Response extends ChatResponse | EmbedResponse,
  >(
    call: MiddlewareCall<Request>,
    next: (call: MiddlewareCall<Request>) => Promise<Response>,
  ): Promise<Response> => {
    const span = attemptSpan(call);
    try {
      const response = await withSpan(span, () => next(call));
      endAttempt(span, response);
      return response;
    } catch (error) {
      failAttempt(span, error);
      throw error;
    }
  };

  const attemptStage: Middleware = {
    name: 'telemetry-attempt',
    chat(call, next) {
      // No span to make: the attempt only notes its target, without an async layer of its own.
      if (!spansLive()) {
        if (call.target !== undefined) call.scratch.set(SERVED, call.target);
        try {
          return next(call);
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return tracedAttempt(call, next);
    },
    embed: (call, next) => tracedAttempt(call, next),
    stream(call, next) {
      // No span to make (tracing off, or no SDK behind the default tracer): no layer per event either.
      if (!spansLive()) {
        if (call.target !== undefined) call.scratch.set(SERVED, call.target);
        return next(call);
      }
      const target = call.target;
      return deriveStream(
        (signal) => {
          let span: Span | undefined;
          let ended = false;
          let first = true;
          return followObserved(
            () => {
              span = attemptSpan(call);
              return withSpan(span, () => next(call));
            },
            signal,
            {
              event(event) {
                if (first && isDelta(event)) {
                  first = false;
                  span?.addEvent('gen_ai.first_token');
                }
                if (event.type === 'finish') {
                  ended = true;
                  endAttempt(span, event.response);
                } else if (event.type === 'error') {
                  ended = true;
                  failAttempt(span, event.error);
                }
              },
              end() {
                if (!ended) failAttempt(span, new DOMException('The stream was abandoned', 'AbortError'));
              },
            },
          );
        },
        { provider: target?.provider ?? 'unknown', model: target?.modelId ?? 'unknown' },
      );
    },
  };

  const telemetry: Telemetry = {
    view,
    registry: metrics?.registry,
    snapshot() {
      if (view === undefined) throw new Error('The telemetry view is off (`telemetry: { view: false }`)');
      return view.snapshot();
    },
    toJSON() {
      return telemetry.snapshot();
    },
    toCSV() {
      if (view === undefined) throw new Error('The telemetry view is off (`telemetry: { view: false }`)');
      return view.toCSV();
    },
    async refresh() {
      queue.drain();
      await budgetRead;
      await view?.refresh();
    },
    metrics() {
      if (metrics === undefined)
        return Promise.reject(
          new Error('Metrics are off: pass `telemetry: { metrics: true }` (and install prom-client)'),
        );
      return metrics.metrics();
    },
    async history(query) {
      if (history === undefined) throw new Error('The telemetry history is off (`telemetry: { history: false }`)');
      queue.drain();
      return history.read(query);
    },
    async flushHistory() {
      queue.drain();
      await history?.flush();
    },
  };

  const install: TelemetryInstall = {
    telemetry,
    middleware(option) {
      return (defaults) => {
        const withTelemetry = [callStage, ...defaults, attemptStage];
        if (typeof option === 'function') return option(withTelemetry);
        return option === undefined ? withTelemetry : [...withTelemetry, ...option];
      };
    },
    instrumentLimiter(limiter) {
      if (metrics === undefined) return limiter;
      const sink = metrics;
      const acquire: RateLimiter['acquire'] = async (request) => {
        const permit = await limiter.acquire(request);
        sink.rateLimitWait(request.provider, permit.waitedMs);
        return permit;
      };
      return new Proxy(limiter, {
        get(target, property) {
          if (property === 'acquire') return acquire;
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    },
  };
  installStages.set(install, { call: callStage, attempt: attemptStage });
  return install;
}

export type { TracerLike } from '../../types/telemetry.js';
