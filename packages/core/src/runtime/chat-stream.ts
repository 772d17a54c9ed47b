/**
 * The object `sb.stream()` returns. It is lazy: the request starts when iteration starts, or, when
 * only `response` is awaited, on the next turn. Iterating drives the HTTP body directly (no queue),
 * so a slow consumer applies back-pressure to the socket. A failure midway ends the iteration with
 * an `error` event holding the partial response, and `response` rejects with the same error.
 */

import type { SwitchboardError } from '../errors/errors.js';
import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import type { ChatResponse, ChatStream, StreamEvent } from '../types/requests.js';
import { finishEvent } from './finish-event.js';
import { LazyStream } from './lazy-stream.js';
import { StreamAccumulator } from './stream-accumulator.js';
import type { StreamFollower } from './stream-object.js';

/** What a chat stream needs from the runtime. */
export interface ChatStreamSource {
  /** Sends the request; resolves with batches of protocol events (one batch per body chunk). */
  start(signal: AbortSignal): Promise<AsyncIterable<ProtocolStreamEvent[]>>;
  /** Builds the response from what was accumulated (`failed`: a partial one). */
  finish(accumulator: StreamAccumulator, failed: boolean): ChatResponse;
  /** Maps a thrown error (transport failures, aborts) to what the caller sees. */
  mapError(error: unknown): unknown;
  /** Asked once `start` resolved: who adds events and checks the response (structured output), if any. */
  follower?(): StreamFollower | undefined;
}

function attachPartial(error: unknown, partial: ChatResponse): Error {
  const out = error instanceof Error ? error : new Error(String(error));
  try {
    (out as SwitchboardError).partial = partial;
  } catch {
    // frozen error objects keep their shape
  }
  return out;
}

class ChatStreamImpl extends LazyStream implements ChatStream {
  private readonly controller = new AbortController();

  constructor(private readonly source: ChatStreamSource) {
    super();
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason ?? new DOMException('The stream was aborted', 'AbortError'));
  }

  private fail(accumulator: StreamAccumulator, error: unknown): StreamEvent {
    const mapped = this.source.mapError(error);
    const partial = this.source.finish(accumulator, true);
    const withPartial = attachPartial(mapped, partial);
    this.settleWithError(withPartial);
    return { type: 'error', error: withPartial, partial };
  }

  protected async *run(): AsyncGenerator<StreamEvent> {
    const accumulator = new StreamAccumulator();
    try {
      let response: ChatResponse;
      let last: StreamEvent | undefined;
      try {
        const events = await this.source.start(this.controller.signal);
        const follower = this.source.follower?.();
        for await (const batch of events) {
          for (let i = 0; i < batch.length; i += 1) {
            const event = batch[i] as ProtocolStreamEvent;
            if (event.type === 'error') throw event.error;
            const out = accumulator.apply(event);
            if (out === undefined) continue;
            yield out;
            if (follower === undefined) continue;
            const added = follower.next(out);
            if (added !== undefined) yield added;
          }
        }
        response = this.source.finish(accumulator, false);
        // A structured answer that does not validate fails the stream like any other error.
        last = follower?.complete(response);
      } catch (error) {
        yield this.fail(accumulator, error);
        return;
      }
      if (last !== undefined) yield last;
      for (const toolCall of response.toolCalls) yield { type: 'tool-call', toolCall };
      this.settle(response);
      yield finishEvent(response);
    } finally {
      if (!this.settled) {
        // The consumer stopped early: release the connection and settle `response`.
        this.abort();
        this.fail(accumulator, this.controller.signal.reason);
      }
    }
  }
}

/** Creates a lazy chat stream over a source. */
export function createChatStream(source: ChatStreamSource): ChatStream {
  return new ChatStreamImpl(source);
}
