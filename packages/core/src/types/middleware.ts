/**
 * The middleware contract: every resilience feature (budgets, cache, fallback and routing, circuit
 * breakers, rate limits, retries) and every user extension is a `Middleware` composed around the
 * protocol call. A middleware sees one `MiddlewareCall` and a `next` that runs the rest of the
 * pipeline; it may change the call, call `next` several times (retries, fallback), or not at all
 * (cache hits, rejections).
 */
import type { ModelInfo } from './catalog.js';
import type { ResolvedModel } from '../runtime/provider-index.js';
import type { ChatRequest, ChatResponse, ChatStream, EmbedRequest, EmbedResponse } from './requests.js';
import type { SwitchboardEvents } from '../resilience/middleware/events.js';

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

/** One try of one target, as `res.attempts` and the final error report it. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** 1 for the first try of this target, 2 for its first retry, ... */
  attempt: number;
  /** The deployment id for routed calls. */
  deployment?: string;
  /** Absent when this attempt served the response. */
  error?: { kind: string; message: string; status?: number };
  latencyMs: number;
  /**
   * On the last attempt of a target in a call with several targets (a `fallback` chain or a model
   * group): whether the call moved on from this target and why.
   */
  fallback?: FallbackDecision;
}

/**
 * What the fallback rule decided after a target failed for good. Branch on `outcome` and `rule`;
 * show `reason`, e.g. `'rate-limit 429 -> fell back to groq/llama-3.1-8b-instant (rate-limit falls back)'`
 * or `'invalid-request 400 -> not allowed (invalid-request is caused by the request; ...)'`.
 */
export interface FallbackDecision {
  /**
   * `fell-back`: the next target was tried. `not-allowed`: the rule kept the call here and this
   * error ended it. `no-target-left`: the rule allowed it but no target was left (or none with a
   * larger context window). `deadline`: the call's `timeout` ran out first.
   */
  outcome: 'fell-back' | 'not-allowed' | 'no-target-left' | 'deadline';
  /** `default`, `fallbackOn` (the call's or the switchboard's), `fallbackOnContentFilter`, or `abort` (the caller's). */
  rule: 'default' | 'fallbackOn' | 'fallbackOnContentFilter' | 'abort';
  /** The error kind that ended the target (`unknown` / `aborted` for non-Switchboard errors). */
  kind: string;
  status?: number;
  /** The target tried next (`'<provider>/<model>'`), when the call fell back. */
  to?: string;
  /** One line for people. */
  reason: string;
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
