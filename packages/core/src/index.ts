export type { CanonicalCapability } from './generated/capabilities.js';
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
export type { Cost, EffectiveRates, FormatCostOptions, TokenUsage } from './catalog/cost.js';
export { blendedPricePer1M, calculateCost, effectiveRates, formatCost, selectPricingTier } from './catalog/cost.js';
export { ModelNotFoundError, ProviderNotFoundError, UnknownCapabilityError } from './catalog/errors.js';
export { modelCapabilities } from './catalog/model-capabilities.js';
export type { ModelFilterOptions } from './catalog/model-filter.js';
export { formatModelRef } from './catalog/model-ref.js';
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
export type * from './catalog/types.js';
export type {
  MockBehaviour,
  MockEmbedRequest,
  MockError,
  MockReply,
  MockRequest,
} from './protocols/mock/mock-behaviour.js';
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
// --- protocols: shared SSE decoder, adapter registry, mock ---
export type * from './protocols/types.js';
export type { ProviderDefinition, ProviderSettings } from './provider.js';
export { defineProvider } from './provider.js';
export { createCallContext, fillPlaceholders } from './runtime/call-context.js';
export type { DispatcherOptions, DispatcherStats } from './runtime/dispatcher.js';
export { closeSharedDispatchers, getSharedDispatcher, readDispatcherStats } from './runtime/dispatcher.js';
export type { SimilarityItem, SimilarityMatch } from './runtime/embedding-math.js';
export {
  cosineSimilarity,
  decodeBase64Embedding,
  encodeBase64Embedding,
  findSimilar,
} from './runtime/embedding-math.js';
export type { SwitchboardErrorOptions } from './runtime/errors.js';
export {
  AuthenticationError,
  ConfigurationError,
  ContentFilterError,
  ContextLengthError,
  createError,
  InvalidRequestError,
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
} from './runtime/errors.js';
export type { LoadedImage } from './runtime/images.js';
export { imageFromFile, loadImage } from './runtime/images.js';
export { toJsonSchema } from './runtime/json-schema.js';
export type { Logger } from './runtime/logger.js';
export { detectMediaType, mediaTypeFromExtension } from './runtime/media-type.js';
export type { ResolvedModel } from './runtime/provider-index.js';
export { resolveModel, splitModelRef } from './runtime/provider-index.js';
export { redactSecret } from './runtime/redact.js';
export { parseToolArguments } from './runtime/stream-accumulator.js';
export type {
  InferSchemaOutput,
  ModelIdOf,
  ModelRefFor,
  Switchboard,
  SwitchboardChatRequest,
  SwitchboardEmbedRequest,
  SwitchboardOptions,
} from './runtime/switchboard.js';
// --- runtime (createSwitchboard, transport, streams, embeddings, vision, mock) ---
export { createSwitchboard } from './runtime/switchboard.js';
export type { Transport, TransportOption, TransportRequest, TransportResponse } from './runtime/transport.js';
export { createFetchTransport, createUndiciTransport } from './runtime/transport.js';
export type * from './runtime/types.js';
export { normalizeUsage } from './runtime/usage.js';
export type { ChatCapable, ImageSource } from './runtime/vision.js';
export { analyzeImages, extractText, visionMessage } from './runtime/vision.js';
