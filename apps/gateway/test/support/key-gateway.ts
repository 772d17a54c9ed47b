/**
 * A small real gateway for the key tests: fastify with the keys module's `authenticate` / `release`,
 * the admin-guarded key routes, the OpenAI error rendering, and one model route
 * (`POST /v1/chat/completions`, JSON only) that calls the switchboard with the caller's budget key,
 * exactly as the gateway's model routes do. The switchboard is real (breakers, budgets, the Store);
 * only the model route's translation is reduced to what these tests read.
 */
import { createHash } from 'node:crypto';
import { createSwitchboard, type Message, type ProviderInput, type Store, type Switchboard } from '@switchboard/core';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GatewayContext } from '../../src/context.js';
import { createVirtualKeys, type VirtualKeys } from '../../src/keys/virtual-keys.js';
import { renderOpenAIError } from '../../src/openai/errors.js';
import { createKeyRoutes } from '../../src/routes/keys.js';

export interface KeyGatewayOptions {
  store: Store;
  providers: ProviderInput[];
  requireKeys?: boolean;
  /** The admin key in clear (the gateway keeps its SHA-256). */
  adminKey?: string;
  /** Extra switchboard options (breaker, retry, clock). */
  switchboard?: Record<string, unknown>;
  cacheMs?: number;
}

export interface KeyGateway {
  app: FastifyInstance;
  keys: VirtualKeys;
  switchboard: Switchboard;
  close(): Promise<void>;
}

export async function createKeyGateway(options: KeyGatewayOptions): Promise<KeyGateway> {
  const { store } = options;
  const keys = createVirtualKeys({ store, requireKeys: options.requireKeys ?? true, cacheMs: options.cacheMs ?? 0 });
  const switchboard = createSwitchboard({
    providers: options.providers,
    store,
    budgets: keys.budgets,
    ...options.switchboard,
  } as Parameters<typeof createSwitchboard>[0]) as Switchboard;
  const context: GatewayContext = {
    switchboard,
    store,
    settings: {
      host: '127.0.0.1',
      port: 0,
      bodyLimitBytes: 1 << 20,
      corsOrigins: [],
      requireKeys: options.requireKeys ?? true,
      ...(options.adminKey === undefined
        ? {}
        : { adminKeyHash: createHash('sha256').update(options.adminKey).digest('hex') }),
    },
    authenticate: keys.authenticate,
    release: keys.release,
  };
  const app = Fastify({ logger: false });
  app.setErrorHandler((error, _request, reply) => {
    const rendered = renderOpenAIError(error);
    reply.code(rendered.status).headers(rendered.headers).send(rendered.body);
  });
  await app.register(async (scope) => createKeyRoutes(keys)(scope, context));
  app.post('/v1/chat/completions', async (request, reply) => {
    const body = request.body as { model: string; messages: Message[]; max_tokens?: number };
    const caller = await context.authenticate(request.headers, body.model);
    try {
      const response = await switchboard.chat({
        model: body.model,
        messages: body.messages,
        ...(body.max_tokens === undefined ? {} : { maxTokens: body.max_tokens }),
        ...(caller.budget === undefined ? {} : { budget: caller.budget }),
        ...(caller.tags === undefined ? {} : { tags: [...caller.tags] }),
      } as Parameters<Switchboard['chat']>[0]);
      reply.header('x-switchboard-provider', response.provider);
      reply.header('x-switchboard-cost-usd', String(response.cost?.total ?? 0));
      return {
        object: 'chat.completion',
        model: `${response.provider}/${response.model}`,
        choices: [{ index: 0, message: { role: 'assistant', content: response.text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: response.usage.inputTokens,
          completion_tokens: response.usage.outputTokens,
          total_tokens: response.usage.totalTokens,
        },
        cost: response.cost?.total ?? 0,
      };
    } finally {
      context.release(caller);
    }
  });
  return {
    app,
    keys,
    switchboard,
    close: async () => {
      await app.close();
      await switchboard.close();
      await store.close();
    },
  };
}
