/**
 * The Anthropic-compatible API: `POST /v1/messages` (JSON, or server-sent events with Anthropic's
 * event names when `stream: true`) and `POST /v1/messages/count_tokens`, routed through the
 * switchboard to any provider, so the Anthropic SDK and the tools built on it can use every model
 * (`provider/model` ids, aliases, groups). The `model` field of the answer echoes what the client
 * sent; the model that served is in `x-switchboard-model`. Each request authenticates first
 * (`x-api-key` or a bearer token), carries the caller's budget and tags into the call, and releases
 * its slot when it ends; a client that goes away mid-answer aborts the upstream call.
 *
 * Registered in its own fastify scope so its error handler (Anthropic's error body) governs only
 * these routes, whichever way the server mounts the module. `/v1/messages` is a `ModelRoute` that
 * writes its own answers and errors, so the direct node:http path (`http/direct-routes.ts`) serves
 * it too; the request id is the client's `x-request-id` when it is sane, as on the OpenAI routes.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ChatRequest, ChatStream, StreamEvent, Switchboard } from '@switchboard/core';
import type { FastifyRequest } from 'fastify';
import { renderAnthropicError } from '../anthropic/errors.js';
import { readRequestHead, type TranslationTarget, toChatRequest } from '../anthropic/request.js';
import { messageId, toAnthropicMessage } from '../anthropic/response.js';
import { AnthropicStreamEncoder } from '../anthropic/stream.js';
import type { Caller, GatewayContext, GatewayRoutes } from '../context.js';
import { type ModelExchange, type ModelRoute, writeJson } from '../http/model-exchange.js';
import { COST_HEADER, modelResponseHeaders, responseFacts } from '../http/response-headers.js';
import { SseBatch } from '../http/sse-batch.js';
import { abortOnDisconnect, callerOf, perGateway, resolveTarget } from './model-call.js';
import { serveHijacked } from './openai.js';

/** Which provider (and protocol) a model reference goes to, when it names one; a group names none. */
function targetOf(switchboard: Switchboard, model: string): TranslationTarget & { modelId?: string } {
  try {
    const resolved = switchboard.resolveModel(model);
    return {
      providerId: resolved.provider.id,
      protocol: resolved.provider.definition?.descriptor.protocol,
      modelId: resolved.modelId,
    };
  } catch {
    return {};
  }
}

/** The model the client named, read loosely before authentication (validation comes after). */
function modelField(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : undefined;
}

/** The call as the caller may make it: its budget and tags, this request's id, an abort on disconnect. */
function callFor(chat: ChatRequest, caller: Caller, requestId: string, signal: AbortSignal): ChatRequest {
  chat.requestId = requestId;
  chat.signal = signal;
  if (caller.budget !== undefined) chat.budget = caller.budget;
  if (caller.tags !== undefined) chat.tags = [...caller.tags];
  return chat;
}

export const anthropicRoutes: GatewayRoutes = async (app, context) => {
  await app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const rendered = renderAnthropicError(error);
      void reply
        .code(rendered.status)
        .headers({ ...rendered.headers, 'x-request-id': request.id })
        .send(rendered.body);
    });
    const options = { bodyLimit: context.settings.bodyLimitBytes };
    const messages = messagesRoute(context);
    scope.post('/v1/messages', options, (request, reply) => serveHijacked(messages, request, reply));
    scope.post('/v1/messages/count_tokens', options, (request) => countTokens(context, request));
  });
};

/** `POST /v1/messages` of a gateway as a `ModelRoute` (served by fastify and the direct path alike). */
export const messagesRoute = perGateway(
  (context): ModelRoute =>
    (exchange) =>
      messages(context, exchange),
);

/** Writes an Anthropic error body with its status, unless the answer has begun. */
export function writeAnthropicError(exchange: ModelExchange, error: unknown): void {
  const rendered = renderAnthropicError(error);
  writeJson(exchange, rendered.status, rendered.headers, JSON.stringify(rendered.body));
}

async function messages(context: GatewayContext, exchange: ModelExchange): Promise<void> {
  const { requestId, startedAt, body } = exchange;
  let caller: Caller;
  try {
    const found = callerOf(context, exchange.headers, modelField(body));
    caller = found instanceof Promise ? await found : found;
  } catch (error) {
    writeAnthropicError(exchange, error);
    return;
  }
  try {
    const head = readRequestHead(body);
    // An alias's target, a group as is; an unknown provider is a 404 before any upstream call.
    const model = resolveTarget(context, head.model);
    const target = targetOf(context.switchboard, model);
    const signal = abortOnDisconnect(exchange.response);
    const chat = callFor(toChatRequest(body, target), caller, requestId, signal);
    chat.model = model;
    if (head.stream) {
      await streamMessage(context.switchboard.stream(chat), { head, target, exchange, signal });
      return;
    }
    const response = await context.switchboard.chat(chat);
    const json = JSON.stringify(toAnthropicMessage(response, head.model));
    writeJson(exchange, 200, modelResponseHeaders(responseFacts(requestId, startedAt, response)), json);
  } catch (error) {
    writeAnthropicError(exchange, error);
  } finally {
    context.release(caller);
  }
}

