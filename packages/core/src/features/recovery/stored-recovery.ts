/**
 * Resumable streams by id (ExLLM's stream recovery): a stream started with `recovery: true` gets a
 * `recoveryId`, and its partial state (the request, the text so far, who was answering) is kept in
 * the switchboard's `Store` with an expiry. `sb.resumeStream(recoveryId)` reads it back and
 * continues the answer, from this process or any other sharing the store (Redis): a gateway
 * instance that died mid-answer, a client reconnecting to another instance.
 *
 * Writes are cheap on the hot path: the state is written when the stream starts, then at most every
 * `checkpointMs` while text arrives, and always (awaited, before the error is passed on) when the
 * stream fails; a finished stream's state is deleted.
 */

import { NotFoundError } from '../../errors/errors.js';
import { deriveStream, emptyResponse, follow } from '../../resilience/middleware/derive-stream.js';
import type { ChatRequest, ChatResponse, ChatStream } from '../../types/requests.js';
import type { Store } from '../../types/store.js';

/** `recovery` of a stream request: `true`, or how long the state is kept. */
export type RecoveryOption = boolean | { ttlMs?: number; checkpointMs?: number };

/** What the store holds per recoverable stream. */
export interface RecoveryState {
  id: string;
  /** The original request, as JSON (no signal, no functions). */
  request: ChatRequest;
  /** The answer so far (a failed stream's partial response, or a checkpoint of one). */
  partial: ChatResponse;
  /** `streaming` (a checkpoint: the stream may still be running) or `failed`. */
  status: 'streaming' | 'failed';
  updatedAt: number;
}

const PREFIX = 'sb:recovery:';
const DEFAULT_TTL_MS = 3_600_000;
const DEFAULT_CHECKPOINT_MS = 1000;

const keyOf = (id: string): string => PREFIX + id;

/** The request as it can be stored: JSON only, without the signal. */
function storableRequest(request: ChatRequest): ChatRequest {
  const { signal: _signal, ...rest } = request;
  return JSON.parse(JSON.stringify(rest)) as ChatRequest;
}

/** A partial response as stored (no raw provider payload). */
function storablePartial(partial: ChatResponse): ChatResponse {
  const { raw: _raw, ...rest } = partial;
  return JSON.parse(JSON.stringify({ ...rest, raw: undefined })) as ChatResponse;
}

/** A new recovery id. */
export function newRecoveryId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Wraps a stream so its partial state is kept in `store` under `id` (see the module comment).
 * `baseText` is text the consumer already has from before (a resumed stream's kept text).
 */
export function recordRecovery(
  stream: ChatStream,
  options: {
    id: string;
    request: ChatRequest;
    store: Store;
    now: () => number;
    option: RecoveryOption;
    identity: { provider: string; model: string };
    baseText?: string;
  },
): ChatStream {
  const settings = typeof options.option === 'object' ? options.option : {};
  const ttlMs = settings.ttlMs ?? DEFAULT_TTL_MS;
  const checkpointMs = settings.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
  const request = storableRequest(options.request);
  const { store, id, now } = options;
  let writes: Promise<void> = Promise.resolve();
  const save = (partial: ChatResponse, status: RecoveryState['status']): Promise<void> => {
    const state: RecoveryState = { id, request, partial: storablePartial(partial), status, updatedAt: now() };
    // In order, one at a time: a late checkpoint never overwrites the failure's state.
    writes = writes.then(() => store.set(keyOf(id), JSON.stringify(state), { ttlMs })).catch(() => undefined);
    return writes;
  };
  return deriveStream(async function* (signal) {
    let text = options.baseText ?? '';
    const { provider, model } = options.identity;
    const checkpoint = (): ChatResponse => ({ ...emptyResponse(provider, model), text });
    void save(checkpoint(), 'streaming');
    let lastSaved = now();
    for await (const event of follow(stream, signal)) {
      if (event.type === 'text-delta') {
        text += event.text;
        if (now() - lastSaved >= checkpointMs) {
          lastSaved = now();
          void save(checkpoint(), 'streaming');
        }
      } else if (event.type === 'error') {
        // Kept before the consumer hears of the failure, so a resume right after finds it.
        await save(event.partial, 'failed');
      } else if (event.type === 'finish') {
        await writes;
        await store.delete(keyOf(id)).catch(() => false);
      }
      yield event;
    }
  }, options.identity);
}

/** Reads a recoverable stream's state; a NotFoundError naming the id when there is none. */
export async function loadRecovery(store: Store, id: string): Promise<RecoveryState> {
  if (typeof id !== 'string' || id === '')
    throw new NotFoundError(
      'resumeStream: `recoveryId` must be the recoveryId of a stream started with recovery: true',
      {
        retryable: false,
      },
    );
  const raw = await store.get(keyOf(id));
  if (raw === undefined)
    throw new NotFoundError(
      `No recoverable stream '${id}' in the store: it finished, its state expired, or it was started without recovery: true`,
      { retryable: false },
    );
  return JSON.parse(raw) as RecoveryState;
}
