/**
 * The gateway as a library: `createGateway(options)` builds one switchboard for the process from the
 * config (or, without one, from every installed provider and the environment), the Store, the
 * fastify app with every route module, and returns `{ app, context, listen, close }`. The model
 * endpoints' JSON POSTs (`/v1/chat/completions`, `/v1/embeddings`, `/v1/messages`) are answered by
 * the direct node:http path ahead of fastify (`http/direct-routes.ts`) with the same route code
 * fastify runs for everything else. `close` stops accepting, lets in-flight requests and streams
 * finish until a deadline, then cuts what is left, so SIGTERM in `bin.ts` is one call.
 */
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import {
  CONFIG_KEY_ENV,
  createSwitchboard,
  loadConfigFile,
  MemoryStore,
  type ProviderInput,
  type Store,
  type SwitchboardConfig,
  type SwitchboardOptions,
} from '@switchboard/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { type GatewayConfig, GatewayConfigError, loadGatewayConfig } from './config.js';
import type { Caller, GatewayContext, GatewayRoutes, GatewaySettings } from './context.js';
import { corsHeaders } from './http/cors.js';
import { type DirectRoute, directRoutes } from './http/direct-routes.js';
import { requestIdFor } from './http/request-id.js';
import { createVirtualKeys } from './keys/virtual-keys.js';
import { chatCompletionsRoute, writeOpenAIError } from './openai/chat-completions.js';
import { embeddingsRoute } from './openai/embeddings-route.js';
import { renderOpenAIError } from './openai/errors.js';
import { importProviderFactory, installedProviders } from './providers.js';
import { anthropicRoutes, messagesRoute, writeAnthropicError } from './routes/anthropic.js';
import { explorerRoutes } from './routes/explorer.js';
import { createKeyRoutes } from './routes/keys.js';
import { liveRoutes } from './routes/live.js';
import { openAIRoutes } from './routes/openai.js';
import { operationsRoutes } from './routes/operations.js';

/**
 * Every route module, registered in this order, each in its own fastify scope (its own error body):
 * the OpenAI surface, the Anthropic surface, the catalog and operations API, the live view the
 * explorer page watches, and the explorer page itself at `/`.
 */
export const ROUTE_MODULES: readonly GatewayRoutes[] = [
  openAIRoutes,
  anthropicRoutes,
  operationsRoutes,
  liveRoutes,
  explorerRoutes,
];

/** Default largest request body: 4 MiB (a few data-URL images). */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** fastify's keep-alive timeout, kept on the server the gateway creates for it. */
const FASTIFY_KEEP_ALIVE_TIMEOUT_MS = 72_000;
/** Default time SIGTERM gives in-flight requests and streams. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export interface GatewayOptions {
  /** A YAML config file (`--config`, `SWITCHBOARD_GATEWAY_CONFIG`). */
  configFile?: string;
  /** An already parsed config (tests, embedding); wins over `configFile`. */
  config?: GatewayConfig;
  /** Overrides of the config's `server.host` / `server.port`. */
  host?: string;
  port?: number;
  /** Environment the providers' keys are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra switchboard options (a transport, a clock, a logger), merged over what the config builds. */
  switchboard?: Partial<SwitchboardOptions<readonly ProviderInput[]>>;
  /** Route modules to register instead of `ROUTE_MODULES`. */
  routes?: readonly GatewayRoutes[];
}

export interface Gateway {
  app: FastifyInstance;
  context: GatewayContext;
  /** Starts listening; resolves with the URL (`http://HOST:PORT`, the real port when 0 was asked). */
  listen(): Promise<{ url: string; host: string; port: number }>;
  /** Stops accepting, drains in-flight requests and streams for up to `drainTimeoutMs`, then releases everything. */
  close(drainTimeoutMs?: number): Promise<void>;
}

