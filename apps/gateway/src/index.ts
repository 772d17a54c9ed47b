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
export type { Caller, GatewayContext, GatewayRoutes, GatewaySettings } from './context.js';
export { operationsRoutes } from './routes/operations.js';
