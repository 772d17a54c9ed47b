/**
 * The catalog and operations API (EchoTune's routes): the catalog's models with filters, one model's
 * every fact, recommendations with scores and reasons, a live refresh of the providers' model lists,
 * provider status, the telemetry view (JSON, CSV, reset), Prometheus metrics, and liveness and
 * readiness probes. The explorer page and operators use it; the model APIs live in their own modules.
 *
 * Writes (refresh, telemetry reset) need the admin key (see `operations/admin-guard.ts`). Every error
 * is `{ error: { message, type, param } }`; the routes live in their own fastify scope so this error
 * format does not change the OpenAI and Anthropic routes'.
 */
import type {
  Catalog,
  ModelRecommendation,
  ProviderInput,
  RecommendModelsOptions,
  Switchboard,
  Telemetry,
} from '@switchboard/core';
import { ProviderNotFoundError, scrubString, UnknownCapabilityError } from '@switchboard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {
  HealthzResponse,
  ModelDetailsResponse,
  ModelListResponse,
  ProvidersResponse,
  RecommendResponse,
  RefreshResponse,
  TelemetryResetResponse,
  TelemetryResponse,
} from '../api-types.js';
import type { GatewayContext, GatewayRoutes } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { requireAdmin } from '../operations/admin-guard.js';
import { badParameter, toApiFailure } from '../operations/api-error.js';
import { parseModelQuery } from '../operations/model-query.js';
import { type ModelViewContext, modelDetails, modelSummary } from '../operations/model-view.js';
import { providerStatuses } from '../operations/provider-status.js';
import { readiness } from '../operations/readiness.js';
import { parseRecommendBody } from '../operations/recommend-body.js';
import { refreshRegistry } from '../operations/refresh-registry.js';
import { parseTelemetryQuery, telemetryReport } from '../operations/telemetry-report.js';
import { upstreamSecrets } from '../operations/upstream-secrets.js';

type Query = Record<string, string | string[] | undefined>;

/** The ids of the providers that have what a call needs. */
async function configuredProviders(switchboard: Switchboard): Promise<Set<string>> {
  const ids = (switchboard.providers as readonly ProviderInput[]).map((provider) => provider.id);
  const flags = await Promise.all(ids.map((id) => switchboard.configured(id)));
  return new Set(ids.filter((_, index) => flags[index] === true));
}

async function viewContext(switchboard: Switchboard): Promise<ModelViewContext> {
  const catalog: Catalog = switchboard.catalog;
  return { catalog, configured: await configuredProviders(switchboard) };
}

/**
 * Core's recommendations, with the errors of names in the body (an unknown capability or provider)
 * turned into 400s naming the body field, since the client sent them.
 */
function recommendWithFieldErrors(catalog: Catalog, options: RecommendModelsOptions): ModelRecommendation[] {
  try {
    return catalog.recommendModels(options);
  } catch (error) {
    if (error instanceof UnknownCapabilityError) {
      const field = options.features?.includes(error.capability) === true ? 'features' : 'capabilities';
      throw badParameter(field, error.message);
    }
    if (error instanceof ProviderNotFoundError) {
      const field = options.providers?.includes(error.providerId) === true ? 'providers' : 'provider';
      throw badParameter(field, error.message);
    }
    throw error;
  }
}

/** The telemetry, or a 503 saying it is off. */
function telemetryOf(switchboard: Switchboard): Telemetry {
  const telemetry = switchboard.telemetry;
  if (telemetry?.view === undefined)
    throw new GatewayError(503, 'Telemetry is off: enable `telemetry` in the gateway configuration', {
      type: 'unavailable_error',
    });
  return telemetry;
}

