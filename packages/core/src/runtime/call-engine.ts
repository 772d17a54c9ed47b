/**
 * Runs one prepared call against a provider definition: over HTTP through its protocol adapter, or
 * in-process for the `mock` protocol. Chat, stream, embeddings and model listing share the context,
 * transport and error handling here.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { ProtocolAdapter, ProtocolStreamEvent, StreamDecoder } from '../protocols/adapter.js';
import { mockChat, mockEmbed, mockStream } from '../protocols/mock/mock-protocol.js';
import { getProtocolAdapter } from '../protocols/registry.js';
import { invalidResponse } from '../protocols/shared/invalid-response.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedEmbedRequest,
  ProtocolChatResult,
} from '../types/protocol.js';
import type { ProviderDefinition } from '../types/provider.js';
import type { ListedModel } from '../types/requests.js';
import { type CallSignal, toTransportError } from './call-signal.js';
import { decorateError, readJsonBody, sendForJson, sendHttp } from './http-call.js';
import { finalizeRequest } from './http-request.js';
import { type IdleWatch, watchIdle } from './idle-timeout.js';
import { openStreamDecoder } from './stream-body.js';
import { createFetchTransport, type Transport } from './transport.js';

/** Executes calls for one provider and model. */
export interface CallEngine {
  readonly ctx: CallContext;
  chat(request: PreparedChatRequest, call: CallSignal, headers?: Record<string, string>): Promise<ProtocolChatResult>;
  /** `idle`: the stream's idle watch, run inside the body loop (see `idle-timeout.ts`). */
  stream(
    request: PreparedChatRequest,
    call: CallSignal,
    headers?: Record<string, string>,
    idle?: IdleWatch,
  ): Promise<AsyncIterable<ProtocolStreamEvent[]> & { fromCache?: 'test' }>;
  embed(
    request: PreparedEmbedRequest,
    call: CallSignal,
  ): Promise<{ embeddings: number[][]; inputTokens: number; raw: unknown; fromCache?: 'test' }>;
  listModels(call: CallSignal): Promise<ListedModel[]>;
}

/**
 * Decodes the body into event batches. The idle watch runs inline: its clock runs while the loop
 * waits for the provider and stops while the consumer holds a batch (see `idle-timeout.ts`).
 */
