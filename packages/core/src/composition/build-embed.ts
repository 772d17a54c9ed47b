/**
 * `sb.embed` (and `defaultEmbeddingModel`): the default model, one pipeline call, unknown-key
 * warnings on the response, and a caller's abort mapped to an AbortedError (as `sb.chat`).
 */

import { asCallerAbort } from '../runtime/call-signal.js';
import { withDefaultModel } from '../runtime/default-model.js';
import type { EmbedCall } from '../types/middleware.js';
import type { EmbedRequest, EmbedResponse } from '../types/requests.js';
import type { PipelineParts } from './build-pipeline.js';
import type { CallFactory } from './call-factory.js';
import { WARNINGS } from './call-scratch.js';
import type { CoreParts } from './parts.js';

/** The embed method. */
export function buildEmbed(
  parts: CoreParts,
  { pipeline }: PipelineParts,
  { newCall }: CallFactory,
): (request: EmbedRequest) => Promise<EmbedResponse> {
  const { options, config } = parts;
  return (given) => {
    const request = withDefaultModel('embed', given, config.providers, options);
    const scratch = new Map<string | symbol, unknown>();
    const call = newCall('embed', request as EmbedRequest, scratch) as EmbedCall;
    // Only a request with unknown keys has warnings this early; it gets them on the response.
    const warnings = scratch.get(WARNINGS) as string[] | undefined;
    const embedded = pipeline.embed(call);
    const response =
      request.signal === undefined
        ? embedded
        : embedded.catch((error: unknown) => Promise.reject(asCallerAbort(error, request.signal)));
    return warnings === undefined ? response : response.then((result) => ({ ...result, warnings: [...warnings] }));
  };
}