interface StreamSetting {
  head: { model: string };
  target: { providerId?: string; modelId?: string };
  exchange: ModelExchange;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * Streams one answer. The first event is awaited before any byte is written, so a call refused up
 * front (unknown model, a 429 after retries) still gets its HTTP status and error body; after that
 * a failure is an `event: error`. Back-pressure: a slow client pauses the reading of the upstream.
 */
async function streamMessage(stream: ChatStream, setting: StreamSetting): Promise<void> {
  const { exchange, signal } = setting;
  signal.addEventListener('abort', () => stream.abort(signal.reason), { once: true });
  const iterator = stream[Symbol.asyncIterator]();
  const upstreamStarted = performance.now();
  let result: IteratorResult<StreamEvent> = await iterator.next();
  const firstEventMs = performance.now() - upstreamStarted;
  if (!result.done && result.value.type === 'error') throw result.value.error;

  const raw = exchange.response;
  raw.writeHead(200, {
    // The request id and CORS, as every answer to this request carries them.
    ...(exchange.baseHeaders as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    trailer: COST_HEADER,
    ...modelResponseHeaders({
      requestId: exchange.requestId,
      provider: setting.target.providerId,
      model: setting.target.modelId,
      overheadMs: performance.now() - exchange.startedAt - firstEventMs,
    }),
  });
  const encoder = new AnthropicStreamEncoder(messageId(), setting.head.model);
  // Frames of one upstream read leave in one write (see SseBatch); the start and first event at once.
  const batch = new SseBatch(raw);
  let costUsd: number | undefined;
  try {
    batch.push(encoder.start());
    let first = true;
    while (!result.done && !signal.aborted) {
      const event = result.value;
      if (event.type === 'finish' && event.cost !== undefined) costUsd = event.cost.total;
      const frames = encoder.encode(event);
      if (frames !== '') batch.push(frames);
      if (first) {
        first = false;
        batch.flush();
      }
      // Back-pressure: a batch the client has not taken yet pauses the reading of the upstream.
      if (raw.writableNeedDrain && !raw.destroyed) await drained(raw);
      result = await iterator.next();
    }
  } catch (error) {
    if (!raw.destroyed) {
      batch.flush();
      await write(raw, encoder.error(error)).catch(() => undefined);
    }
  } finally {
    batch.flush();
    if (!raw.destroyed) {
      if (costUsd !== undefined)
        raw.addTrailers({ [COST_HEADER]: modelResponseHeaders({ requestId: '', costUsd })[COST_HEADER] ?? '' });
      raw.end();
    } else {
      // The client left: stop reading the upstream and let core settle the stream.
      stream.abort(signal.reason);
      await iterator.return?.(undefined);
    }
  }
}

/** Writes frames, waiting for the socket to drain when its buffer is full (or for it to close). */
async function write(raw: ServerResponse, frames: string): Promise<void> {
  if (raw.destroyed || frames === '') return;
  if (raw.write(frames)) return;
  await drained(raw);
}

/** Resolves when the response's buffer drained or the response closed. */
async function drained(raw: ServerResponse): Promise<void> {
  await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}

/**
 * `POST /v1/messages/count_tokens`: core's token estimate of the prompt (exact for OpenAI models
 * through their tokenizer, about four characters a token elsewhere) with the tools' schemas counted
 * as text. `max_tokens` is not required here, as with Anthropic.
 */
async function countTokens(context: GatewayContext, request: FastifyRequest): Promise<{ input_tokens: number }> {
  const caller = await context.authenticate(request.headers, modelField(request.body));
  try {
    const body = request.body as Record<string, unknown> | null;
    const head = readRequestHead(body);
    const chat = toChatRequest({ ...body, max_tokens: 1, stream: undefined });
    const catalog = context.switchboard.catalog;
    const model = context.resolveModelName?.(head.model) ?? head.model;
    let tokens = catalog.countTokens(chat.messages, model).tokens;
    if (chat.tools !== undefined) tokens += catalog.countTokens(JSON.stringify(chat.tools), model).tokens;
    return { input_tokens: tokens };
  } finally {
    context.release(caller);
  }
}
