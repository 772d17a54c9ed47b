/**
 * What every route of the gateway is given: one switchboard for the whole process (providers,
 * resilience, cache, telemetry), the shared Store (memory or Redis) where virtual keys, limits and
 * counters live so several instances behave as one, and the validated configuration. Routes are
 * fastify plugins `(app, context) => Promise<void>` in `routes/`, one file per API surface, so the
 * OpenAI, Anthropic and operations APIs can grow apart without touching each other.
 */
import type { Store, Switchboard } from '@switchboard/core';
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from './config.js';

/** The gateway's configuration after validation (see `config.ts`, which owns its full shape). */
export interface GatewaySettings {
  host: string;
  port: number;
  /** Largest accepted request body, bytes. */
  bodyLimitBytes: number;
  /** Origins allowed by CORS (empty: no CORS headers). */
  corsOrigins: readonly string[];
  /** SHA-256 (hex) of the admin key guarding `/api/*` writes and key management; undefined: no admin key. */
  adminKeyHash?: string;
  /** True when clients must present a virtual key (set once keys exist or the config asks for it). */
  requireKeys: boolean;
}

/** One authenticated caller: a virtual key's id and what it may do, or the anonymous local caller. */
export interface Caller {
  /** Virtual key id (never the key itself), or `'anonymous'`. */
  id: string;
  /** Glob patterns of allowed model refs (`openai/*`); undefined: every model. */
  models?: readonly string[];
  /** Budget key and tags the switchboard counts this caller's calls against. */
  budget?: string;
  tags?: readonly string[];
}

export interface GatewayContext {
  switchboard: Switchboard;
  store: Store;
  settings: GatewaySettings;
  /** The validated config file (`{}` without one). */
  config?: GatewayConfig;
  /** An alias's target (`fast` -> `openai/gpt-4o-mini`), else the name unchanged; groups keep their name. */
  resolveModelName?(model: string): string;
  /**
   * Authenticates a request (the `Authorization: Bearer` or `x-api-key` header) and applies the
   * caller's rpm / concurrency limits; throws a gateway error (401, 403, 429) otherwise. Set by the
   * keys module; without keys every local caller is anonymous.
   */
  authenticate(headers: Record<string, string | string[] | undefined>, model?: string): Promise<Caller>;
  /**
   * The anonymous caller when no key is required and none is presented (what `authenticate` would
   * resolve with, without the Store), else undefined; optional: without it routes always await
   * `authenticate`.
   */
  anonymous?(headers: Record<string, string | string[] | undefined>): Caller | undefined;
  /** Releases what `authenticate` reserved (concurrency slot) when the request ends. */
  release(caller: Caller): void;
}

/** A route module: registers its routes on the app. */
export type GatewayRoutes = (app: FastifyInstance, context: GatewayContext) => Promise<void>;