/** Builds the gateway (does not listen yet). */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  let config: GatewayConfig = options.config ?? {};
  let directory = process.cwd();
  if (options.config === undefined && options.configFile !== undefined) {
    ({ config, directory } = await loadGatewayConfig(options.configFile));
  }
  const providers = await buildProviders(config, env);
  const store = await buildStore(config.store);
  const staticConfig = await buildStaticConfig(config, directory, env);
  const aliases = config.aliases ?? {};
  // Virtual keys in the Store; their budgets and tokens per minute ride on the switchboard's budget
  // stage, installed only when keys or budgets are configured (the stage costs every call a reservation).
  const virtualKeys = createVirtualKeys({
    store,
    requireKeys: config.keys?.required ?? false,
    ...(config.budgets === undefined ? {} : { budgets: config.budgets as never }),
    modelNames: (model) => (aliases[model] === undefined ? [] : [aliases[model]]),
  });
  const switchboard = createSwitchboard({
    providers,
    store,
    env,
    ...(staticConfig === undefined ? {} : { config: staticConfig }),
    ...(config.groups === undefined ? {} : { modelGroups: config.groups }),
    ...(config.fallbacks === undefined ? {} : { fallbacks: config.fallbacks }),
    ...(config.fallbackOn === undefined ? {} : { fallbackOn: config.fallbackOn }),
    ...(config.cache === undefined || config.cache === false
      ? {}
      : { cache: config.cache === true ? true : { ttlMs: config.cache.ttlMs } }),
    ...(config.rateLimits === undefined || config.rateLimits === false
      ? {}
      : { rateLimit: config.rateLimits === true ? true : config.rateLimits }),
    ...(config.budgets === undefined && config.keys === undefined ? {} : { budgets: virtualKeys.budgets }),
    // On unless the config says `telemetry: false`: /api/telemetry and /metrics are the gateway's dashboard.
    ...(config.telemetry === false ? {} : { telemetry: true }),
    ...options.switchboard,
  } as SwitchboardOptions<readonly ProviderInput[]>);

  const adminKeyEnv = config.keys?.adminKeyEnv;
  const adminKey = adminKeyEnv === undefined ? undefined : env[adminKeyEnv];
  if (adminKeyEnv !== undefined && (adminKey === undefined || adminKey === '')) {
    throw new GatewayConfigError(`keys.adminKeyEnv: the environment variable ${adminKeyEnv} is not set`);
  }
  const settings: GatewaySettings = {
    host: options.host ?? config.server?.host ?? '127.0.0.1',
    port: options.port ?? config.server?.port ?? 4000,
    bodyLimitBytes: config.server?.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    corsOrigins: config.cors?.origins ?? [],
    requireKeys: config.keys?.required ?? false,
    ...(adminKey === undefined ? {} : { adminKeyHash: await sha256(adminKey) }),
  };
  const context: Gateway['context'] = {
    switchboard,
    store,
    settings,
    config,
    resolveModelName: (model) => aliases[model] ?? model,
    // The keys module: a request without a virtual key (none required) is the anonymous caller.
    authenticate: virtualKeys.authenticate,
    anonymous: virtualKeys.anonymous,
    release: virtualKeys.release,
  };

  const routeModules = options.routes ?? ROUTE_MODULES;
  const cors = corsHeaders(settings.corsOrigins);
  let draining = false;
  const direct = directRoutes({
    routes: directRouteTable(context, routeModules),
    bodyLimitBytes: settings.bodyLimitBytes,
    cors,
    closing: () => draining,
  });
  const app = Fastify({
    bodyLimit: settings.bodyLimitBytes,
    genReqId: (request) => requestIdFor(request.headers),
    logger: false,
    return503OnClosing: true,
    // The model endpoints' JSON POSTs are answered before fastify (see http/direct-routes.ts);
    // the server keeps fastify's own settings (72 s keep-alive).
    serverFactory: (handler) => {
      const server = createServer((request, response) => {
        if (!direct(request, response)) handler(request, response);
      });
      server.keepAliveTimeout = FASTIFY_KEEP_ALIVE_TIMEOUT_MS;
      return server;
    },
  });
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // A callback hook, not an async one: fastify awaits an async hook's promise on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const allowed = cors(request.headers.origin);
    if (allowed !== undefined) reply.headers(allowed);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply.code(204).send();
      return;
    }
    done();
  });
  app.setErrorHandler((error, _request, reply) => {
    const rendered = renderOpenAIError(error);
    reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: {
        message: `No route ${request.method} ${request.url}`,
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
  });
  for (const routes of [...routeModules, createKeyRoutes(virtualKeys)]) {
    await app.register(async (scope) => routes(scope, context));
  }

  let closing: Promise<void> | undefined;
  const drainDefault = config.server?.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  return {
    app,
    context,
    async listen() {
      if (!isLoopback(settings.host) && !settings.requireKeys) {
        throw new GatewayConfigError(
          `Refusing to listen on ${settings.host}: without virtual keys anyone who can reach it could spend your provider keys. ` +
            'Bind 127.0.0.1, or set keys.required: true in the config.',
        );
      }
      await app.listen({ host: settings.host, port: settings.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : settings.port;
      const host = isIP(settings.host) === 6 ? `[${settings.host}]` : settings.host;
      return { url: `http://${host}:${port}`, host: settings.host, port };
    },
    close(drainTimeoutMs = drainDefault) {
      closing ??= (async () => {
        // Cut connections still open at the deadline: each stream's 'close' aborts its upstream call.
        const deadline = setTimeout(() => app.server.closeAllConnections(), drainTimeoutMs);
        deadline.unref();
        // A keep-alive connection whose request just finished would hold the close open until the
        // client drops it: close connections as soon as they go idle.
        const sweeper = setInterval(() => app.server.closeIdleConnections(), 50);
        sweeper.unref();
        try {
          await app.close();
        } finally {
          clearTimeout(deadline);
          clearInterval(sweeper);
          await switchboard.close();
          await store.close();
        }
      })();
      return closing;
    },
  };
}

/** The caller of a gateway without virtual keys. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({ id: 'anonymous' });

/**
 * The providers to install: the config's (each must be installed), else every installed one as
 * the library would configure it from the environment.
 */
async function buildProviders(
  config: GatewayConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ProviderInput[]> {
  if (config.providers === undefined) {
    return [...(await installedProviders()).values()].map((factory) => factory());
  }
  const out: ProviderInput[] = [];
  for (const [id, settings] of Object.entries(config.providers)) {
    const factory = await importProviderFactory(id);
    if (factory === undefined) {
      throw new GatewayConfigError(`providers.${id}: no installed provider package for '${id}'`);
    }
    const options: Record<string, unknown> = {};
    if (settings?.apiKeyEnv !== undefined) {
      const key = env[settings.apiKeyEnv];
      if (key !== undefined && key !== '') options.apiKey = key;
    }
    const baseURL = settings?.baseURL ?? (settings?.baseURLEnv === undefined ? undefined : env[settings.baseURLEnv]);
    if (baseURL !== undefined && baseURL !== '') options.baseURL = baseURL;
    if (settings?.headers !== undefined) options.headers = settings.headers;
    if (settings?.params !== undefined) options.params = settings.params;
    out.push(factory(options));
  }
  return out;
}

/** Per-provider static settings: defaults models from the config, keys from the encrypted secrets file. */
async function buildStaticConfig(
  config: GatewayConfig,
  directory: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SwitchboardConfig | undefined> {
  const merged: Record<string, Record<string, unknown>> = {};
  if (config.secretsFile !== undefined) {
    // Opened with the passphrase in SWITCHBOARD_CONFIG_KEY of the gateway's environment.
    const passphrase = env[CONFIG_KEY_ENV];
    const secrets = await loadConfigFile(
      resolve(directory, config.secretsFile),
      passphrase === undefined ? undefined : { encryptionKey: passphrase },
    );
    for (const [id, entry] of Object.entries(secrets)) if (entry) merged[id] = { ...entry };
  }
  for (const [id, settings] of Object.entries(config.providers ?? {})) {
    const entry = merged[id] ?? {};
    if (settings?.defaultModel !== undefined) entry.defaultModel = settings.defaultModel;
    if (settings?.defaultEmbeddingModel !== undefined) entry.defaultEmbeddingModel = settings.defaultEmbeddingModel;
    if (Object.keys(entry).length > 0) merged[id] = entry;
  }
  return Object.keys(merged).length === 0 ? undefined : (merged as SwitchboardConfig);
}

/** The Store: in-process memory, or Redis (`@switchboard/redis`, imported only then). */
async function buildStore(url: string | undefined): Promise<Store> {
  if (url === undefined || url === 'memory') return new MemoryStore();
  const { createRedisStore } = await import('@switchboard/redis');
  return createRedisStore({ url });
}

async function sha256(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

/** Whether a host only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * The model routes served directly from node:http: those of the OpenAI and Anthropic modules that
 * are among the gateway's route modules (a gateway built without one must not answer its routes).
 */
function directRouteTable(context: GatewayContext, modules: readonly GatewayRoutes[]): Map<string, DirectRoute> {
  const table = new Map<string, DirectRoute>();
  if (modules.includes(openAIRoutes)) {
    table.set('/v1/chat/completions', { serve: chatCompletionsRoute(context), writeError: writeOpenAIError });
    table.set('/v1/embeddings', { serve: embeddingsRoute(context), writeError: writeOpenAIError });
  }
  if (modules.includes(anthropicRoutes)) {
    table.set('/v1/messages', { serve: messagesRoute(context), writeError: writeAnthropicError });
  }
  return table;
}
