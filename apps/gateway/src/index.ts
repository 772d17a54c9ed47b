/** `@switchboard/gateway`: the HTTP gateway as a library (the `switchboard-gateway` bin wraps it). */
// The catalog and operations API's response bodies, for the explorer page and other typed clients.
export type {
  ApiErrorBody,
  HealthzResponse,
  ModelDetailsResponse,
  ModelListResponse,
  ModelSummary,
  ProviderRefresh,
  ProviderStatusEntry,
  ProvidersResponse,
  ReadyzResponse,
  RecommendationEntry,
  RecommendResponse,
  RefreshResponse,
  TelemetryPeriod,
  TelemetryResetResponse,
  TelemetryResponse,
} from './api-types.js';
// The server, its config file and the OpenAI surface.
export type { GatewayConfig } from './config.js';
export { GatewayConfigError, gatewayConfigSchema, loadGatewayConfig, parseGatewayConfig } from './config.js';
export type { Caller, GatewayContext, GatewayRoutes, GatewaySettings } from './context.js';
export { GatewayError } from './gateway-error.js';
export { renderOpenAIError } from './openai/errors.js';
export type { ExplorerRoutesOptions } from './routes/explorer.js';
export { createExplorerRoutes, explorerRoutes } from './routes/explorer.js';
export type { LiveCounters, LivePoint, LiveResponse, LiveRoutesOptions } from './routes/live.js';
export { createLiveRoutes, liveRoutes } from './routes/live.js';
export { openAIRoutes } from './routes/openai.js';
export { operationsRoutes } from './routes/operations.js';
export type { Gateway, GatewayOptions } from './server.js';
export { ANONYMOUS_CALLER, createGateway, isLoopback, ROUTE_MODULES } from './server.js';
