/**
 * The public request, response and stream shapes of Switchboard (DESIGN 5). Every protocol adapter
 * translates between these and its wire format; nothing provider-specific leaks into them except
 * through `raw` and `providerOptions`.
 */

import type { ErrorKind } from './catalog.js';
import type { Cost } from './cost.js';
import type { RetryOptions } from './retry.js';

/**
 * A prompt-cache breakpoint, Anthropic's `cache_control`: the provider caches the prompt from its
 * start up to and including the marked block (tools, then system, then messages, in that order), and
 * a later request with the same prefix reads it back at the cache-read price. At most 4 per request;
 * `ttl` is 5 minutes by default or 1 hour. Providers without explicit breakpoints drop the marks with
 * a warning in `res.warnings` (OpenAI, Gemini and others cache long prefixes on their own).
 */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

/**
 * Reasoning the provider signed and wants back unchanged (Anthropic's `thinking` and
 * `redacted_thinking` blocks): keep `res.reasoningBlocks` on the assistant message you append, so the
 * next request replays them (required when thinking is on and the turn called tools). Other
 * providers ignore them.
 */
export type ReasoningBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  /** Reasoning the provider's safety systems encrypted: opaque, sent back as it came. */
  | { type: 'redacted-thinking'; data: string };

/** `'<provider>/<model>'` or an explicit pair. */
export type ModelRef = string | { provider: string; model: string };

/**
 * An image: `image` (a URL, data URL or bytes) or `path` (a local file), exactly one of them. A
 * string in `image` is always a URL, never a path: only `http:`, `https:` and `data:` are accepted,
 * so text that reaches a message cannot make the library read a local file.
 */
export interface ImagePart {
  type: 'image';
  /** `https://...`, `data:image/png;base64,...`, a URL object, or raw bytes. Never a file path. */
  image?: string | URL | Uint8Array;
  /**
   * A local file, read when the call is made: a regular file only (no devices, FIFOs, /proc or
   * /sys), within the model's size limit (else the provider's, else 20 MB), PNG, JPEG, GIF or WebP
   * by its bytes.
   */
  path?: string;
  /** Taken from the bytes when they are known; used for a remote URL the provider fetches. */
  mediaType?: string;
  /** Passed to providers that support it (OpenAI). */
  detail?: 'auto' | 'low' | 'high';
  /** A prompt-cache breakpoint after this image. */
  cacheControl?: CacheControl;
}

export interface TextPart {
  type: 'text';
  text: string;
  /** A prompt-cache breakpoint after this text. */
  cacheControl?: CacheControl;
}

/** A document (PDF and the like) sent inline: `data` or `path`, exactly one of them. */
export interface FilePart {
  type: 'file';
  /** Bytes, base64 text, or a `data:` URL (a URL object must be a `data:` URL). Never a file path. */
  data?: string | URL | Uint8Array;
  /**
   * A local file, read when the call is made under the same rules as an image path: a PDF (when
   * the model takes PDFs) or UTF-8 text, by its bytes.
   */
  path?: string;
  /** Required with `data`; with `path`, a `text/*` type for text files (PDFs are known by their bytes). */
  mediaType?: string;
  /** With `path`, defaults to the path's last segment. */
  filename?: string;
  /** A prompt-cache breakpoint after this document. */
  cacheControl?: CacheControl;
}

export type ContentPart = TextPart | ImagePart | FilePart;

export interface SystemMessage {
  role: 'system';
  content: string;
  /** A prompt-cache breakpoint after this system prompt. */
  cacheControl?: CacheControl;
}
export interface UserMessage {
  role: 'user';
  content: string | ContentPart[];
  /** A prompt-cache breakpoint after this message's last part. */
  cacheControl?: CacheControl;
}
export interface AssistantMessage {
  role: 'assistant';
  content: string | TextPart[] | null;
  toolCalls?: ToolCall[];
  /** The signed reasoning of this turn (`res.reasoningBlocks`), replayed before its text and calls. */
  reasoningBlocks?: ReasoningBlock[];
  /** A prompt-cache breakpoint after this message. */
  cacheControl?: CacheControl;
}
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  /** The tool's name; some providers (Gemini) require it. */
  name?: string;
  content: string;
  /** A prompt-cache breakpoint after this tool result. */
  cacheControl?: CacheControl;
}
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A tool call the model made, arguments parsed from JSON. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** A JSON Schema object, as sent to providers. */
export type JsonSchema = Record<string, unknown>;

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  toolCallId: string;
  /** The call's signal: stop the tool's own work when the caller aborts. */
  signal?: AbortSignal;
}

