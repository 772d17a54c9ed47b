/**
 * `sb.chat` (and `defaultModel`): the default model, request validation, one pipeline call or the
 * structured-output and tool loops over it, the response's warnings logged once, and a caller's
 * abort mapped to an AbortedError.
 */

import { runToolLoop } from '../features/tools/tool-loop.js';
import { asCallerAbort } from '../runtime/call-signal.js';
import { withDefaultModel } from '../runtime/default-model.js';
import { planStructuredOutput, type StructuredPlan } from '../runtime/prepare-chat.js';
import { runStructuredOutput } from '../runtime/structured-output.js';
import { validateRequest } from '../runtime/validate-request.js';
import type { ChatCall } from '../types/middleware.js';
import type { ChatRequest, ChatResponse } from '../types/requests.js';
import type { PipelineParts } from './build-pipeline.js';
import type { CallFactory } from './call-factory.js';
import { STRUCTURED_PLAN, WARNINGS } from './call-scratch.js';
import type { CoreParts } from './parts.js';

/** The chat method. */
export function buildChat(
  parts: CoreParts,
  { pipeline }: PipelineParts,
  { newCall, noteUnknownOptions }: CallFactory,
): (request: ChatRequest) => Promise<ChatResponse> {
  const { options, config, runtime, logging, secrets } = parts;
  const resolveTarget = parts.targets.resolve;
  const step = async (stepRequest: ChatRequest, scratch: Map<string | symbol, unknown>) => {
    scratch.delete(STRUCTURED_PLAN);
    const response = await pipeline.chat(newCall('chat', stepRequest, scratch) as ChatCall);
    let structured = scratch.get(STRUCTURED_PLAN) as StructuredPlan | undefined;
    if (structured === undefined && stepRequest.schema !== undefined)
      structured = planStructuredOutput(
        resolveTarget({ provider: response.provider, model: response.model }).resolved,
        stepRequest,
      );
    return { response, structured };
  };
  const unscopedChat = async (given: ChatRequest): Promise<ChatResponse> => {
    try {
      // No `model`: the default one, before validation, the cache key and routing see the request.
      const request = withDefaultModel('chat', given, config.providers, options);
      const scratch = new Map<string | symbol, unknown>();
      noteUnknownOptions(validateRequest('chat', request), scratch);
      const response =
        request.schema !== undefined
          ? await runStructuredOutput(request, (stepRequest) => step(stepRequest, scratch))
          : (request.maxSteps ?? 1) <= 1
            ? // One model call (the default): what the tool loop does for a single step, without its layers.
              await pipeline.chat(newCall('chat', request, scratch) as ChatCall)
            : await runToolLoop(request, async (stepRequest) => (await step(stepRequest, scratch)).response, {
                secrets: secrets.list,
              });
      const targetWarnings = (scratch.get(WARNINGS) as string[] | undefined) ?? [];
      for (const warning of response.warnings)
        if (!targetWarnings.includes(warning))
          runtime.logger?.warn?.(warning, { provider: response.provider, model: response.model });
      return response;
    } catch (error) {
      // A caller's abort, mapped here in the call's own frame (no extra promise per call).
      throw given.signal === undefined ? error : asCallerAbort(error, given.signal);
    }
  };
  // A caller's abort rejects with an AbortedError (kind `aborted`) wherever it struck: the
  // transport maps its own, `unscopedChat` catches a backoff sleep's, a rate-limit wait's or a
  // tool's in its own frame (no `.catch` promise per call with a signal: every gateway call has one).
  return (request) =>
    logging === undefined ? unscopedChat(request) : logging.run(request, () => unscopedChat(request));
}
