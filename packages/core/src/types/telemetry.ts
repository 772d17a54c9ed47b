/**
 * What core's telemetry needs of the tracer and the metrics registry a caller passes in: typed
 * structurally here, at the bottom, so no layer (and no public type) imports `@opentelemetry/api`
 * or prom-client, both optional peers. Implemented by observability/telemetry.
 */
/**
 * An OpenTelemetry `Tracer`, typed structurally so core's public types never import
 * `@opentelemetry/api` (an optional peer): any real tracer fits.
 */
export interface TracerLike {
  startSpan(...args: never[]): unknown;
}

/**
 * What Switchboard needs of a prom-client `Registry`. Declared here so core's public types never
 * import prom-client (an optional peer): any real `Registry` fits.
 */
export interface MetricsRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
}
