/**
 * One model call of `sb.chat()`: prepare, send, normalize. The tool loop and structured-output
 * retries call this repeatedly; it adds usage, cost, latency and the warnings gathered so far.
 */

import { redactCallError } from '../errors/redact.js';
import type { ChatRequest, ChatResponse } from '../types/requests.js';
import { createCallContext, prepareProvider } from './call-context.js';
import { createCallEngine } from './call-engine.js';
import { type CallSignal, createCallSignal, toTransportError } from './call-signal.js';
import { decorateError } from './http-call.js';
import { prepareChat, type StructuredPlan } from './prepare-chat.js';
import type { ResolvedModel } from './provider-index.js';
import { type RuntimeContext, transportFor } from './runtime-context.js';
import { providerTimeouts } from './timeouts.js';
import { costOf, normalizeUsage } from './usage.js';

/** A failed file read or image download of an aborted or timed-out call, as the call's own error kinds. */
function mapPrepareError<T>(preparing: Promise<T>, call: CallSignal, resolved: ResolvedModel): Promise<T> {
  return preparing.catch((error: unknown) => {
    throw toTransportError(error, call, { provider: resolved.provider.id, model: resolved.modelId });
  });
}

/** A finished model call and the structured-output plan it used. */
export interface ChatStepResult {
  response: ChatResponse;
  structured: StructuredPlan | undefined;
}

/** Runs one model call for a resolved model. */
export async function runChatStep(
  runtime: RuntimeContext,
  resolved: ResolvedModel,
  request: ChatRequest,
  warnings: string[],
): Promise<ChatStepResult> {
  let structured: StructuredPlan | undefined;
  const response = await runChatCall(runtime, resolved, request, warnings, (plan) => {
    structured = plan;
  });
  return { response, structured };
}

/**
 * `runChatStep` for the switchboard's hot path: resolves with the response itself and hands the
 * structured-output plan to `onSuccess` once the call succeeded (one promise layer less per call).
 */
export async function runChatCall(
  runtime: RuntimeContext,
  resolved: ResolvedModel,
  request: ChatRequest,
  warnings: string[],
  onSuccess: (structured: StructuredPlan | undefined) => void,
): Promise<ChatResponse> {
  const started = performance.now();
  const custom = resolved.provider.custom;
  if (custom !== undefined) {
    const call = createCallSignal(
      request.timeout ?? providerTimeouts(runtime, custom.id, undefined).requestMs,
      request.signal,
    );
    let result: Awaited<ReturnType<typeof custom.chat>>;
    try {
      result = await custom.chat({
        ...request,
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        modelId: resolved.modelId,
      });
    } finally {
      call.release();
    }
    const usage = normalizeUsage(result.usage);
    const response: ChatResponse = {
      ...result,
      usage,
      warnings: [...warnings, ...(result.warnings ?? [])],
      cached: false,
      latencyMs: performance.now() - started,
    };
    onSuccess(undefined);
    return response;
  }
  const definition = resolved.provider.definition;
  if (definition === undefined) throw new Error('unreachable: provider without definition');
  const providerReady = prepareProvider(definition);
  if (providerReady !== undefined) await providerReady;
  const ctx = createCallContext(definition, resolved.modelId, resolved.model, runtime.env);
  let call: CallSignal | undefined;
  try {
    const engine = createCallEngine(definition, ctx, transportFor(runtime, definition.id));
    // Without a `timeout` of its own the request gets its provider's limit (never none).
    call = createCallSignal(
      request.timeout ?? providerTimeouts(runtime, definition.id, definition.descriptor).requestMs,
      request.signal,
    );
    // The limit and the signal also cover reading image files and downloading images.
    const preparing = prepareChat(resolved, request, warnings, false, {
      signal: call.signal,
      allowPrivateImageUrls: runtime.allowPrivateImageUrls,
    });
    const { prepared, structured } = 'then' in preparing ? await mapPrepareError(preparing, call, resolved) : preparing;
    const result = await engine.chat(prepared, call, request.headers);
    call.release();
    const usage = normalizeUsage(result.usage);
    const response: ChatResponse = {
      text: result.text,
      toolCalls: result.toolCalls,
      finishReason: result.finishReason,
      usage,
      model: result.model ?? resolved.modelId,
      provider: resolved.provider.id,
      cached: false,
      latencyMs: performance.now() - started,
      warnings: [...warnings],
      raw: result.raw,
    };
    const cost = costOf(resolved.model, usage, request.trackCost, started);
    if (cost !== undefined) response.cost = cost;
    if (result.reasoning !== undefined) response.reasoning = result.reasoning;
    if (result.reasoningBlocks !== undefined) response.reasoningBlocks = result.reasoningBlocks;
    if (result.rawFinishReason !== undefined) response.rawFinishReason = result.rawFinishReason;
    if (result.id !== undefined) response.id = result.id;
    if (result.citations !== undefined) response.citations = result.citations;
    if (result.fromCache !== undefined) response.fromCache = result.fromCache;
    onSuccess(structured);
    return response;
  } catch (error) {
    call?.release();
    throw redactCallError(decorateError(error, ctx), ctx);
  }
}
