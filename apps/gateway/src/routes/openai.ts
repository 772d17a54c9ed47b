/**
 * The OpenAI-compatible API: `POST /v1/chat/completions` (JSON and SSE), `POST /v1/embeddings`,
 * `GET /v1/models` and `GET /v1/models/{id}`. Each model route authenticates the caller, translates
 * the body (400 naming the OpenAI field), resolves aliases, calls the one switchboard with the
 * caller's budget and tags, and answers in OpenAI's shapes with the gateway's headers. A client
 * that goes away mid-call aborts the upstream request.
 */
import type { ServerResponse } from 'node:http';
import type { ChatResponse, EmbedResponse, ModelInfo, StreamEvent } from '@switchboard/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, GatewayContext, GatewayRoutes } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { COST_HEADER, modelResponseHeaders, OVERHEAD_HEADER } from '../http/response-headers.js';
import { SseBatch } from '../http/sse-batch.js';
import { translateChatRequest } from '../openai/chat-request.js';
import { ChunkWriter, chatCompletion } from '../openai/chat-response.js';
import { embeddingList, translateEmbedRequest } from '../openai/embeddings.js';
import { renderOpenAIError } from '../openai/errors.js';
import { openAIModel, openAIModelList } from '../openai/models.js';

/** Header counting the attempts a call made (retries and fallbacks), so a fallback is visible. */
export const ATTEMPTS_HEADER = 'x-switchboard-attempts';

/** The content type of the JSON answers this module serializes itself. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const openAIRoutes: GatewayRoutes = async (app, context) => {
  const sb = context.switchboard;
  const providerIds = sb.providers.map((provider) => provider.id);
  const openAIStyle = sb.providers
    .filter((provider) => 'descriptor' in provider && provider.descriptor.protocol === 'openai-chat')
    .map((provider) => provider.id);

  app.post('/v1/chat/completions', async (request, reply) => {
    const startedAt = performance.now() - reply.elapsedTime;
    // Without keys the caller is known at once: no promise to await (one fewer hop per request).
    const caller =
      context.anonymous?.(request.headers) ??
      (await context.authenticate(request.headers, requestedModel(request.body)));
    let releaseNow = true;
    try {
      const translated = translateChatRequest(request.body, openAIStyle, providerIds);
      const model = resolveTarget(context, translated.request.model);
      const call = { ...translated.request, model, requestId: request.id, ...callerScope(caller) };
      const created = Math.floor(Date.now() / 1000);
      if (translated.stream) {
        releaseNow = false;
        reply.hijack();
        void streamChat(context, request, reply, call, translated.includeUsage, created, startedAt).finally(() =>
          context.release(caller),
        );
        return reply;
      }
      const controller = abortOnDisconnect(reply.raw);
      const response = await sb.chat({ ...call, signal: controller.signal });
      reply.headers(responseHeaders(request.id, startedAt, response));
      // Serialized here with its content type set, so fastify sends the string as it is (no
      // pre-serialization hook chain and serializer lookup per answer).
      reply.header('content-type', JSON_CONTENT_TYPE);
      return JSON.stringify(chatCompletion(response, `chatcmpl-${request.id}`, created));
    } finally {
      if (releaseNow) context.release(caller);
    }
  });

  app.post('/v1/embeddings', async (request, reply) => {
    const startedAt = performance.now() - reply.elapsedTime;
    const caller = await context.authenticate(request.headers, requestedModel(request.body));
    try {
      const translated = translateEmbedRequest(request.body);
      const model = resolveTarget(context, translated.request.model);
      const controller = abortOnDisconnect(reply.raw);
      const response = await sb.embed({
        ...translated.request,
        model,
        requestId: request.id,
        signal: controller.signal,
        ...callerScope(caller),
      });
      reply.headers(responseHeaders(request.id, startedAt, response));
      return embeddingList(response, translated.base64);
    } finally {
      context.release(caller);
    }
  });

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

/** The body's `model` when it is a string (for authentication, before validation). */
function requestedModel(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | null | undefined)?.model;
  return typeof model === 'string' ? model : undefined;
}

/** The caller's budget key and tags as switchboard call fields. */
function callerScope(caller: Caller): { budget?: string; tags?: string[] } {
  const scope: { budget?: string; tags?: string[] } = {};
  if (caller.budget !== undefined) scope.budget = caller.budget;
  if (caller.tags !== undefined) scope.tags = [...caller.tags];
  return scope;
}

/** Names `resolveTarget` accepted, per gateway: requested name -> the name to call. */
const acceptedTargets = new WeakMap<GatewayContext, Map<string, string>>();
/** Most accepted names remembered per gateway (clients choose the names; the map starts over past it). */
const ACCEPTED_TARGETS_MAX = 1024;

/**
 * An alias's target, a group name as is, or a `provider/model` whose provider is installed; anything
 * else is a 404 naming `model` before any upstream is called. An accepted name is remembered: the
 * aliases, groups and providers of a gateway are fixed once it is built, and a model a client asks
 * for once it asks for on every request (no alias lookup, group regular expression and resolution
 * each time).
 */
export function resolveTarget(context: GatewayContext, requested: string): string {
  let accepted = acceptedTargets.get(context);
  if (accepted === undefined) {
    accepted = new Map();
    acceptedTargets.set(context, accepted);
  }
  const known = accepted.get(requested);
  if (known !== undefined) return known;
  const name = checkTarget(context, requested);
  if (accepted.size >= ACCEPTED_TARGETS_MAX) accepted.clear();
  accepted.set(requested, name);
  return name;
}