/**
 * The arguments a tool's handler receives for its `parameters`: the output type of a zod 4 schema
 * (read structurally through `_zod.output`, or a Standard Schema's `types.output`, so core needs no
 * zod types), else a plain object for JSON Schema.
 */
export type ToolArguments<Parameters> = Parameters extends { _zod: { output: infer Output } }
  ? Output
  : Parameters extends { '~standard': { types?: { output: infer Output } | undefined } }
    ? Output
    : Record<string, unknown>;

/**
 * A tool the model may call. `parameters` is a JSON Schema or a zod schema (anything with a
 * `safeParse` method is treated as zod and converted with `z.toJSONSchema`). The model's arguments
 * are checked against it before `execute` runs (see `tool-arguments.ts`); write tools with `tool()`
 * to have `execute`'s argument typed from a zod schema.
 */
export interface ToolDefinition<Args = Record<string, unknown>> {
  name: string;
  description?: string;
  parameters: JsonSchema | { safeParse(value: unknown): unknown };
  /** A prompt-cache breakpoint after this tool's definition (mark the last tool to cache them all). */
  cacheControl?: CacheControl;
  /**
   * Runs the tool in the automatic tool loop with the validated arguments. A method (not a
   * function-typed property) so a tool typed for its own arguments still fits `ToolDefinition[]`.
   */
  execute?(args: Args, context: ToolContext): unknown;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Options that change the generated answer (and so belong in a cache key). */
export interface GenerationOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  stop?: string | string[];
  seed?: number;
  /** Reasoning effort or budget where the model supports it. */
  reasoning?: { effort?: 'low' | 'medium' | 'high'; budgetTokens?: number };
}

export interface ChatRequest extends GenerationOptions {
  model: ModelRef;
  messages: Message[];
  tools?: ToolDefinition[] | Record<string, ToolDefinition>;
  toolChoice?: ToolChoice;
  /** Maximum model calls in the automatic tool loop (default 1: no loop). */
  maxSteps?: number;
  /** A zod schema (validated and typed into `res.object`) or a plain JSON Schema (sent to the provider, parsed but not validated locally). */
  schema?: { safeParse(value: unknown): { success: boolean; data?: unknown; error?: unknown } } | JsonSchema;
  /** Name given to the schema where the provider wants one. */
  schemaName?: string;
  /** Extra attempts when the answer does not match `schema` (default 2); the error is shown to the model. */
  maxRetries?: number;
  /**
   * Milliseconds for the whole call, a positive finite number. Default: the provider's catalog
   * `timeouts.requestMs` (10 minutes for hosted providers, longer for local servers).
   */
  timeout?: number;
  /**
   * Milliseconds a stream may go without a data event (comments and pings do not count) before it
   * ends with a `timeout` error that keeps the partial output. Default: the catalog's `timeouts.idleMs`.
   */
  idleTimeout?: number;
  signal?: AbortSignal;
  /** Passed through to the provider's request body, merged last, keyed by provider id or flat. */
  providerOptions?: Record<string, unknown>;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Set false to skip cost calculation. */
  trackCost?: boolean;
  /** Resilience settings of this call (they override the switchboard's and the provider's). */
  retry?: RetryOptions | false;
  /** Response cache: `true`, `{ ttl }` (milliseconds), or `false` to bypass a cache enabled globally. */
  cache?: boolean | { ttl?: number };
  /**
   * Models tried in order when the model fails for good: by default on every error except those the
   * request caused (`invalid-request`, `content-filter`); see `fallbackOn` and `resilience/fallback-rules.ts`.
   */
  fallback?: ModelRef[];
  /** Also fall back when the model refuses on content-filter grounds (default false). */
  fallbackOnContentFilter?: boolean;
  /** Which failures move the call to the next target; overrides the switchboard's `fallbackOn`. */
  fallbackOn?: FallbackRule;
  /** The budget key this call is counted against (a user, a team, an API key id). */
  budget?: string;
  /** Tags for tag budgets and telemetry. */
  tags?: string[];
  /** The id on every log line of this call (default: a new UUID per call). Never sent to the provider. */
  requestId?: string;
  /** Set false to bypass the circuit breakers for this call. */
  breaker?: boolean;
  /** `false` bypasses the rate limiter; `{ policy }` overrides wait-or-fail for this call. */
  rateLimit?: false | { policy?: 'wait' | 'fail' };
  /**
   * Fit the messages to the model's context window before sending: `true` for the `smart` strategy
   * with the answer's `maxTokens` reserved, or options (strategy, reserveOutput, preserveMessages).
   */
  truncate?: boolean | TruncateOptions;
  /**
   * `sb.stream` only: called with each text delta as it arrives (ExLLM's `on_chunk`), also when the
   * stream is not iterated and only `response` is awaited. A function that throws ends the stream
   * with that error. `sb.chat` ignores it with a warning.
   */
  onChunk?: (text: string) => void;
}

