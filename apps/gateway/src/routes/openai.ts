/**
 * The OpenAI-compatible API: `POST /v1/chat/completions` (JSON and SSE), `POST /v1/embeddings`,
 * `GET /v1/models` and `GET /v1/models/{id}`. The two model routes are `ModelRoute`s
 * (`openai/chat-completions.ts`, `openai/embeddings-route.ts`) that the direct node:http path serves
 * too; registered here they answer what the direct path leaves to fastify (other content types,
 * `app.inject`), with the same code.
 */
import type { ModelInfo } from '@switchboard/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext, GatewayRoutes } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import type { ModelRoute } from '../http/model-exchange.js';
import { chatCompletionsRoute } from '../openai/chat-completions.js';
import { embeddingsRoute } from '../openai/embeddings-route.js';
import { openAIModel, openAIModelList } from '../openai/models.js';

export { ATTEMPTS_HEADER, resolveTarget } from './model-call.js';

export const openAIRoutes: GatewayRoutes = async (app, context) => {
  const sb = context.switchboard;
  const chat = chatCompletionsRoute(context);
  const embeddings = embeddingsRoute(context);
  app.post('/v1/chat/completions', (request, reply) => serveHijacked(chat, request, reply));
  app.post('/v1/embeddings', (request, reply) => serveHijacked(embeddings, request, reply));

  app.get('/v1/models', async () => openAIModelList(await configuredModels(context)));

  app.get('/v1/models/*', async (request) => {
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const name = context.resolveModelName?.(id) ?? id;
    const ref = (name.includes('/') ? sb.catalog.getModel(name)?.ref : undefined) ?? name;
    const found = (await configuredModels(context)).find((model) => model.ref === ref);
    if (found === undefined) {
      throw new GatewayError(404, `The model '${id}' does not exist or its provider is not configured`, {
        param: 'model',
        code: 'model_not_found',
      });
    }
    return openAIModel(found);
  });
};

/**
 * Hands a fastify request to a model route, which writes the answer on the raw response itself
 * (fastify's reply is hijacked; the headers its hooks set, the request id and CORS, go along).
 */
export function serveHijacked(route: ModelRoute, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const startedAt = performance.now() - reply.elapsedTime;
  reply.hijack();
  return route({
    requestId: request.id,
    headers: request.headers,
    body: request.body,
    response: reply.raw,
    startedAt,
    baseHeaders: reply.getHeaders() as Record<string, string>,
  });
}

/** Catalog models of the providers that are configured (key and parameters present). */
async function configuredModels(context: GatewayContext): Promise<ModelInfo[]> {
  const sb = context.switchboard;
  const configured = await Promise.all(
    sb.providers.map(async (provider) => [provider.id, await sb.configured(provider.id)] as const),
  );
  const ids = new Set(configured.filter(([, ok]) => ok).map(([id]) => id));
  return sb.catalog.listModels().filter((model) => ids.has(model.provider));
}