/** `resolveTarget` without the memory: the name to call, or the 404. */
function checkTarget(context: GatewayContext, requested: string): string {
  const name = context.resolveModelName?.(requested) ?? requested;
  const groups = context.config?.groups;
  if (groups !== undefined && (Object.hasOwn(groups, name) || Object.hasOwn(groups, name.replace(/^group:/, ''))))
    return name;
  try {
    context.switchboard.resolveModel(name);
  } catch {
    throw new GatewayError(
      404,
      `The model '${requested}' does not exist: use '<provider>/<model>' of a configured provider, an alias or a group`,
      { param: 'model', code: 'model_not_found' },
    );
  }
  return name;
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

/** An AbortController aborted when the client closes the connection before the answer is written. */
function abortOnDisconnect(raw: ServerResponse): AbortController {
  const controller = new AbortController();
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort(new Error('The client closed the connection'));
  });
  return controller;
}

/** The gateway headers of a finished call, plus how many attempts it took. */
function responseHeaders(
  requestId: string,
  startedAt: number,
  response: ChatResponse | EmbedResponse,
): Record<string, string> {
  const upstreamMs = upstreamTime(response);
  const headers = modelResponseHeaders({
    requestId,
    provider: response.provider,
    model: response.model,
    overheadMs: performance.now() - startedAt - upstreamMs,
    ...(response.cost === undefined ? {} : { costUsd: response.cost.total }),
  });
  headers[ATTEMPTS_HEADER] = String(response.attempts?.length ?? 1);
  return headers;
}

/** Time spent waiting on providers: the attempts' latencies when core recorded them, else the call's. */
function upstreamTime(response: ChatResponse | EmbedResponse): number {
  const attempts = response.attempts;
  if (attempts === undefined || attempts.length === 0) return response.latencyMs;
  let total = 0;
  for (const attempt of attempts) total += attempt.latencyMs;
  return Math.min(total, response.latencyMs);
}

/**
 * Streams one chat as OpenAI's SSE. An error before the first event is a normal JSON error with
 * its status (so SDKs raise their usual classes and a fallback stays invisible to the client); after
 * it, an `error` data event ends the stream. Cost and overhead are only known at the end: they are
 * sent as HTTP trailers, and the final chunk's `model` names who served.
 */
async function streamChat(
  context: GatewayContext,
  request: FastifyRequest,
  reply: FastifyReply,
  call: Parameters<GatewayContext['switchboard']['stream']>[0],
  includeUsage: boolean,
  created: number,
  startedAt: number,
): Promise<void> {
  const raw = reply.raw;
  let stream: ReturnType<GatewayContext['switchboard']['stream']>;
  try {
    stream = context.switchboard.stream(call);
  } catch (error) {
    writeError(reply, error);
    return;
  }
  raw.once('close', () => {
    if (!raw.writableFinished) stream.abort(new Error('The client closed the connection'));
  });
  const target = describeTarget(context, String(call.model));
  const writer = new ChunkWriter(`chatcmpl-${request.id}`, created, String(call.model));
  // Events of one upstream read leave in one write (see SseBatch); the first one leaves at once.
  const batch = new SseBatch(raw);
  let started = false;
  let final: ChatResponse | undefined;
  try {
    for await (const event of stream as AsyncIterable<StreamEvent>) {
      if (raw.destroyed) break;
      if (event.type === 'error') {
        if (!started) writeError(reply, event.error);
        else {
          batch.flush();
          raw.end(`data: ${JSON.stringify(renderOpenAIError(event.error).body)}\n\n`);
        }
        return;
      }
      const first = !started;
      if (first) {
        started = true;
        raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          ...modelResponseHeaders({ requestId: request.id, ...target }),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          trailer: `${COST_HEADER}, ${OVERHEAD_HEADER}`,
        });
      }
      const payloads = writer.write(event);
      for (let i = 0; i < payloads.length; i += 1) batch.push(`data: ${payloads[i]}\n\n`);
      if (first) batch.flush();
      if (event.type === 'finish') {
        final = event.response;
        if (includeUsage) batch.push(`data: ${writer.usage(event.usage, event.cost)}\n\n`);
      }
    }
  } catch (error) {
    if (!started) writeError(reply, error);
    else if (!raw.destroyed) {
      batch.flush();
      raw.end(`data: ${JSON.stringify(renderOpenAIError(error).body)}\n\n`);
    }
    return;
  }
  if (raw.destroyed) return;
  batch.push('data: [DONE]\n\n');
  batch.flush();
  if (final !== undefined) {
    const trailers = modelResponseHeaders({
      requestId: request.id,
      overheadMs: performance.now() - startedAt - upstreamTime(final),
      ...(final.cost === undefined ? {} : { costUsd: final.cost.total }),
    });
    raw.addTrailers({
      [OVERHEAD_HEADER]: trailers[OVERHEAD_HEADER] ?? '0',
      [COST_HEADER]: trailers[COST_HEADER] ?? '',
    });
  }
  raw.end();
}

/** Provider and model a stream is sent to (its first target), for the headers sent before the answer. */
function describeTarget(context: GatewayContext, model: string): { provider?: string; model?: string } {
  try {
    const resolved = context.switchboard.resolveModel(model);
    return { provider: resolved.provider.id, model: resolved.modelId };
  } catch {
    return {}; // a group: the final chunk's `model` says which deployment served
  }
}

/** Writes an OpenAI error on a hijacked reply whose headers are not sent yet. */
function writeError(reply: FastifyReply, error: unknown): void {
  const raw = reply.raw;
  if (raw.headersSent || raw.destroyed) return;
  const rendered = renderOpenAIError(error);
  raw.writeHead(rendered.status, {
    ...(reply.getHeaders() as Record<string, string>),
    ...rendered.headers,
    'content-type': 'application/json; charset=utf-8',
  });
  raw.end(JSON.stringify(rendered.body));
}
