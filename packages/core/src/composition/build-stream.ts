/**
 * `sb.stream` and `sb.resumeStream`: a resumable stream through the pipeline, the streamed tool
 * loop, and streams kept in the store (`recovery`) to be continued by id from any process.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { ResumableChatStream, ResumedChatStream, ResumeHost, ResumeOptions } from '../features/recovery/resume.js';
import { resumable, resumeFromPartial } from '../features/recovery/resume.js';
import {
  loadRecovery,
  newRecoveryId,
  type RecoveryOption,
  recordRecovery,
} from '../features/recovery/stored-recovery.js';
import { streamsToolLoop, streamToolLoop } from '../features/tools/stream-tool-loop.js';
import { withDefaultModel } from '../runtime/default-model.js';
import type { ChatRequest } from '../types/requests.js';
import type { PipelineParts } from './build-pipeline.js';
import type { CallFactory } from './call-factory.js';
import type { CoreParts } from './parts.js';
import { streamIdentity } from './stream-identity.js';

/** Where the switchboard is put once made: its streams resume through it. */
export interface HostSlot {
  current: ResumeHost;
}

/** The stream methods. */
export interface StreamMethods {
  readonly stream: (request: ChatRequest & { recovery?: RecoveryOption }) => ResumableChatStream;
  readonly resumeStream: (recoveryId: string, options?: ResumeOptions) => Promise<ResumedChatStream>;
}

/** Builds `stream` and `resumeStream`. */
export function buildStream(
  parts: CoreParts,
  { pipeline }: PipelineParts,
  { newCall }: CallFactory,
  host: HostSlot,
): StreamMethods {
  const { options, config, store, clock, secrets } = parts;
  const open = (request: ChatRequest): ResumableChatStream =>
    resumable(pipeline.stream(newCall('stream', request, new Map())), request, host.current);
  const stream = (given: ChatRequest & { recovery?: RecoveryOption }): ResumableChatStream => {
    const { recovery, ...plain } = given;
    const request = withDefaultModel('chat', plain, config.providers, options) as ChatRequest;
    // Tools and maxSteps > 1: the loop streams each step and runs the tools between them.
    if (streamsToolLoop(request)) {
      if (recovery !== undefined && recovery !== false)
        throw new ConfigurationError('`recovery` is not available for a streamed tool loop (tools with maxSteps > 1)', {
          setting: 'recovery',
        });
      return streamToolLoop(request, open, { secrets: secrets.list });
    }
    if (recovery === undefined || recovery === false) return open(request);
    const id = newRecoveryId();
    const recorded = recordRecovery(pipeline.stream(newCall('stream', request, new Map())), {
      id,
      request,
      store,
      now: clock.now,
      option: recovery,
      identity: streamIdentity(parts.targets.resolve, request.model),
    });
    const resumableStream = resumable(recorded, request, host.current);
    resumableStream.recoveryId = id;
    return resumableStream;
  };
  const resumeStream = async (recoveryId: string, resumeOptions?: ResumeOptions): Promise<ResumedChatStream> => {
    const state = await loadRecovery(store, recoveryId);
    // The continuation is kept under the same id, so it can be resumed again if it is cut too.
    const resumed = resumeFromPartial(host.current, state.request, state.partial, resumeOptions, (inner, kept) =>
      recordRecovery(inner, {
        id: recoveryId,
        request: state.request,
        store,
        now: clock.now,
        option: true,
        identity: { provider: state.partial.provider, model: state.partial.model },
        baseText: kept,
      }),
    );
    resumed.recoveryId = recoveryId;
    return resumed;
  };
  return { stream, resumeStream };
}
