/**
 * `sb.embed()`: splits the input into batches the model accepts (the model's `embedding.maxInputs`,
 * else the provider's `limitations.maxEmbeddingInputs`), sends them in order, and joins vectors,
 * usage and cost.
 */

import type { EmbedRequest, EmbedResponse } from '../types/requests.js';
import { createCallContext, prepareProvider } from './call-context.js';
import { createCallEngine } from './call-engine.js';
import { type CallSignal, createCallSignal } from './call-signal.js';
import { decorateError } from './http-call.js';
import { providerOptionsFor } from './prepare-chat.js';
import type { ResolvedModel } from './provider-index.js';
import { type RuntimeContext, transportFor } from './runtime-context.js';
import { providerTimeouts } from './timeouts.js';
import { costOf } from './usage.js';

/** Splits a list into chunks of at most `size` (everything in one chunk without a limit). */
export function batch<T>(items: readonly T[], size: number | undefined): T[][] {
  if (size === undefined || size <= 0 || items.length <= size) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Embeds the input with a resolved model. */
export async function runEmbed(
  runtime: RuntimeContext,
  resolved: ResolvedModel,
  request: EmbedRequest,
): Promise<EmbedResponse> {
  const started = performance.now();
  const input = typeof request.input === 'string' ? [request.input] : request.input;
  const custom = resolved.provider.custom;
  if (custom !== undefined) {
    if (custom.embed === undefined) throw new Error(`Custom provider '${custom.id}' does not implement embed`);
    const call = createCallSignal(
      request.timeout ?? providerTimeouts(runtime, custom.id, undefined).requestMs,
      request.signal,
    );
    let result: Awaited<ReturnType<NonNullable<typeof custom.embed>>>;
    try {
      result = await custom.embed({
        ...request,
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        modelId: resolved.modelId,
      });
    } finally {
      call.release();
    }
    return { ...result, cached: false, latencyMs: performance.now() - started };
  }
  const definition = resolved.provider.definition;
  if (definition === undefined) throw new Error('unreachable: provider without definition');
  await prepareProvider(definition);
  const ctx = createCallContext(definition, resolved.modelId, resolved.model, runtime.env);
  let call: CallSignal | undefined;
  try {
    const engine = createCallEngine(definition, ctx, transportFor(runtime, definition.id));
    call = createCallSignal(
      request.timeout ?? providerTimeouts(runtime, definition.id, definition.descriptor).requestMs,
      request.signal,
    );
    const embeddings: number[][] = [];
    let inputTokens = 0;
    let raw: unknown;
    let fromCache: 'test' | undefined;
    const maxInputs = resolved.model?.embedding?.maxInputs ?? definition.descriptor.limitations?.maxEmbeddingInputs;
    for (const part of batch(input, maxInputs)) {
      const result = await engine.embed(
        {
          input: part,
          encoding: request.encoding ?? 'float',
          providerOptions: providerOptionsFor(request.providerOptions, definition.id),
          ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
        },
        call,
      );
      for (const vector of result.embeddings) embeddings.push(vector);
      inputTokens += result.inputTokens;
      raw = result.raw;
      if (result.fromCache !== undefined) fromCache = result.fromCache;
    }
    const response: EmbedResponse = {
      embeddings,
      usage: { inputTokens },
      model: resolved.modelId,
      provider: definition.id,
      cached: false,
      latencyMs: performance.now() - started,
      raw,
    };
    const cost = costOf(
      resolved.model,
      { inputTokens, outputTokens: 0, totalTokens: inputTokens },
      request.trackCost,
      started,
    );
    if (cost !== undefined) response.cost = cost;
    if (fromCache !== undefined) response.fromCache = fromCache;
    return response;
  } catch (error) {
    throw decorateError(error, ctx);
  } finally {
    call?.release();
  }
}