/**
 * Which failures move a call to its next target: a list of error kinds, or a predicate that sees the
 * error (and the target it came from) and returns true to fall back. See `resilience/fallback-rules.ts`.
 */
export type FallbackRule =
  | readonly ErrorKind[]
  | ((error: unknown, context: { provider: string; model: string; attempt: number }) => boolean);

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/**
 * Token usage. `inputTokens` includes cached tokens; `outputTokens` includes reasoning tokens (as
 * billed); `reasoningTokens` and the cache fields say how many of them were of that kind.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/**
 * What a call cost: the catalog's `Cost` (catalog/cost.ts), with the prompt-cache and reasoning
 * parts, so `formatCost(res.cost)` and `catalog.calculateCost` results are the same type.
 */
export type CostBreakdown = Cost;

export interface ChatResponse<T = unknown> {
  text: string;
  reasoning?: string;
  /**
   * Signed reasoning blocks (Anthropic extended thinking), to put on the assistant message of the
   * next request (`assistantMessage(res)` does): the provider checks them when thinking is on.
   */
  reasoningBlocks?: ReasoningBlock[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** The provider's own finish reason. */
  rawFinishReason?: string;
  usage: Usage;
  /** Absent when the catalog has no price for the model or `trackCost` is false. */
  cost?: CostBreakdown;
  model: string;
  provider: string;
  id?: string;
  cached: boolean;
  /**
   * Where a cached answer came from: `'response'` for the switchboard's response cache (with
   * `cached: true`), `'test'` for `@switchboard/testing`'s test cache (a recorded HTTP exchange, so
   * `cached` stays false: the call did go through the provider's parser). Absent for a live answer.
   */
  fromCache?: 'test' | 'response';
  latencyMs: number;
  /** Every attempt the call made (retries, fallbacks), the one that served last. */
  attempts?: AttemptRecord[];
  /** Sources cited by search-grounded providers (Perplexity). */
  citations?: string[];
  /** Options dropped because the model does not support them, and similar notices. */
  warnings: string[];
  /** Parsed and validated structured output when `schema` was given. */
  object?: T;
  /** The provider's response body (the last one, for a tool loop or a stream: the final chunk). */
  raw: unknown;
}

export type StreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  /**
   * With a `schema`: the object parsed so far from the growing JSON (text, or the forced tool's
   * arguments). Each one extends the last; the final one equals `response.object`. Not validated.
   */
  | { type: 'object-delta'; object: unknown }
  /** A tool the stream's tool loop ran (`maxSteps` > 1); `result` is `{ error }` when `isError`. */
  | { type: 'tool-result'; toolCallId: string; name: string; result: unknown; isError: boolean }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; cost?: CostBreakdown; response: ChatResponse }
  | { type: 'error'; error: Error; partial: ChatResponse };

