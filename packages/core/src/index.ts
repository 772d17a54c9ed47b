// First, before any other module of core is evaluated: fail at once, naming the version, on a Node too old.
import './node-version.js';

export {
  canonicalCapabilities,
  capabilityKey,
  isKnownCapability,
  normalizeCapability,
  resolveCapabilities,
  suggestCapability,
} from './catalog/capabilities.js';
export type { Catalog, Environment, FindModelsOptions } from './catalog/catalog.js';
export { createCatalog } from './catalog/catalog.js';
export type { CatalogInput, CatalogProvider, CatalogProviderInput } from './catalog/catalog-index.js';
export type {
  ModelComparison,
  ModelComparisonEntry,
  PriceRange,
  ProviderComparison,
  ProviderComparisonEntry,
} from './catalog/compare.js';
export type { ValidateContextOptions } from './catalog/context/context-window.js';
export { contextStats, contextWindow, inputBudget, validateContext } from './catalog/context/context-window.js';
export type { FitOptions } from './catalog/context/fit-messages.js';
export { fitMessages, groupMessages } from './catalog/context/fit-messages.js';
export { countMessageTokens, messageTokens } from './catalog/context/message-tokens.js';
export type { PrepareMessagesOptions } from './catalog/context/prepare-messages.js';
export { prepareMessages } from './catalog/context/prepare-messages.js';
export type { Cost, EffectiveRates, FormatCostOptions, TokenUsage } from './catalog/cost.js';
export { blendedPricePer1M, calculateCost, effectiveRates, formatCost, selectPricingTier } from './catalog/cost.js';
export { defineProvider } from './catalog/define-provider.js';
export { ModelNotFoundError, ProviderNotFoundError, UnknownCapabilityError } from './catalog/errors.js';
export type { FindProvidersOptions } from './catalog/find-providers.js';
export { modelCapabilities } from './catalog/model-capabilities.js';
export type { ModelFilterOptions } from './catalog/model-filter.js';
export type { PriceChange } from './catalog/model-lifecycle.js';
export { effectiveStatus, nextPriceChange, retiredModelWarning } from './catalog/model-lifecycle.js';
export { formatModelRef } from './catalog/model-ref.js';
export type { PriceInForce } from './catalog/price-in-force.js';
export { priceInForce } from './catalog/price-in-force.js';
export type { LatencyTier, QualityTier } from './catalog/query-options.js';
export { InvalidQueryOptionError, LATENCY_TIER_MS, QUALITY_TIERS } from './catalog/query-options.js';
export type {
  ModelRecommendation,
  ProviderRecommendation,
  RecommendModelsOptions,
  RecommendProvidersOptions,
} from './catalog/recommend.js';
export { RECOMMEND_WEIGHTS } from './catalog/recommend.js';
export type { QualityEstimate, SpeedEstimate } from './catalog/signals.js';
export { DERIVED_QUALITY_SOURCE, deriveQuality, deriveSpeed, qualityOf, speedOf } from './catalog/signals.js';
export type { OpenAIEncoding, TokenCount, TokenCountInput, TokenCountMessage } from './catalog/tokens.js';
export { countTokens, encodingForModel, estimateTextTokens, estimateTokens } from './catalog/tokens.js';
// --- configuration, sessions, context windows, templates, parsing ---
export type { ConfigFileOptions } from './composition/config-file.js';
export {
  CONFIG_FILE_FORMAT,
  CONFIG_FILE_VERSION,
  CONFIG_KEY_ENV,
  loadConfigFile,
  saveConfigFile,
} from './composition/config-file.js';
// --- runtime (createSwitchboard, transport, streams, embeddings, vision, mock) ---
export { createSwitchboard } from './composition/create-switchboard.js';
export type {
  CheckedModelInput,
  CheckedModelRef,
  ModelRefString,
  OpenModelProviders,
} from './composition/model-ref-check.js';
export type {
  InferSchemaOutput,
  ModelIdOf,
  ModelRefFor,
  Switchboard,
  SwitchboardChatRequest,
  SwitchboardEmbedRequest,
  SwitchboardOptions,
} from './composition/switchboard-types.js';
export type { SwitchboardErrorOptions } from './errors/errors.js';
export {
  AbortedError,
  AuthenticationError,
  abortedError,
  ConfigurationError,
  ContentFilterError,
  ContextLengthError,
  createError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PermissionError,
  ProviderError,
  QuotaExceededError,
  RateLimitError,
  StructuredOutputError,
  SwitchboardError,
  TimeoutError,
  UnsupportedCapabilityError,
} from './errors/errors.js';
export { maskKey } from './errors/mask-key.js';
export { redactSecret } from './errors/redact.js';
export type { SimilarityItem, SimilarityMatch } from './features/embedding-math.js';
export {
  cosineSimilarity,
  decodeBase64Embedding,
  encodeBase64Embedding,
  findSimilar,
} from './features/embedding-math.js';
export type { CodeBlock } from './features/parsing/code-blocks.js';
export { extractCodeBlocks } from './features/parsing/code-blocks.js';
export type { ExtractJsonOptions, ParseSchema } from './features/parsing/extract-json.js';
export { extractJson } from './features/parsing/extract-json.js';
export type { MarkdownDocument, MarkdownSection } from './features/parsing/markdown-sections.js';
export { parseMarkdownSections } from './features/parsing/markdown-sections.js';
// --- issue 16: template registry, response presets, recovery by id, breaker controls, health, history ---
export type {
  CheckedCodeBlock,
  CodeExplanationResult,
  CodeGenerationResult,
  DocumentationResult,
  GeneralResult,
  ParsedResponse,
  ParsedSection,
  ResponseKind,
  TestCase,
  TestGenerationResult,
} from './features/parsing/parse-response.js';
export { parseResponse } from './features/parsing/parse-response.js';
export type { SyntaxCheck, SyntaxProblem } from './features/parsing/syntax-check.js';
export { checkSyntax } from './features/parsing/syntax-check.js';
// --- stream recovery ---
export type {
  ResumableChatStream,
  ResumableError,
  ResumedChatStream,
  ResumeHost,
  ResumeMethod,
  ResumeOptions,
  ResumeStrategy,
} from './features/recovery/resume.js';
export {
  continuationPrompt,
  isResumable,
  resumable,
  resumeStream,
  summaryContinuationPrompt,
  summaryRequestPrompt,
} from './features/recovery/resume.js';
export type { RecoveryOption, RecoveryState } from './features/recovery/stored-recovery.js';
export { resumePoint } from './features/recovery/text.js';
export type {
  SessionCallOptions,
  SessionDefaults,
  SessionInput,
  SessionOptions,
  SessionPersistence,
  SessionRunner,
} from './features/session/session.js';
export {
  createSession,
  loadSession,
  SESSION_KEY_PREFIX,
  Session,
  SessionConflictError,
} from './features/session/session.js';
export type { SessionData } from './features/session/session-format.js';
export {
  SESSION_FORMAT,
  SESSION_VERSION,
  SessionFormatError,
  validateSessionData,
} from './features/session/session-format.js';
export type {
  PromptTemplate,
  TemplateDefinition,
  TemplateMessage,
  TemplateVariable,
  TemplateVariableType,
} from './features/templates/define-template.js';
export { defineTemplate } from './features/templates/define-template.js';
export { TemplateError } from './features/templates/template-errors.js';
export type {
  ContextInjector,
  RegisteredTemplate,
  RenderOptions,
  TemplateRegistry,
  TemplateSummary,
} from './features/templates/template-registry.js';
export { createTemplateRegistry } from './features/templates/template-registry.js';
export type { CanonicalCapability } from './generated/capabilities.js';
export { isSupportedNode, MINIMUM_NODE } from './node-version.js';
// --- logging ---
export type {
  CreateLoggerOptions,
  LogComponentFilter,
  LogDestination,
  LogFields,
  LogLevel,
  LogLevelSetting,
  MemoryDestination,
  PinoLike,
  SwitchboardLogger,
} from './observability/logging/index.js';
export {
  addLogSecrets,
  CONTENT_REDACTED,
  createLogger,
  currentRequestId,
  LOG_LEVEL_VALUES,
  loggerEngine,
  memoryDestination,
  newRequestId,
  REDACTED,
  requestLogger,
  scrubString,
  secretForms,
  toSwitchboardLogger,
} from './observability/logging/index.js';
export type {
  HistoryOptions,
  HistoryPoint,
  HistoryQuery,
  TelemetryHistory,
} from './observability/telemetry/history.js';
// --- telemetry: OpenTelemetry spans, Prometheus metrics, the in-process view ---
export type { MetricsOptions } from './observability/telemetry/metrics.js';
export { SwitchboardMetrics } from './observability/telemetry/metrics.js';
export { ATTR as GEN_AI_ATTRIBUTES, providerName as genAiProviderName } from './observability/telemetry/semconv.js';
export type {
  Telemetry,
  TelemetryDependencies,
  TelemetryInstall,
  TelemetryOptions,
} from './observability/telemetry/telemetry.js';
export { createTelemetry } from './observability/telemetry/telemetry.js';
export type {
  CallObservation,
  ModelStats,
  Percentiles,
  ProviderStats,
  RecentError,
  TelemetryAlert,
  TelemetrySnapshot,
  TelemetryThresholds,
  TelemetryViewOptions,
  WindowStats,
} from './observability/telemetry/view.js';
export { percentiles, TelemetryView } from './observability/telemetry/view.js';
export type { ProtocolAdapter, ProtocolStreamEvent, StreamDecoder } from './protocols/adapter.js';
export type { MockModelId } from './protocols/mock/mock-provider.js';
export { createMockProvider, mockProviderData } from './protocols/mock/mock-provider.js';
export { clearMockRequests, getMockEmbedRequests, getMockRequests } from './protocols/mock/mock-requests.js';
export {
  findProtocolAdapter,
  getProtocolAdapter,
  listProtocolAdapters,
  registerProtocolAdapter,
} from './protocols/registry.js';
export type { SseDecoder, SseMessage } from './protocols/sse.js';
export { createSseDecoder, createSseStreamDecoder } from './protocols/sse.js';
export type { BatchOptions, BatchResult } from './resilience/batch.js';
export { runBatch } from './resilience/batch.js';
export type {
  BreakerOptions,
  BreakerState,
  BreakerStatus,
  OpenBreakerOptions,
  ResolvedBreakerOptions,
} from './resilience/breaker.js';
export {
  breakerMiddleware,
  CircuitBreakers,
  countsAsBreakerFailure,
  DEFAULT_BREAKER_OPTIONS,
} from './resilience/breaker.js';
export type { RecentCallHealth } from './resilience/call-health.js';
export type { Clock } from './resilience/clock.js';
export { systemClock } from './resilience/clock.js';
export { AllTargetsFailedError, CircuitOpenError } from './resilience/errors.js';
export type { FallbackDependencies } from './resilience/fallback.js';
export { canFallBack, fallbackMiddleware, planTargets } from './resilience/fallback.js';
export type { FallbackContext, FallbackRuleSource, FallbackVerdict } from './resilience/fallback-rules.js';
export { decideFallback, defaultFallbackVerdict, ERROR_KINDS } from './resilience/fallback-rules.js';
export type { HealthCheckMethod, HealthOptions, HealthStatus, ProviderHealth } from './resilience/health.js';
export { HealthMonitor } from './resilience/health.js';
export type { BudgetStageOptions } from './resilience/middleware/budget.js';
export { budgetMiddleware } from './resilience/middleware/budget.js';
// --- middleware pipeline and resilience (retries, breakers, fallback, routing, health, batch) ---
export type { CacheStageOptions } from './resilience/middleware/cache.js';
export { cacheMiddleware } from './resilience/middleware/cache.js';
export type { Pipeline } from './resilience/middleware/compose.js';
export { compose } from './resilience/middleware/compose.js';
export type { StreamSource } from './resilience/middleware/derive-stream.js';
export { deriveStream, emptyResponse, follow, replayEvents } from './resilience/middleware/derive-stream.js';
export type {
  BreakerEvent,
  FallbackEvent,
  HealthEvent,
  RetryEvent,
  SwitchboardEventHandlers,
  SwitchboardEventListener,
  SwitchboardEventMap,
  SwitchboardEventName,
} from './resilience/middleware/events.js';
export { SwitchboardEvents } from './resilience/middleware/events.js';
export { estimateCallTokens, rateLimitMiddleware } from './resilience/middleware/rate-limit.js';
export type { ResolvedRetryOptions, RetryDependencies, RetryOptions } from './resilience/retry.js';
export {
  DEFAULT_RETRY_OPTIONS,
  isRetryable,
  mergeRetryOptions,
  retryDelay,
  retryMiddleware,
} from './resilience/retry.js';
export type { Deployment, ModelGroup, RoutingStrategy } from './resilience/routing.js';
export { Router } from './resilience/routing.js';
export type { CustomRoutingStrategy, DeploymentStats, RoutingContext } from './resilience/routing-strategy.js';
export type { MiddlewareOption, ProviderResilienceOptions } from './resilience/stack.js';
export { buildStack } from './resilience/stack.js';
// --- state: Store, memory store, response cache, rate limiter, budgets ---
export type {
  BudgetCheck,
  BudgetCost,
  BudgetLimit,
  BudgetPeriod,
  BudgetReservation,
  BudgetScope,
  BudgetStatus,
  BudgetTrackerOptions,
  BudgetUsage,
} from './resilience/state/budget.js';
export { BudgetTracker, periodBounds } from './resilience/state/budget.js';
export type { CacheBackend } from './resilience/state/cache-backend.js';
export type {
  CacheableChatRequest,
  CacheGroupTarget,
  CacheIdentity,
  CacheModelResolver,
  CacheTarget,
} from './resilience/state/cache-key.js';
export { chatCacheKey, embedCacheKey, literalIdentity } from './resilience/state/cache-key.js';
export { isCacheableChat, isCacheableEmbedding } from './resilience/state/cacheable-answer.js';
export { canonicalJson, sha256Hex } from './resilience/state/canonical-json.js';
export type { NowFn, SleepFn } from './resilience/state/clock.js';
export { systemNow, systemSleep } from './resilience/state/clock.js';
export type { DiskCacheBackendOptions } from './resilience/state/disk-cache-backend.js';
export { DiskCacheBackend } from './resilience/state/disk-cache-backend.js';
export type { BudgetExceededDetails } from './resilience/state/errors.js';
export { BudgetExceededError } from './resilience/state/errors.js';
export type { LruCacheBackendOptions } from './resilience/state/lru-cache-backend.js';
export { LruCacheBackend } from './resilience/state/lru-cache-backend.js';
export type { MemoryStoreOptions } from './resilience/state/memory-store.js';
export { MemoryStore } from './resilience/state/memory-store.js';
export type { HeadersLike, ParsedRateLimitHeaders, ServerRateLimit } from './resilience/state/rate-limit-headers.js';
export { parseRateLimitHeaders, parseResetDuration } from './resilience/state/rate-limit-headers.js';
export type {
  AcquireRequest,
  ProviderRateLimitConfig,
  RateLimitDimensionStatus,
  RateLimiterOptions,
  RateLimitOverride,
  RateLimitPermit,
  RateLimitPolicy,
  RateLimitStatus,
} from './resilience/state/rate-limiter.js';
export { RateLimiter, rateLimitKeyId } from './resilience/state/rate-limiter.js';
export type {
  CacheKeyInput,
  CacheSetOptions,
  ResponseCacheOptions,
  ResponseCacheStats,
  StreamRecorder,
} from './resilience/state/response-cache.js';
export { DEFAULT_CACHE_TTL_MS, ResponseCache } from './resilience/state/response-cache.js';
export type { WindowBuckets } from './resilience/state/sliding-window.js';
export { rollWindow, windowEstimate, windowRetryAfter } from './resilience/state/sliding-window.js';
export type { StoreCacheBackendOptions } from './resilience/state/store-cache-backend.js';
export { StoreCacheBackend } from './resilience/state/store-cache-backend.js';
export { assistantMessage } from './runtime/assistant-message.js';
export { createCallContext, fillPlaceholders } from './runtime/call-context.js';
export type { ConfigResolver } from './runtime/config/config-resolver.js';
export { createConfigResolver } from './runtime/config/config-resolver.js';
export type { KeyCheckMode } from './runtime/config/key-format.js';
export { checkKeyFormat } from './runtime/config/key-format.js';
export type { DispatcherOptions, DispatcherStats, OriginPoolStats } from './runtime/dispatcher.js';
export {
  closeSharedDispatchers,
  getSharedDispatcher,
  readDispatcherStats,
  readOriginStats,
} from './runtime/dispatcher.js';
export type { LoadedImage } from './runtime/images.js';
export { imageFromFile, loadImage } from './runtime/images.js';
export { toJsonSchema } from './runtime/json-schema.js';
export { detectMediaType, mediaTypeFromExtension } from './runtime/media-type.js';
export type { ResolvedModel } from './runtime/provider-index.js';
export { resolveModel, splitModelRef } from './runtime/provider-index.js';
export { parseToolArguments } from './runtime/stream-accumulator.js';
// --- tools: typed definitions, argument checks, running the model's calls by hand ---
export type { ArgumentCheck, ArgumentProblem } from './runtime/tool-arguments.js';
export { checkToolArguments } from './runtime/tool-arguments.js';
export type { ExecuteToolCallsOptions, ToolResult } from './runtime/tool-helpers.js';
export { executeToolCalls, tool, toolResultMessage, validateToolCalls } from './runtime/tool-helpers.js';
export type { Transport, TransportOption, TransportRequest, TransportResponse } from './runtime/transport.js';
export { createFetchTransport, createUndiciTransport } from './runtime/transport.js';
export { normalizeUsage } from './runtime/usage.js';
export type { ChatCapable, ImageSource } from './runtime/vision.js';
export { analyzeImages, extractText, visionMessage } from './runtime/vision.js';
export type * from './types/catalog.js';
export type {
  ConfigOptions,
  ConfigProvider,
  ConfigProviderFunction,
  ProviderConfig,
  SwitchboardConfig,
} from './types/config.js';
export type {
  ChatRunner,
  ContextModel,
  ContextModelArgument,
  ContextModelOptions,
  ContextStats,
  ContextValidation,
  FitResult,
  Summarizer,
  TruncateOptions,
  TruncationStrategy,
} from './types/context.js';
export type { Logger } from './types/logger.js';
export type {
  AttemptRecord,
  CallOperation,
  CallTarget,
  ChatCall,
  ChatNext,
  EmbedCall,
  EmbedNext,
  FallbackDecision,
  Middleware,
  MiddlewareCall,
  StreamCall,
  StreamNext,
} from './types/middleware.js';
export type {
  MockBehaviour,
  MockEmbedRequest,
  MockError,
  MockMessage,
  MockReply,
  MockRequest,
} from './types/mock-behaviour.js';
// --- protocols: shared SSE decoder, adapter registry, mock ---
export type * from './types/protocol.js';
export type { CustomProvider, ProviderDefinition, ProviderInput, ProviderSettings } from './types/provider.js';
export type * from './types/requests.js';
export type { AdmitCheck, AdmitResult, SetOptions, Store, WindowResult } from './types/store.js';
