/**
 * The shape of the catalog: what one `catalog/providers/<id>.yaml` file holds once validated, and what a
 * generated provider package hands to core at run time. `catalog/schema/provider.schema.json` is the
 * same contract for YAML authors; the two are kept in step by the codegen tests.
 *
 * Conventions: prices are USD per 1M tokens (decimals); token limits are token counts; dates are
 * ISO `YYYY-MM-DD` (or `YYYY-MM` for knowledge cut-offs); capability names are canonical
 * (see `catalog/capabilities.yaml`, aliases are normalized before anything is stored).
 */

/** A wire protocol core implements once; each provider speaks exactly one. */
export type ProtocolId = 'openai-chat' | 'anthropic-messages' | 'gemini' | 'bedrock-converse' | 'ollama' | 'mock';

/** How a request proves who it is. */
export type AuthType = 'bearer' | 'header' | 'query' | 'aws-sigv4' | 'none';

/** What a model is for. */
export type ModelType = 'chat' | 'embedding' | 'image' | 'audio' | 'rerank' | 'moderation';

/** Life-cycle of a model at its provider. */
export type ModelStatus = 'active' | 'preview' | 'deprecated' | 'retired';

/** Kinds of input and output a model handles. */
export type Modality = 'text' | 'image' | 'audio' | 'video' | 'pdf' | 'file';

/**
 * Stable error kinds (DESIGN 5). The catalog's `errors` rules map provider bodies onto them.
 */
export type ErrorKind =
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'rate-limit'
  | 'context-length-exceeded'
  | 'invalid-request'
  | 'content-filter'
  | 'timeout'
  | 'network'
  | 'provider'
  | 'quota-exceeded'
  | 'unsupported-capability'
  | 'configuration'
  /** A 2xx answer that is not a valid response of its protocol (wrong shape, cut stream, bad JSON). */
  | 'invalid-response'
  /** The caller stopped the call (its `signal`, or a stream's `abort()`); never retried, never falls back. */
  | 'aborted';

/** A canonical capability name. The generated table in core lists the known ones. */
export type CapabilityName = string;

export interface AuthSpec {
  type: AuthType;
  /** Header carrying the key (`Authorization`, `x-api-key`, `api-key`). */
  header?: string;
  /** Text before the key in that header, e.g. `"Bearer "`. */
  prefix?: string;
  /** Query parameter carrying the key when `type: query` (Gemini's `key`). */
  queryParam?: string;
  /** Environment variables read for the key, first set one wins. */
  env: string[];
  /** A regular expression a well-formed key matches, for a clear "does not look like" error. */
  keyPattern?: string;
  /** Human words for the expected key format. */
  keyHint?: string;
  /**
   * Environment variable(s) whose value replaces the base URL template; with a list the first set
   * one wins (the provider's own name first, then the names other libraries use, as aliases).
   */
  baseURLEnv?: string | readonly string[];
  /** True when a key may be absent (local servers). */
  optional?: boolean;
}

/** A value substituted into `{name}` placeholders of the base URL, headers or query parameters. */
export interface UrlParamSpec {
  name: string;
  /** Environment variable(s) the value is read from; with a list the first set one wins. */
  env?: string | readonly string[];
  /** Used when neither settings nor the environment give a value; may hold `{param}` and `{model}` placeholders. */
  default?: string;
  required?: boolean;
  description?: string;
}

export interface EndpointsSpec {
  chat?: string;
  chatStream?: string;
  embeddings?: string;
  embeddingsBatch?: string;
  models?: string;
  health?: string;
}

/** Protocol quirks, as data (DESIGN 2). Every field is optional; the protocol's default applies. */
export interface DialectSpec {
  /** Name of the output-token limit parameter (`max_tokens`, `max_completion_tokens`). */
  maxTokensParam?: string;
  /** Request parameters the provider rejects; core drops them with a warning. */
  unsupportedParams?: string[];
  /** Renames of request parameters: canonical name -> wire name. */
  paramRenames?: Record<string, string>;
  /** How usage arrives in streams. */
  streamUsage?: 'include-usage-option' | 'final-chunk' | 'every-chunk' | 'none';
  /** Where the system prompt goes. */
  systemMessage?: 'message' | 'developer-message' | 'top-level' | 'instruction';
  /** Query parameters added to every request (values may hold `{placeholders}`). */
  queryParams?: Record<string, string>;
  /** Whether the model id goes in the URL (Azure deployments, Gemini, Bedrock) or the body. */
  modelInPath?: boolean;
  /** Field holding reasoning text in responses, when not the protocol default. */
  reasoningField?: string;
  /** Field holding citations (Perplexity). */
  citationsField?: string;
  /** Tool-call ids the provider requires to match a pattern (Mistral: 9 alphanumerics). */
  toolCallIdPattern?: string;
  /** Whether `tool_choice: required` is accepted; when false core maps it to the closest option. */
  toolChoiceRequired?: boolean;
  /** Whether the provider accepts `response_format: json_schema`. */
  jsonSchemaResponseFormat?: boolean;
}

