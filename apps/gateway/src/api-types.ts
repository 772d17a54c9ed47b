/**
 * The response bodies of the gateway's catalog and operations API (`/api/*`, `/metrics`, `/healthz`,
 * `/readyz`). The explorer web page is built against these types, so renaming a field here breaks its
 * build instead of silently breaking the page at run time. Each type is what one route answers; core's
 * own types are reused where the gateway passes core's data through unchanged.
 */
import type {
  BreakerStatus,
  CanonicalCapability,
  HealthStatus,
  Modality,
  ModelLimits,
  ModelPricing,
  ModelSource,
  ModelStats,
  ModelStatus,
  ModelType,
  ProviderStats,
  QualityEstimate,
  RateLimitStatus,
  ReasoningSpec,
  RecentError,
  SpeedEstimate,
  TelemetryAlert,
  WindowStats,
} from '@switchboard/core';

/** The error body of every failed `/api/*` call: what went wrong, its class, and the parameter at fault. */
export interface ApiErrorBody {
  error: {
    message: string;
    /** `invalid_request_error`, `authentication_error`, `permission_error`, `not_found_error`, `unavailable_error`, `upstream_error`. */
    type: string;
    /** The query parameter, body field or path segment at fault, when one is. */
    param: string | null;
  };
}

/** One model in a `GET /api/models` list: enough to filter and compare in a table. */
export interface ModelSummary {
  /** `'<provider>/<model>'`, the id the gateway's model routes accept. */
  ref: string;
  provider: string;
  id: string;
  name: string;
  type: ModelType;
  status: ModelStatus;
  contextWindow: number;
  maxOutputTokens: number | null;
  /** USD per 1M tokens; null when the catalog has no price (discovered models). */
  inputPricePer1M: number | null;
  outputPricePer1M: number | null;
  /** Cached (cache-read) input, USD per 1M tokens; null when the model has no cache price. */
  cachedInputPricePer1M: number | null;
  /** `(3 * input + output) / 4`, the figure `maxCost` filters on. */
  blendedPricePer1M: number | null;
  /** Every canonical capability the model has (its own, implied by modalities, its provider's). */
  capabilities: readonly CanonicalCapability[];
  modalities: { input: readonly Modality[]; output: readonly Modality[] };
  /** Served by a local server (Ollama, LM Studio, vLLM). */
  local: boolean;
  /** Release date (`YYYY-MM-DD`), when the catalog has it. */
  released: string | null;
  /** The weights are published (null: the catalog does not say); the explorer's table filters on it. */
  openWeights: boolean | null;
  /** The provider has what a call needs (key, parameters). */
  configured: boolean;
  /** Found by a live listing, not in the catalog. */
  discovered: boolean;
}

/** `GET /api/models`. */
export interface ModelListResponse {
  object: 'list';
  data: ModelSummary[];
  total: number;
}

/** `GET /api/models/{provider}/{model}`: every fact the catalog holds about one model. */
export interface ModelDetailsResponse extends ModelSummary {
  aliases: readonly string[];
  family: string | null;
  limits: ModelLimits;
  /** Prices with tiers, cache, reasoning and batch discount exactly as the catalog holds them. */
  pricing: ModelPricing | null;
  /** How reasoning is controlled, when the model reasons. */
  reasoning: ReasoningSpec | null;
  embedding: { dimensions: number; allowedDimensions?: number[]; maxInputTokens?: number } | null;
  openWeights: boolean | null;
  dates: { released: string | null; deprecated: string | null; retires: string | null; knowledge: string | null };
  quality: QualityEstimate;
  speed: SpeedEstimate;
  unsupportedParams: readonly string[];
  /** Where the facts come from: the catalog entry's upstream sources and the signals' sources. */
  sources: { catalog: ModelSource | null; quality: string; speed: string };
}

/** One model of a `POST /api/models/recommend` answer. */
export interface RecommendationEntry {
  ref: string;
  provider: string;
  id: string;
  name: string;
  /** Higher is better; comparable within one answer only. */
  score: number;
  /** One sentence per fact that made the model pass or rank where it does. */
  reasons: string[];
  quality: QualityEstimate;
  speed: SpeedEstimate;
  blendedPricePer1M: number | null;
  contextWindow: number;
}

/** `POST /api/models/recommend`. */
export interface RecommendResponse {
  object: 'list';
  data: RecommendationEntry[];
}

/** One provider's live listing compared with the catalog, in `POST /api/models/refresh`. */
export interface ProviderRefresh {
  provider: string;
  /** `listed`: the live list was read; `failed`: it could not be; `skipped`: the provider is not configured. */
  outcome: 'listed' | 'failed' | 'skipped';
  /** Why it failed or was skipped (no key ever appears here). */
  message?: string;
  /** Catalog models the live list has (refs). */
  available: string[];
  /** Catalog models the live list lacks. */
  unavailable: string[];
  /** Listed models the catalog does not know; they now join the catalog as `discovered`. */
  discovered: string[];
}

/** `POST /api/models/refresh`. */
export interface RefreshResponse {
  refreshedAt: number;
  providers: ProviderRefresh[];
}

/** One installed provider in `GET /api/providers`. */
export interface ProviderStatusEntry {
  id: string;
  name: string;
  protocol: string;
  local: boolean;
  configured: boolean;
  /** Models the catalog lists for it (discovered ones included). */
  models: number;
  /** The last health check, or null when none ran yet. */
  health: HealthStatus | null;
  breaker: BreakerStatus;
  rateLimit: RateLimitStatus;
}

/** `GET /api/providers`. */
export interface ProvidersResponse {
  data: ProviderStatusEntry[];
}

/** Which stats a `GET /api/telemetry?hours=` answer holds. */
export interface TelemetryPeriod {
  /** The hours asked for, or null for "since start". */
  hours: number | null;
  /** The view's window the figures come from (`all` = since the process started or the last reset). */
  window: string;
  /** False when no window matches the hours exactly and a longer one was used. */
  exact: boolean;
}

/** `GET /api/telemetry`. */
export interface TelemetryResponse {
  generatedAt: number;
  since: number;
  period: TelemetryPeriod;
  /** Sums over the selected models for the period (latency percentiles when one series is selected). */
  totals: WindowStats;
  providers: ProviderStats[];
  models: ModelStats[];
  recentErrors: RecentError[];
  alerts: TelemetryAlert[];
  insights: string[];
}

/** `POST /api/telemetry/reset`. */
export interface TelemetryResetResponse {
  reset: true;
  at: number;
}

/** `GET /healthz`. */
export interface HealthzResponse {
  status: 'ok';
  uptimeSeconds: number;
}

/** `GET /readyz` (200 when ready, 503 otherwise, same body). */
export interface ReadyzResponse {
  status: 'ready' | 'not-ready';
  checks: {
    store: { ok: boolean; message?: string };
    providers: { ok: boolean; configured: string[] };
  };
}
