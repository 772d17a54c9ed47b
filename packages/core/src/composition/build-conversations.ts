/** `sb.session` and `sb.batch`: conversations and batches built on the chat and stream methods. */

import { createSession, type SessionOptions } from '../features/session/session.js';
import { runBatch } from '../resilience/batch.js';
import type { ChatRequest, ChatResponse } from '../types/requests.js';
import type { PipelineParts } from './build-pipeline.js';
import type { CallFactory } from './call-factory.js';
import type { CoreParts } from './parts.js';
import type { Switchboard } from './switchboard-types.js';

/** The session and batch methods. */
export function buildConversations(
  parts: CoreParts,
  { pipeline }: PipelineParts,
  { newCall }: CallFactory,
  chat: (request: ChatRequest) => Promise<ChatResponse>,
): Pick<Switchboard, 'session' | 'batch'> {
  const { logging, secrets } = parts;
  return {
    session: (sessionOptions) =>
      createSession(
        {
          chat,
          stream: (request) => pipeline.stream(newCall('stream', request, new Map())),
          secrets,
          ...(logging === undefined ? {} : { warn: (message: string) => logging.component('session').warn(message) }),
        },
        sessionOptions as SessionOptions,
      ),
    batch: (requests, batchOptions) => runBatch(requests, (request) => chat(request as ChatRequest), batchOptions),
  };
}
