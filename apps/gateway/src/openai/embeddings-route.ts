/**
 * `POST /v1/embeddings` as one function of a `ModelExchange` (shared by the fastify route and the
 * direct node:http path): authenticate, translate (400 naming the field), resolve the model, embed
 * with the caller's budget and tags, and answer OpenAI's list (floats or base64) with the gateway's headers.
 */
import type { EmbedRequest } from '@switchboard/core';
import type { Caller, GatewayContext } from '../context.js';
import { type ModelRoute, writeJson } from '../http/model-exchange.js';
import {
  abortOnDisconnect,
  applyCallerScope,
  callerOf,
  finishedCallHeaders,
  perGateway,
  requestedModel,
  resolveTarget,
} from '../routes/model-call.js';
import { writeOpenAIError } from './chat-completions.js';
import { embeddingList, translateEmbedRequest } from './embeddings.js';

/** The embeddings route of a gateway (one per gateway, see `perGateway`). */
export const embeddingsRoute = perGateway(createEmbeddings);

function createEmbeddings(context: GatewayContext): ModelRoute {
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
      const translated = translateEmbedRequest(exchange.body);
      const call: EmbedRequest = {
        ...translated.request,
        model: resolveTarget(context, translated.request.model),
        requestId: exchange.requestId,
        signal: abortOnDisconnect(exchange.response),
      };
      applyCallerScope(call as { budget?: string; tags?: string[] }, caller);
      const response = await context.switchboard.embed(call);
      const json = JSON.stringify(embeddingList(response, translated.base64));
      writeJson(exchange, 200, finishedCallHeaders(exchange.requestId, exchange.startedAt, response), json);
    } catch (error) {
      writeOpenAIError(exchange, error);
    } finally {
      context.release(caller);
    }
  };
}
