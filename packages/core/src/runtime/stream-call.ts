/**
 * `sb.stream()` for one resolved model: prepares the request when iteration starts, opens the
 * body, and turns the accumulator into the final (or partial) response with usage and cost.
 */

import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import type { CallContext } from '../types/protocol.js';
import type { CustomProvider } from '../types/provider.js';
import type { ChatRequest, ChatResponse, ChatStream, StreamEvent } from '../types/requests.js';
import { createCallContext, prepareProvider } from './call-context.js';
import { createCallEngine } from './call-engine.js';
import { CallSignal, toTransportError } from './call-signal.js';
import { createChatStream } from './chat-stream.js';
import { decorateError } from './http-call.js';
import { IdleWatch, watchIdle } from './idle-timeout.js';
import { callOnChunk } from './on-chunk.js';
import { prepareChat } from './prepare-chat.js';
import type { ResolvedModel } from './provider-index.js';
import { type RuntimeContext, transportFor } from './runtime-context.js';
import type { StreamAccumulator } from './stream-accumulator.js';
import { StreamObjectTracker } from './stream-object.js';
import { providerTimeouts } from './timeouts.js';
import { costOf, normalizeUsage } from './usage.js';

/** Turns a custom provider's public events into protocol events, batch by batch. */
async function* fromCustom(events: AsyncIterable<StreamEvent>): AsyncGenerator<ProtocolStreamEvent[]> {
  let position = 0;
  for await (const event of events) {
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-call-delta':
        yield [event];
        break;
      case 'tool-call':
        yield [
          {
            type: 'tool-call',
            index: position++,
            id: event.toolCall.id,
            name: event.toolCall.name,
            arguments: JSON.stringify(event.toolCall.arguments),
          },
        ];
        break;
      case 'finish':
        yield [
          { type: 'usage', usage: event.usage },
          { type: 'finish', finishReason: event.finishReason },
        ];
        break;
      case 'error':
        throw event.error;
    }
  }
}

/** The signal of a stream that has not started: nothing to abort, no timer. */
const NOT_STARTED = new CallSignal(undefined, []);

/**
 * Starts nothing yet: returns the lazy stream. `callWarnings` (the call's warnings so far: the
 * model's resolution, unknown request keys) replace the model's own when given.
 */
export function runStream(
  runtime: RuntimeContext,
  resolved: ResolvedModel,
  request: ChatRequest,
  callWarnings?: readonly string[],
): ChatStream {
  const warnings = [...(callWarnings ?? resolved.warnings)];
  let started = 0;
  let ctx: CallContext | undefined;
  let call: CallSignal = NOT_STARTED;
  /** With a `schema`: follows the growing JSON into object-delta events and `response.object`. */
  let objects: StreamObjectTracker | undefined;
  /** `'test'` when `@switchboard/testing`'s test cache answered the request. */
  let fromCache: 'test' | undefined;
  const onChunk = request.onChunk;
  const withChunks = (events: AsyncIterable<ProtocolStreamEvent[]>): AsyncIterable<ProtocolStreamEvent[]> =>
    onChunk === undefined ? events : callOnChunk(events, onChunk);
  return createChatStream({
    async start(signal) {
      started = performance.now();
      const custom: CustomProvider | undefined = resolved.provider.custom;
      const definition = resolved.provider.definition;
      const limits = providerTimeouts(runtime, resolved.provider.id, definition?.descriptor);
      // The limit (the call's, else the provider's) covers the whole stream, body included, so a
      // server that trickles data forever cannot hold the caller; the idle limit catches stalls early.
      call = new CallSignal(request.timeout ?? limits.requestMs, [request.signal, signal], true);
      const idleMs = request.idleTimeout ?? limits.idleMs;
      if (custom !== undefined) {
        if (custom.stream === undefined) throw new Error(`Custom provider '${custom.id}' does not implement stream`);
        // A custom provider gets the schema itself and answers in text.
        if (request.schema !== undefined)
          objects = new StreamObjectTracker(
            { mode: 'json-schema', name: request.schemaName ?? 'respond' },
            request.schema,
          );
        return withChunks(
          watchIdle(
            fromCustom(
              custom.stream({
                ...request,
                ...(call.signal === undefined ? {} : { signal: call.signal }),
                modelId: resolved.modelId,
              }),
            ),
            new IdleWatch(call, idleMs),
          ),
        );
      }
      if (definition === undefined) throw new Error('unreachable: provider without definition');
      await prepareProvider(definition);
      ctx = createCallContext(definition, resolved.modelId, resolved.model, runtime.env);
      const engine = createCallEngine(definition, ctx, transportFor(runtime, definition.id));
      const { prepared, structured } = await prepareChat(resolved, request, warnings, true, {
        signal: call.signal,
        allowPrivateImageUrls: runtime.allowPrivateImageUrls,
      });
      if (structured !== undefined) objects = new StreamObjectTracker(structured, request.schema);
      const events = await engine.stream(prepared, call, request.headers, new IdleWatch(call, idleMs));
      fromCache = events.fromCache;
      return withChunks(events);
    },
    finish(accumulator: StreamAccumulator, failed: boolean): ChatResponse {
      call.release();
      const usage = normalizeUsage(accumulator.usage);
      const response: ChatResponse = {
        text: accumulator.text,
        toolCalls: accumulator.toolCalls(warnings),
        finishReason: failed
          ? 'error'
          : (accumulator.finishReason ?? (accumulator.hasToolCalls ? 'tool-calls' : 'stop')),
        usage,
        model: accumulator.model ?? resolved.modelId,
        provider: resolved.provider.id,
        cached: false,
        latencyMs: started === 0 ? 0 : performance.now() - started,
        warnings,
        raw: accumulator.lastEvent,
      };
      const cost = costOf(resolved.model, usage, request.trackCost, started);
      if (cost !== undefined) response.cost = cost;
      if (accumulator.reasoning !== '') response.reasoning = accumulator.reasoning;
      if (accumulator.reasoningBlocks.length > 0) response.reasoningBlocks = accumulator.reasoningBlocks;
      if (accumulator.rawFinishReason !== undefined) response.rawFinishReason = accumulator.rawFinishReason;
      if (accumulator.id !== undefined) response.id = accumulator.id;
      if (accumulator.citations !== undefined) response.citations = accumulator.citations;
      if (fromCache !== undefined) response.fromCache = fromCache;
      return response;
    },
    follower: () => objects,
    mapError(error) {
      call.release();
      const mapped = toTransportError(error, call, { provider: resolved.provider.id, model: resolved.modelId });
      return ctx === undefined ? mapped : decorateError(mapped, ctx);
    },
  });
}
