/**
 * How `createSwitchboard` uses its logger: component children, the keys it knows added to the
 * scrub list, the resilience events written as lines, and every public call run inside a request
 * scope (one request id for all its lines: tool-loop steps, retries, fallbacks, the HTTP exchange).
 */
import type { SwitchboardEvents } from '../../resilience/middleware/events.js';
import {
  bindStream,
  currentRequestLogger,
  type RequestLogContext,
  requestContext,
  runInRequest,
} from '../../runtime/request-context.js';
import type { Logger } from '../../types/logger.js';
import type { ChatCall, EmbedCall, StreamCall } from '../../types/middleware.js';
import type { ProviderInput } from '../../types/provider.js';
import type { ChatResponse, ChatStream, EmbedResponse, ModelRef } from '../../types/requests.js';
import {
  addLogSecrets,
  componentLogger,
  type PinoLike,
  type SwitchboardLogger,
  toSwitchboardLogger,
} from './logger.js';
import { providerSecrets } from './secrets.js';

/** The pipeline as `createSwitchboard` drives it. */
export interface ScopedPipeline {
  chat(call: ChatCall): Promise<ChatResponse>;
  stream(call: StreamCall): ChatStream;
  embed(call: EmbedCall): Promise<EmbedResponse>;
}

export interface SwitchboardLogging {
  readonly logger: SwitchboardLogger;
  /** A component's logger (memoized). */
  component(name: string): SwitchboardLogger;
  /** Runs a public call in its request scope (a scope already open for this switchboard is reused). */
  run<T>(request: { requestId?: string }, fn: () => T): T;
  /** The pipeline with every call scoped. */
  scope<P extends ScopedPipeline>(pipeline: P): P;
  /** Writes breaker, retry, fallback and health events as lines (listening only where the level is on). */
  observe(events: SwitchboardEvents): void;
}

type CallRequest = { model: ModelRef; messages?: unknown; input?: unknown };

function modelName(model: ModelRef): string {
  return typeof model === 'string' ? model : `${model.provider}/${model.model}`;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const { kind, status, code } = error as { kind?: string; status?: number; code?: string };
  return { type: error.name, kind, status, code, message: error.message };
}

/** The logging of one switchboard, or undefined when it has no logger (then nothing is scoped). */
export function setupLogging(
  input: Logger | PinoLike | undefined,
  providers: () => readonly ProviderInput[],
  env: Readonly<Record<string, string | undefined>>,
): SwitchboardLogging | undefined {
  const logger = toSwitchboardLogger(input);
  if (logger === undefined) return undefined;
  let secrets: (() => Iterable<string | undefined>) | undefined;
  addLogSecrets(logger, () => {
    secrets ??= providerSecrets(providers(), env);
    return secrets();
  });

  const open = (request: { requestId?: string } | undefined): RequestLogContext | undefined =>
    currentRequestLogger() === logger
      ? undefined
      : requestContext(logger, request?.requestId, (name) => componentLogger(logger, name));

  const run = <T>(request: { requestId?: string }, fn: () => T): T => {
    const context = open(request);
    return context === undefined ? fn() : runInRequest(context, fn);
  };

  // One line when a call starts and one when it ends (debug; the messages and text at trace).
  const runtime = componentLogger(logger, 'runtime');
  const traced = <R>(operation: string, request: CallRequest, fn: () => Promise<R>): Promise<R> => {
    if (!runtime.isLevelEnabled('debug')) return fn();
    const started = performance.now();
    const model = modelName(request.model);
    const trace = runtime.isLevelEnabled('trace');
    runtime.debug(`${operation} ${model}`, {
      operation,
      model,
      ...(trace ? { messages: request.messages, input: request.input } : {}),
    });
    return fn().then(
      (result) => {
        const response = result as Partial<ChatResponse> & { embeddings?: unknown[] };
        runtime.debug(`${operation} ${model} done`, {
          operation,
          provider: response.provider,
          model: response.model,
          latencyMs: Math.round(performance.now() - started),
          cached: response.cached,
          finishReason: response.finishReason,
          usage: response.usage,
          ...(trace && response.text !== undefined ? { text: response.text } : {}),
        });
        return result;
      },
      (error: unknown) => {
        runtime.debug(`${operation} ${model} failed`, {
          operation,
          model,
          latencyMs: Math.round(performance.now() - started),
          error: errorFields(error),
        });
        throw error;
      },
    );
  };

  return {
    logger,
    component: (name) => componentLogger(logger, name),
    run,
    scope<P extends ScopedPipeline>(pipeline: P): P {
      return {
        ...pipeline,
        chat: (call: ChatCall) => run(call.request, () => traced('chat', call.request, () => pipeline.chat(call))),
        embed: (call: EmbedCall) => run(call.request, () => traced('embed', call.request, () => pipeline.embed(call))),
        stream(call: StreamCall) {
          const context = open(call.request);
          if (context === undefined) return pipeline.stream(call);
          return bindStream(
            runInRequest(context, () => {
              if (runtime.isLevelEnabled('debug')) {
                const model = modelName(call.request.model);
                runtime.debug(`stream ${model}`, {
                  operation: 'stream',
                  model,
                  ...(runtime.isLevelEnabled('trace') ? { messages: call.request.messages } : {}),
                });
              }
              return pipeline.stream(call);
            }),
            context,
          );
        },
      };
    },
    observe(events) {
      const breaker = componentLogger(logger, 'breaker');
      if (breaker.isLevelEnabled('warn'))
        events.on('breaker', (event) => {
          const fields = {
            key: event.key,
            provider: event.provider,
            model: event.model,
            from: event.from,
            to: event.to,
            reason: event.reason,
          };
          if (event.to === 'open') breaker.warn(`circuit breaker '${event.key}' opened: ${event.reason}`, fields);
          else breaker.info(`circuit breaker '${event.key}' is ${event.to}`, fields);
        });
      const retry = componentLogger(logger, 'retry');
      if (retry.isLevelEnabled('info'))
        events.on('retry', (event) =>
          retry.info(`retrying ${event.provider}/${event.model} in ${Math.round(event.delayMs)} ms`, {
            provider: event.provider,
            model: event.model,
            attempt: event.attempt,
            delayMs: event.delayMs,
            error: errorFields(event.error),
          }),
        );
      const fallback = componentLogger(logger, 'fallback');
      if (fallback.isLevelEnabled('warn'))
        events.on('fallback', (event) =>
          fallback.warn(`falling back from ${event.from} to ${event.to}`, {
            from: event.from,
            to: event.to,
            error: errorFields(event.error),
          }),
        );
      const health = componentLogger(logger, 'health');
      if (health.isLevelEnabled('warn'))
        events.on('health', (event) => {
          const fields = {
            provider: event.provider,
            healthy: event.healthy,
            latencyMs: event.latencyMs,
            error: event.error,
          };
          if (event.healthy) health.debug(`${event.provider} is healthy`, fields);
          else health.warn(`${event.provider} failed its health check`, fields);
        });
    },
  };
}