async function* httpEvents(
  body: AsyncIterable<Uint8Array>,
  decoder: StreamDecoder,
  ctx: CallContext,
  call: CallSignal,
  idle: IdleWatch | undefined,
): AsyncGenerator<ProtocolStreamEvent[]> {
  try {
    idle?.wait();
    try {
      let first = true;
      for await (const chunk of body) {
        if (first) {
          // Until the first event leaves, the read is decoded line by line (see `firstEvents`).
          const early = firstEvents(decoder, chunk);
          if (early === undefined) continue;
          // Only metadata so far (the whole read was looked at): the next read is cut the same way.
          first = !reachesCaller(early.events);
          idle?.pause();
          yield early.events;
          idle?.wait();
          if (early.rest === undefined) continue;
          const events = decoder.push(early.rest);
          if (events.length > 0) {
            idle?.pause();
            yield events;
            idle?.wait();
          }
          continue;
        }
        const events = decoder.push(chunk);
        if (events.length > 0) {
          idle?.pause();
          yield events;
          idle?.wait();
        }
      }
    } catch (error) {
      throw decorateError(toTransportError(error, call, { provider: ctx.descriptor.id, model: ctx.modelId }), ctx);
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    idle?.stop();
  }
}

/** Line feeds looked at for the first event before the rest of a read is decoded at once. */
const FIRST_EVENT_LINES = 64;

/**
 * True when a batch holds an event the caller sees (a delta) or that ends the stream. A provider's
 * first message often carries only its id and model (OpenAI's `role: 'assistant'` chunk): a
 * metadata event the caller never sees, so the first token is still to come.
 */
export function reachesCaller(events: readonly ProtocolStreamEvent[]): boolean {
  for (const event of events) {
    const type = event.type;
    if (type !== 'metadata' && type !== 'usage' && type !== 'reasoning-block') return true;
  }
  return false;
}

/**
 * Decodes the start of a read up to the first line that completes an event the caller sees (see
 * `reachesCaller`), and returns the events so far with the bytes not decoded yet (undefined when the
 * whole read gave no event). A fast upstream sends hundreds of messages in its first read; decoding
 * them all before yielding the first token put their whole cost in front of it. Cut at line feeds
 * (the decoders are incremental, so any cut is safe), and only until that event: the rest of the
 * stream keeps its one push per read.
 */
export function firstEvents(
  decoder: StreamDecoder,
  chunk: Uint8Array,
): { events: ProtocolStreamEvent[]; rest: Uint8Array | undefined } | undefined {
  let from = 0;
  let events: ProtocolStreamEvent[] | undefined;
  for (let lines = 0; lines < FIRST_EVENT_LINES && from < chunk.length; lines += 1) {
    const lineFeed = chunk.indexOf(10, from);
    if (lineFeed < 0) break;
    const decoded = decoder.push(chunk.subarray(from, lineFeed + 1));
    from = lineFeed + 1;
    if (decoded.length === 0) continue;
    if (events === undefined) events = decoded;
    else for (const event of decoded) events.push(event);
    if (reachesCaller(decoded)) return { events, rest: from < chunk.length ? chunk.subarray(from) : undefined };
  }
  if (from < chunk.length) {
    const decoded = decoder.push(from === 0 ? chunk : chunk.subarray(from));
    if (events === undefined) events = decoded;
    else for (const event of decoded) events.push(event);
  }
  return events === undefined || events.length === 0 ? undefined : { events, rest: undefined };
}

/**
 * Pages of a models list followed before the list is declared endless: Gemini pages 1000 models at
 * most, so 50 pages is far beyond any real catalog, and a server that keeps sending a next-page token
 * (the same one, or a new one each time) fails the call instead of looping forever.
 */
export const MAX_MODEL_PAGES = 50;

/** Sends the models request and every next page the adapter asks for, concatenating the models. */
async function listModelPages(
  adapter: ProtocolAdapter,
  ctx: CallContext,
  transport: Transport,
  call: CallSignal,
): Promise<ListedModel[]> {
  const parse = adapter.parseModels as NonNullable<ProtocolAdapter['parseModels']>;
  let request = (adapter.listModelsRequest as NonNullable<ProtocolAdapter['listModelsRequest']>)(ctx);
  const models: ListedModel[] = [];
  for (let page = 1; ; page++) {
    const spec = await finalizeRequest(ctx, request, adapter);
    const response = await sendHttp(transport, adapter, ctx, spec, call);
    const previous = request;
    const next = await readJsonBody(response, ctx, call, (body) => {
      models.push(...parse(ctx, body));
      return adapter.nextModelsRequest?.(ctx, body, previous);
    });
    if (next === undefined) return models;
    if (page >= MAX_MODEL_PAGES)
      throw invalidResponse(ctx, `the models list still had a next page after ${MAX_MODEL_PAGES} pages`, {
        status: response.status,
      });
    request = next;
  }
}

function mockEngine(ctx: CallContext, definition: ProviderDefinition): CallEngine {
  const guard = async <T>(call: CallSignal, run: () => Promise<T>): Promise<T> => {
    if (call.signal?.aborted)
      throw toTransportError(call.signal.reason, call, { provider: ctx.descriptor.id, model: ctx.modelId });
    return run();
  };
  return {
    ctx,
    chat: (request, call) => guard(call, () => mockChat(ctx, request)),
    stream: async (request, call, _headers, idle) => {
      const events = mockStream(ctx, request, call.signal);
      return idle === undefined ? events : watchIdle(events, idle);
    },
    embed: (request, call) => guard(call, () => mockEmbed(ctx, request.input, request.dimensions)),
    listModels: async () =>
      definition.models.map((model) => {
        const listed: ListedModel = {
          id: model.id,
          provider: definition.id,
          name: model.name,
          contextWindow: model.limits.context,
          raw: model,
        };
        if (model.pricing !== undefined) listed.pricing = { input: model.pricing.input, output: model.pricing.output };
        return listed;
      }),
  };
}

/** Engines built per context and transport: a context is reused while its inputs do not change. */
const engines = new WeakMap<
  CallContext,
  { transport: Transport; definition: ProviderDefinition; engine: CallEngine }
>();

/**
 * Creates the engine for a call (or returns the one already built for this context and transport). Resolving the context reads the key and parameters, so a missing
 * key throws ConfigurationError here, before any request.
 */
export function createCallEngine(
  definition: ProviderDefinition,
  ctx: CallContext,
  defaultTransport: Transport,
): CallEngine {
  const known = engines.get(ctx);
  if (known !== undefined && known.transport === defaultTransport && known.definition === definition)
    return known.engine;
  const engine = buildCallEngine(definition, ctx, defaultTransport);
  engines.set(ctx, { transport: defaultTransport, definition, engine });
  return engine;
}

function buildCallEngine(definition: ProviderDefinition, ctx: CallContext, defaultTransport: Transport): CallEngine {
  if (definition.descriptor.protocol === 'mock') return mockEngine(ctx, definition);
  const adapter = getProtocolAdapter(definition.descriptor.protocol, definition.id);
  const transport =
    definition.settings.fetch === undefined ? defaultTransport : createFetchTransport(definition.settings.fetch);
  const parse = (body: unknown) => adapter.parseChat(ctx, body);
  return {
    ctx,
    // Not async: one promise chain from the transport to the parsed result (sync failures reject).
    chat(request, call, headers) {
      let finalized: HttpRequestSpec | Promise<HttpRequestSpec>;
      try {
        finalized = finalizeRequest(ctx, adapter.chatRequest(ctx, request), adapter, headers);
      } catch (error) {
        return Promise.reject(error);
      }
      if ('then' in finalized) return finalized.then((spec) => sendForJson(transport, adapter, ctx, spec, call, parse));
      return sendForJson(transport, adapter, ctx, finalized, call, parse);
    },
    async stream(request, call, headers, idle) {
      const spec = await finalizeRequest(ctx, adapter.chatRequest(ctx, request), adapter, headers);
      const response = await sendHttp(transport, adapter, ctx, spec, call);
      // An HTML page is refused before decoding; an early broken body is reported with its first bytes.
      const events = httpEvents(response.body, await openStreamDecoder(adapter, ctx, response), ctx, call, idle);
      const fromCache = response.fromCache;
      return fromCache === undefined ? events : Object.assign(events, { fromCache });
    },
    async embed(request, call) {
      if (adapter.embedRequest === undefined || adapter.parseEmbed === undefined) {
        throw new ConfigurationError(`Protocol '${adapter.id}' of provider '${definition.id}' has no embeddings`, {
          provider: definition.id,
        });
      }
      const spec = await finalizeRequest(ctx, adapter.embedRequest(ctx, request), adapter);
      return sendForJson(transport, adapter, ctx, spec, call, (body) =>
        (adapter.parseEmbed as NonNullable<ProtocolAdapter['parseEmbed']>)(ctx, body, request),
      );
    },
    async listModels(call) {
      if (adapter.listModelsRequest === undefined || adapter.parseModels === undefined) {
        throw new ConfigurationError(`Protocol '${adapter.id}' of provider '${definition.id}' cannot list models`, {
          provider: definition.id,
        });
      }
      return listModelPages(adapter, ctx, transport, call);
    },
  };
}
