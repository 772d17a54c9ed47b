/**
 * The call record every public method sends down the pipeline, and the warnings about unknown
 * request keys that start a call's warnings (`res.warnings`).
 */
import type { SwitchboardEvents } from '../resilience/middleware/events.js';
import type { RuntimeContext } from '../runtime/runtime-context.js';
import { validateRequest } from '../runtime/validate-request.js';
import type { MiddlewareCall } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../types/requests.js';
import { WARNINGS } from './call-scratch.js';

/** Makes call records; `noteUnknownOptions` logs warnings and puts them in the call's scratch. */
export interface CallFactory {
  readonly noteUnknownOptions: (warnings: string[] | undefined, scratch: Map<string | symbol, unknown>) => void;
  readonly newCall: <R extends ChatRequest | EmbedRequest>(
    operation: MiddlewareCall<R>['operation'],
    request: R,
    scratch: Map<string | symbol, unknown>,
  ) => MiddlewareCall<R>;
}

/** The call factory of one switchboard. */
export function createCallFactory(runtime: RuntimeContext, events: SwitchboardEvents): CallFactory {
  const noteUnknownOptions = (warnings: string[] | undefined, scratch: Map<string | symbol, unknown>): void => {
    if (warnings === undefined) return;
    for (const warning of warnings) runtime.logger?.warn?.(warning);
    scratch.set(WARNINGS, warnings);
  };
  const newCall = <R extends ChatRequest | EmbedRequest>(
    operation: MiddlewareCall<R>['operation'],
    request: R,
    scratch: Map<string | symbol, unknown>,
  ): MiddlewareCall<R> => {
    // Streams and embeddings are checked here, at their one entry; chat at the top of its method
    // (its tool-loop steps come back through newCall and need no second check).
    if (operation !== 'chat') noteUnknownOptions(validateRequest(operation, request), scratch);
    return {
      operation,
      request,
      target: undefined,
      attempt: 1,
      tags: request.tags ?? [],
      budgetKey: request.budget,
      events,
      scratch,
      attempts: [],
      deadline: undefined,
    };
  };
  return { noteUnknownOptions, newCall };
}