export interface LimitationsSpec {
  maxImagesPerRequest?: number;
  maxImageBytes?: number;
  maxFileBytes?: number;
  maxEmbeddingInputs?: number;
  maxStopSequences?: number;
  maxTools?: number;
}

export interface RateLimitValues {
  /** Requests per minute. */
  rpm?: number;
  /** Tokens per minute (input plus output unless the provider says otherwise). */
  tpm?: number;
  /** Requests per day. */
  rpd?: number;
}

export interface RateLimitsSpec {
  default: RateLimitValues;
  /** Published tiers, by the provider's own tier names. */
  tiers?: Record<string, RateLimitValues>;
  source?: string;
}

export interface RetrySpec {
  maxRetries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** HTTP statuses to retry, replacing core's default list. */
  retryableStatuses?: number[];
}

/**
 * Default time limits of calls to a provider (`timeouts` in its YAML). Core falls back to
 * `DEFAULT_TIMEOUTS` (runtime/timeouts.ts: 600000 / 120000) when a descriptor has none.
 */
export interface TimeoutsSpec {
  /** Limit of one request, ms (each attempt; a stream until its first data event). */
  requestMs?: number;
  /** Longest gap between two data events of a stream, ms (comments and pings do not count). */
  idleMs?: number;
}

/** One rule mapping an error response to a core error kind. First match wins. */
export interface ErrorRuleSpec {
  status?: number;
  /** Substring searched in the error body (its code, type or message). */
  match?: string;
  kind: ErrorKind;
  retryable?: boolean;
}

export interface ModelLimits {
  /** Total context window (input plus output), tokens. */
  context: number;
  /** Maximum input tokens when the provider states it apart from the context. */
  input?: number;
  /** Maximum output tokens per response. */
  output?: number;
}

export interface ModelModalities {
  input: Modality[];
  output: Modality[];
}

