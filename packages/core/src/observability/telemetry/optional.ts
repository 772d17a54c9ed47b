/**
 * Optional peer dependencies, loaded synchronously and only when a feature that needs them is turned
 * on: `@opentelemetry/api` for spans (without it, and without an SDK behind it, tracing is a no-op) and
 * `prom-client` for Prometheus metrics. Neither is installed with `@switchboard/core`, so they cost
 * nothing on the install-size budget unless the application already uses them.
 */
import { createRequire } from 'node:module';

type OtelApi = typeof import('@opentelemetry/api');
type PromClient = typeof import('prom-client');

const load = createRequire(import.meta.url);
let otel: OtelApi | null | undefined;
let prom: PromClient | null | undefined;

/** `@opentelemetry/api`, or undefined when it is not installed. */
export function loadOtelApi(): OtelApi | undefined {
  if (otel === undefined) {
    try {
      otel = load('@opentelemetry/api') as OtelApi;
    } catch {
      otel = null;
    }
  }
  return otel ?? undefined;
}

/** `prom-client`, or undefined when it is not installed. */
export function loadPromClient(): PromClient | undefined {
  if (prom === undefined) {
    try {
      prom = load('prom-client') as PromClient;
    } catch {
      prom = null;
    }
  }
  return prom ?? undefined;
}