/**
 * What `sb.stream()` returns: iterate it for events, or await `response` for the final result. `T`
 * is the type of `response.object` (the output of the request's zod `schema`).
 */
export interface ChatStream<T = unknown> extends AsyncIterable<StreamEvent> {
  /** Resolves with the final response; rejects with the stream's error (which carries the partial text). */
  readonly response: Promise<ChatResponse<T>>;
  /** Stops the stream and the HTTP request behind it. */
  abort(reason?: unknown): void;
}

export interface EmbedRequest {
  model: ModelRef;
  input: string | string[];
  dimensions?: number;
  /** `base64` asks the provider for base64 floats; results are decoded either way. */
  encoding?: 'float' | 'base64';
  timeout?: number;
  signal?: AbortSignal;
  providerOptions?: Record<string, unknown>;
  trackCost?: boolean;
  /** Resilience settings of this call, as on `ChatRequest`. */
  retry?: RetryOptions | false;
  cache?: boolean | { ttl?: number };
  fallback?: ModelRef[];
  /** Which failures move the call to the next target, as on `ChatRequest`. */
  fallbackOn?: FallbackRule;
  budget?: string;
  tags?: string[];
  /** The id on every log line of this call (default: a new UUID per call). Never sent to the provider. */
  requestId?: string;
  breaker?: boolean;
  rateLimit?: false | { policy?: 'wait' | 'fail' };
}

export interface EmbedResponse {
  embeddings: number[][];
  usage: { inputTokens: number };
  cost?: CostBreakdown;
  model: string;
  provider: string;
  cached: boolean;
  /** Where a cached answer came from, as on `ChatResponse`. */
  fromCache?: 'test' | 'response';
  latencyMs: number;
  /** Every attempt the call made, as on `ChatResponse`. */
  attempts?: AttemptRecord[];
  /** Notices about the call, such as request keys that were ignored as unknown; absent when none. */
  warnings?: string[];
  raw: unknown;
}

/** A model as a provider's live models endpoint reports it. */
export interface ListedModel {
  id: string;
  provider: string;
  name?: string;
  contextWindow?: number;
  pricing?: { input?: number; output?: number };
  /** Who made the model, where the list says (Bedrock's `providerName`: "Anthropic", "Amazon"). */
  ownedBy?: string;
  /** Lower-case modalities the model takes (`text`, `image`, ...), where the list says. */
  inputModalities?: string[];
  /** Lower-case modalities the model produces (`text`, `image`, `embedding`, ...), where the list says. */
  outputModalities?: string[];
  /** Whether the model streams its answers, where the list says. */
  streaming?: boolean;
  /**
   * How the model may be invoked, as Bedrock spells it: `ON_DEMAND`, `PROVISIONED`, or only
   * `INFERENCE_PROFILE` (then call it through a `us.`/`eu.`/`global.` profile id).
   */
  inferenceTypes?: string[];
  raw: unknown;
}

/** How messages are cut down to the window. */
export type TruncationStrategy = 'sliding-window' | 'smart';

/** Options of `fitMessages` and `prepareMessages`, and of a request's `truncate`. */
export interface TruncateOptions {
  /**
   * `smart` (default) keeps system messages, the first user message and the last `preserveMessages`
   * messages, then as many of the most recent middle messages as fit. `sliding-window` keeps system
   * messages and the most recent messages that fit.
   */
  strategy?: TruncationStrategy;
  /** The input budget in tokens (default: the model's context window less `reserveOutput`). */
  maxTokens?: number;
  /**
   * Tokens left for the answer. Default: a request's `maxTokens` (for its `truncate` option), else
   * the model's max output (`limits.output`) capped at 25 % of the window, or 25 % of the window
   * when the catalog lists no output limit. Pass 0 to fill the whole window.
   */
  reserveOutput?: number;
  /** The last N messages are always kept (default 4 for `smart`, 1 for `sliding-window`). */
  preserveMessages?: number;
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
