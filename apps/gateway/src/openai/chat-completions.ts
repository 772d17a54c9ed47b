/**
 * `POST /v1/chat/completions` as one function of a `ModelExchange`, served the same by the fastify
 * route and the direct node:http path: authenticate the caller, translate the body (400 naming the
 * OpenAI field), resolve the model, call the switchboard with the caller's budget and tags, and
 * write OpenAI's answer (JSON, or SSE when `stream: true`) with the gateway's headers. A client that
 * goes away mid-call aborts the upstream request.
 */
import type { ChatRequest, ChatResponse, StreamEvent } from '@switchboard/core';
import type { Caller, GatewayContext } from '../context.js';
import { type ModelExchange, type ModelRoute, writeJson } from '../http/model-exchange.js';
import { COST_HEADER, modelResponseHeaders, OVERHEAD_HEADER } from '../http/response-headers.js';
import { SseBatch } from '../http/sse-batch.js';
import {
  abortOnDisconnect,
  applyCallerScope,
  callerOf,
  finishedCallHeaders,
  perGateway,
  requestedModel,
  resolveTarget,
  upstreamTime,
} from '../routes/model-call.js';
import { translateChatRequest } from './chat-request.js';
import { ChunkWriter, chatCompletion } from './chat-response.js';
import { renderOpenAIError } from './errors.js';

/** The chat completions route of a gateway (one per gateway, see `perGateway`). */
export const chatCompletionsRoute = perGateway(createChatCompletions);

function createChatCompletions(context: GatewayContext): ModelRoute {
  const sb = context.switchboard;
  const providerIds = sb.providers.map((provider) => provider.id);
  const openAIStyle = sb.providers
    .filter((provider) => 'descriptor' in provider && provider.descriptor.protocol === 'openai-chat')
    .map((provider) => provider.id);

  return async (exchange) => {
    let caller: Caller;
    try {
      const found = callerOf(context, exchange.headers, requestedModel(exchange.body));
      caller = found instanceof Promise ? await found : found;
    } catch (error) {
      writeOpenAIError(exchange, error);
      return;
    }
    try {
      const translated = translateChatRequest(exchange.body, openAIStyle, providerIds);
      const call = translated.request as ChatRequest & { model: string };
      call.model = resolveTarget(context, call.model);
      call.requestId = exchange.requestId;
      applyCallerScope(call, caller);
      const created = Math.floor(Date.now() / 1000);
      if (translated.stream) {
        await streamChat(context, exchange, call, translated.includeUsage, created);
        return;
      }
      call.signal = abortOnDisconnect(exchange.response);
      const response = await sb.chat(call);
      const json = JSON.stringify(chatCompletion(response, `chatcmpl-${exchange.requestId}`, created));
      writeJson(exchange, 200, finishedCallHeaders(exchange.requestId, exchange.startedAt, response), json);
    } catch (error) {
      writeOpenAIError(exchange, error);
    } finally {
      context.release(caller);
    }
  };
}

/** Writes an OpenAI error body with its status, unless the answer has begun. */
export function writeOpenAIError(exchange: ModelExchange, error: unknown): void {
  const rendered = renderOpenAIError(error);
  writeJson(exchange, rendered.status, rendered.headers, JSON.stringify(rendered.body));
}

/**
 * Streams one chat as OpenAI's SSE. An error before the first event is a normal JSON error with
 * its status (so SDKs raise their usual classes and a fallback stays invisible to the client); after
 * it, an `error` data event ends the stream. Cost and overhead are only known at the end: they are
 * sent as HTTP trailers, and the final chunk's `model` names who served.
 */
async function streamChat(
  context: GatewayContext,
  exchange: ModelExchange,
  call: ChatRequest & { model: string },
  includeUsage: boolean,
  created: number,
): Promise<void> {
  const raw = exchange.response;
  let stream: ReturnType<GatewayContext['switchboard']['stream']>;
  try {
    stream = context.switchboard.stream(call);
  } catch (error) {
    writeOpenAIError(exchange, error);
    return;
  }
  raw.once('close', () => {
    if (!raw.writableFinished) stream.abort(new Error('The client closed the connection'));
  });
  const requestId = exchange.requestId;
  const writer = new ChunkWriter(`chatcmpl-${requestId}`, created, call.model);
  // Events of one upstream read leave in one write (see SseBatch); the first one leaves at once.
  const batch = new SseBatch(raw);
  let started = false;
  let final: ChatResponse | undefined;
  try {
    for await (const event of stream as AsyncIterable<StreamEvent>) {
      if (raw.destroyed) break;
      if (event.type === 'error') {
        if (!started) writeOpenAIError(exchange, event.error);
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
          ...(exchange.baseHeaders as Record<string, string>),
          ...modelResponseHeaders({ requestId, ...describeTarget(context, call.model) }),
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
    if (!started) writeOpenAIError(exchange, error);
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
      requestId,
      overheadMs: performance.now() - exchange.startedAt - upstreamTime(final),
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