/** A price band that applies when the prompt is larger than `above` tokens. */
export interface PricingTier {
  above: number;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Why a time-bound price differs from the regular one. */
export type TimeBoundPriceKind = 'promotional' | 'introductory' | 'regular';

/**
 * A price in force for a date range: a promotion, a launch price, or a former regular price kept so
 * that a cost computed for an old call stays right. Rates it omits fall back to its own input/output
 * rate (as the regular price's do), never to the regular price's rates, which would invent a price.
 */
export interface TimeBoundPrice {
  /** First day (`YYYY-MM-DD`, from 00:00 UTC) or instant (`YYYY-MM-DDTHH:MMZ`); absent: since release. */
  from?: string;
  /** Last day it applies (through 24:00 UTC), or the instant it stops (exclusive); absent: open-ended. */
  until?: string;
  kind: TimeBoundPriceKind;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  tiers?: PricingTier[];
  /** Where the price and its dates come from. */
  source: string;
}

/** A day of the week in a price window's time zone. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * A daily window with its own price (DeepSeek's off-peak discount). `start` is inclusive and `end`
 * exclusive, both `HH:MM` in the zone; an `end` before `start` runs past midnight, and `days` are the
 * days the window starts on.
 */
export interface PriceWindow {
  /** What the provider calls it (off-peak, peak). */
  name: string;
  start: string;
  end: string;
  days?: Weekday[];
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Prices by time of day: a window's price inside it, the regular price outside every window. */
export interface TimeOfDayPricing {
  /** IANA time zone the windows are written in. */
  timeZone: string;
  windows: PriceWindow[];
  source: string;
}

/**
 * USD per 1M tokens unless the field says otherwise. The top-level rates are the regular price;
 * `timeBound` and `timeOfDay` say when another price is in force (see `priceInForce`).
 */
export interface ModelPricing {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Price of reasoning tokens when billed apart from output (otherwise they are output). */
  reasoning?: number;
  audioInput?: number;
  audioOutput?: number;
  /** USD per input image, where billed per image. */
  imageInput?: number;
  tiers?: PricingTier[];
  /** Multiplier for batch API calls (0.5 = half price). */
  batchDiscount?: number;
  currency?: 'USD';
  /** Prices for date ranges, in date order and non-overlapping; they win over `timeOfDay`. */
  timeBound?: TimeBoundPrice[];
  /** Peak / off-peak prices, applied when no time-bound price covers the call. */
  timeOfDay?: TimeOfDayPricing;
}

export interface ReasoningSpec {
  supported: boolean;
  /** `effort` (low/medium/high), `budget-tokens`, or `toggle`. */
  control?: 'effort' | 'budget-tokens' | 'toggle' | 'always';
  efforts?: string[];
  minBudgetTokens?: number;
  maxBudgetTokens?: number;
}

export interface EmbeddingSpec {
  dimensions: number;
  /** Dimensions a caller may ask for (Matryoshka models). */
  allowedDimensions?: number[];
  maxInputTokens?: number;
  /**
   * Most inputs per embeddings request for this model, when lower than the provider's
   * `limitations.maxEmbeddingInputs` (Bedrock's Titan takes one text per call).
   */
  maxInputs?: number;
}

/** A signal with where it came from. */
export interface QualitySignal {
  /** 0..100, higher is better. */
  score: number;
  source: string;
}

export interface SpeedSignal {
  /** Typical output tokens per second. */
  tokensPerSecond?: number;
  tier: 'fast' | 'medium' | 'slow';
  source: string;
}

/** Where a model's facts came from and which source the YAML follows where they disagree. */
export interface ModelSource {
  modelsDev?: string;
  litellm?: string;
  follows?: 'models.dev' | 'litellm' | 'provider-docs' | 'manual';
  notes?: string;
}

export interface ModelSpec {
  id: string;
  name: string;
  aliases?: string[];
  family?: string;
  type: ModelType;
  status: ModelStatus;
  released?: string;
  deprecated?: string;
  /** Date the provider stops (or stopped) serving the model; from that day queries treat it as retired. */
  retires?: string;
  /** Id of the model of the same provider that succeeds this one. */
  replacedBy?: string;
  knowledge?: string;
  limits: ModelLimits;
  modalities: ModelModalities;
  capabilities: CapabilityName[];
  reasoning?: ReasoningSpec;
  pricing?: ModelPricing;
  embedding?: EmbeddingSpec;
  openWeights?: boolean;
  quality?: QualitySignal;
  speed?: SpeedSignal;
  /** Parameters this model rejects beyond the provider's (o-series: temperature). */
  unsupportedParams?: string[];
  source?: ModelSource;
}

/** One contract case (DESIGN 3, `tests[]`). Interpreted by the contract test runner. */
export interface ContractCaseSpec {
  id: string;
  description?: string;
  kind: 'chat' | 'stream' | 'embed' | 'models' | 'error';
  input: Record<string, unknown>;
  /** Provider settings for this case, as a user would pass them to the factory (Azure's params). */
  settings?: { baseURL?: string; params?: Record<string, string> };
  request?: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: unknown;
  };
  response: {
    status?: number;
    headers?: Record<string, string>;
    body?: unknown;
    /** Path of a fixture file, relative to the repository's `test/contract/fixtures/`. */
    fixture?: string;
  };
  expect: Record<string, unknown>;
  provenance?: string;
}

/** Everything in a provider YAML. */
export interface ProviderSpec {
  id: string;
  name: string;
  docs?: string;
  protocol: ProtocolId;
  baseURL: string;
  local?: boolean;
  auth: AuthSpec;
  params?: UrlParamSpec[];
  headers?: Record<string, string>;
  endpoints: EndpointsSpec;
  dialect?: DialectSpec;
  capabilities: CapabilityName[];
  limitations?: LimitationsSpec;
  rateLimits?: RateLimitsSpec;
  retry?: RetrySpec;
  timeouts?: TimeoutsSpec;
  errors?: ErrorRuleSpec[];
  defaultModel: string;
  defaultEmbeddingModel?: string;
  /** Ids of this provider in the upstream catalogs, for `catalog check`. */
  upstream?: { modelsDev?: string; litellm?: string[] };
  models: ModelSpec[];
  tests?: ContractCaseSpec[];
}

/** The provider-level data a generated package hands to core (the YAML less its models and tests). */
export type ProviderDescriptor = Omit<ProviderSpec, 'models' | 'tests'>;

/** A model as queries return it: its spec plus the provider it belongs to. */
export interface ModelInfo extends ModelSpec {
  provider: string;
  /** `'<provider>/<model>'`. */
  ref: string;
  /** Found by a live listing (`sb.listModels`), not in the catalog: no price or signals. */
  discovered?: true;
  /**
   * Set by `getModel` when a time-bound price starts or ends after now: when (ISO instant, UTC) and
   * what changes, so a caller sees a promotion or introductory price about to end.
   */
  priceChange?: { at: string; description: string };
}