/** Registers the operations routes on `app` in a scope of their own. */
export const operationsRoutes: GatewayRoutes = async (app: FastifyInstance, context: GatewayContext) => {
  const { switchboard, store, settings } = context;
  const scrub = (text: string) => scrubString(text, upstreamSecrets(switchboard));
  const startedAt = Date.now();

  await app.register(async (scope) => {
    scope.setErrorHandler((error, _request, reply) => {
      const failure = toApiFailure(error, upstreamSecrets(switchboard), { provider: 'provider', model: 'model' });
      return reply.code(failure.status).send(failure.body);
    });

    scope.get('/api/models', async (request): Promise<ModelListResponse> => {
      const filter = parseModelQuery(request.query as Query, switchboard.catalog);
      const view = await viewContext(switchboard);
      const data = view.catalog.findModels(filter).map((model) => modelSummary(model, view));
      return { object: 'list', data, total: data.length };
    });

    scope.get('/api/models/:provider/*', async (request): Promise<ModelDetailsResponse> => {
      const { provider, '*': modelId } = request.params as { provider: string; '*': string };
      const view = await viewContext(switchboard);
      if (view.catalog.getProvider(provider) === undefined)
        throw new GatewayError(
          404,
          `Unknown provider ${JSON.stringify(provider)}; installed: ${view.catalog.providers.map((entry) => entry.id).join(', ')}`,
          {
            type: 'not_found_error',
            param: 'provider',
          },
        );
      if (modelId === '') throw badParameter('model', 'The path names no model: use /api/models/{provider}/{model}');
      const model = view.catalog.requireModel({ provider, model: modelId });
      return modelDetails(model, view);
    });

    scope.post('/api/models/recommend', async (request): Promise<RecommendResponse> => {
      const options = parseRecommendBody(request.body);
      const data = recommendWithFieldErrors(switchboard.catalog, options).map((recommendation) => ({
        ref: recommendation.model.ref,
        provider: recommendation.model.provider,
        id: recommendation.model.id,
        name: recommendation.model.name,
        score: recommendation.score,
        reasons: recommendation.reasons,
        quality: recommendation.quality,
        speed: recommendation.speed,
        blendedPricePer1M: recommendation.blendedPricePer1M ?? null,
        contextWindow: recommendation.model.limits.context,
      }));
      return { object: 'list', data };
    });

    scope.post('/api/models/refresh', async (request): Promise<RefreshResponse> => {
      requireAdmin(request, settings);
      return refreshRegistry(switchboard, scrub);
    });

    scope.get('/api/providers', async (): Promise<ProvidersResponse> => providerStatuses(switchboard, scrub));

    scope.get('/api/telemetry', async (request): Promise<TelemetryResponse> => {
      const query = parseTelemetryQuery(request.query as Query);
      return telemetryReport(telemetryOf(switchboard).snapshot(), query);
    });

    scope.get('/api/telemetry/export', async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Query;
      for (const name of Object.keys(query))
        if (name !== 'format')
          throw badParameter(name, `Unknown query parameter ${JSON.stringify(name)}; the export takes format`);
      const format = query.format ?? 'json';
      if (format !== 'json' && format !== 'csv')
        throw badParameter('format', `Query parameter format must be json or csv, got ${JSON.stringify(format)}`);
      const telemetry = telemetryOf(switchboard);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      reply.header('content-disposition', `attachment; filename="switchboard-telemetry-${stamp}.${format}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(scrub(telemetry.toCSV()));
      return reply.type('application/json; charset=utf-8').send(scrub(JSON.stringify(telemetry.snapshot())));
    });

    scope.post('/api/telemetry/reset', async (request): Promise<TelemetryResetResponse> => {
      requireAdmin(request, settings);
      telemetryOf(switchboard).view?.reset();
      return { reset: true, at: Date.now() };
    });

    scope.get('/metrics', async (_request, reply) => {
      const telemetry = switchboard.telemetry;
      if (telemetry?.registry === undefined)
        throw new GatewayError(503, 'Metrics are off: enable telemetry with metrics (and install prom-client)', {
          type: 'unavailable_error',
        });
      const text = await telemetry.metrics();
      return reply.type(telemetry.registry.contentType).send(scrub(text));
    });

    scope.get(
      '/healthz',
      async (): Promise<HealthzResponse> => ({
        status: 'ok',
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      }),
    );

    scope.get('/readyz', async (_request, reply) => {
      const answer = await readiness(switchboard, store, scrub);
      return reply.code(answer.status === 'ready' ? 200 : 503).send(answer);
    });
  });
};
