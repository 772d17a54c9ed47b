/**
 * The middleware contract: every resilience feature (budgets, cache, fallback and routing, circuit
 * breakers, rate limits, retries) and every user extension is a `Middleware` composed around the
 * protocol call. A middleware sees one `MiddlewareCall` and a `next` that runs the rest of the
 * pipeline; it may change the call, call `next` several times (retries, fallback), or not at all
 * (cache hits, rejections).
 */
import type { ModelInfo } from './catalog.js';
import type { SwitchboardEvents } from './events.js';
import type { ResolvedModel } from './provider-index.js';
import type {
  AttemptRecord,
  ChatRequest,
  ChatResponse,
  ChatStream,
  EmbedRequest,
  EmbedResponse,
  FallbackDecision,
} from './requests.js';

/** Which public method the call came from. */
export type CallOperation = 'chat' | 'stream' | 'embed';

/** One concrete place a call can be sent: a provider, a model and, for routed groups, a deployment. */
export interface CallTarget {
  /** `'<provider>/<model>'` as resolved (aliases replaced). */
  readonly ref: string;
  readonly provider: string;
  /** The model id sent on the wire. */
  readonly modelId: string;
  /** Catalog facts; undefined for models the catalog does not list. */
  readonly model: ModelInfo | undefined;
  /** What the protocol call runs with (a deployment's own settings included). */
  readonly resolved: ResolvedModel;
  /**
   * The key breakers, health and rate limits track this target's provider under: the provider id,
   * or `<provider>#<deployment>` for a deployment with its own key or base URL.
   */
  readonly scope: string;
  /** The deployment's id when the target came from a model group. */
  readonly deployment?: string;
  /** The model group the target came from. */
  readonly group?: string;
}

/** What a middleware receives. Copy it (`{ ...call, request }`) to pass a changed call to `next`. */
export interface MiddlewareCall<Request> {
  readonly operation: CallOperation;
  /** The request as the caller gave it, possibly changed by outer middleware. */
  request: Request;
  /**
   * The target this call is bound for. Outside fallback/routing it is the primary target (undefined
   * for a model group); inside it is the target being tried.
   */
  target: CallTarget | undefined;
  /** 1 for the first attempt at `target`, counting retries. */
  attempt: number;
  /** Tags for budgets and telemetry (`request.tags`). */
  tags: readonly string[];
  /** The budget key (`request.budget`). */
  budgetKey: string | undefined;
  /** The switchboard's event emitter (`breaker`, `retry`, `fallback`, `health`, ...). */
  events: SwitchboardEvents;
  /** Per-call state shared by every middleware of this call (one map per public call). */
  scratch: Map<string | symbol, unknown>;
  /** Every attempt made so far for this call (shared, appended to by retry and fallback). */
  attempts: AttemptRecord[];
  /** Overall deadline (clock milliseconds) from `request.timeout`, set by fallback/routing. */
  deadline: number | undefined;
}

export type ChatCall = MiddlewareCall<ChatRequest>;
export type StreamCall = MiddlewareCall<ChatRequest>;
export type EmbedCall = MiddlewareCall<EmbedRequest>;

export type ChatNext = (call: ChatCall) => Promise<ChatResponse>;
/** Streams stay lazy through the pipeline: `next` returns a stream that starts when iterated. */
export type StreamNext = (call: StreamCall) => ChatStream;
export type EmbedNext = (call: EmbedCall) => Promise<EmbedResponse>;

/**
 * A pipeline stage. Implement any of the three hooks; a missing hook passes the call through at no
 * cost. A stream hook returns a `ChatStream` synchronously: build it with `deriveStream` from an
 * async generator that awaits what it needs, calls `next`, and re-yields (or replaces) the events.
 */
export interface Middleware {
  readonly name: string;
  chat?(call: ChatCall, next: ChatNext): Promise<ChatResponse>;
  stream?(call: StreamCall, next: StreamNext): ChatStream;
  embed?(call: EmbedCall, next: EmbedNext): Promise<EmbedResponse>;
}

export type { AttemptRecord, FallbackDecision } from './requests.js';
