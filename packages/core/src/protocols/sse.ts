/**
 * Server-sent events, decoded once for every protocol that streams over SSE (openai-chat,
 * anthropic-messages, gemini). Real streams split lines across chunks, send `: keep-alive` comments
 * and `event: ping` messages, and sometimes end without the final blank line; this file hides all of
 * that so an adapter only maps whole messages to events.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ProtocolStreamEvent, StreamDecoder } from './adapter.js';
import { endedEarlyError, endsWithError, failedEventError, type StreamContext } from './shared/stream-guard.js';

/** One SSE message: the `event:` name (absent for the default `message`) and the joined `data:` lines. */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
}

/** Incremental SSE decoder: feed it body chunks, get the complete messages they finish. */
export interface SseDecoder {
  /** Decodes a chunk (bytes are UTF-8, split code points are kept for the next chunk). */
  push(chunk: Uint8Array | string): SseMessage[];
  /** Flushes a last message the server did not terminate with a blank line. */
  end(): SseMessage[];
}

/**
 * Creates an SSE decoder. Comment lines (keep-alives) and `retry:` fields are dropped; messages with
 * no data are never emitted. Each call to `push` returns a new array the caller may keep.
 */
export function createSseDecoder(): SseDecoder {
  const textDecoder = new TextDecoder();
  let pending: SseMessage[] = [];
  let sawData = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push(message.event === undefined ? { data: message.data } : { event: message.event, data: message.data });
    },
  });
  const take = (): SseMessage[] => {
    if (pending.length === 0) return EMPTY;
    const out = pending;
    pending = [];
    return out;
  };
  return {
    push(chunk) {
      const text = typeof chunk === 'string' ? chunk : textDecoder.decode(chunk, { stream: true });
      if (text.length === 0) return EMPTY;
      sawData = true;
      parser.feed(text);
      return take();
    },
    end() {
      const rest = textDecoder.decode();
      if (rest.length > 0) parser.feed(rest);
      // A terminating blank line makes the parser dispatch an unterminated final message.
      if (sawData) parser.feed('\n\n');
      parser.reset();
      return take();
    },
  };
}

const EMPTY: SseMessage[] = [];
Object.freeze(EMPTY);

/** How an SSE protocol's decoder checks its stream (see `createSseStreamDecoder`). */
export interface SseStreamOptions {
  /** Whose stream this is: errors name the provider and never contain its key. */
  ctx?: StreamContext;
  /**
   * True once the protocol's end marker arrived. When given, a body that ends before it is an
   * `invalid-response` error instead of a clean finish (a proxy cutting the stream looks like that).
   */
  isComplete?: () => boolean;
  /** The end marker in words, for that error: "a finish_reason or [DONE]". */
  endMarker?: string;
}

/**
 * Builds a protocol `StreamDecoder` from a per-message mapper, so an SSE adapter is one function:
 * `createSseStreamDecoder((message, out) => { out.push(...) })`. `onEnd` may add events when the body
 * ends (a finish the provider never sent, for example).
 *
 * Each message is mapped inside a guard: when the mapper throws (a line that is not JSON, a text
 * field that is a number, a bug), that message's events are dropped and the stream ends with one
 * `invalid-response` error event after the events of the messages before it, in order. After an
 * error event (the guard's or the provider's) the decoder ignores the rest of the body.
 */
export function createSseStreamDecoder(
  onMessage: (message: SseMessage, out: ProtocolStreamEvent[]) => void,
  onEnd?: (out: ProtocolStreamEvent[]) => void,
  options: SseStreamOptions = {},
): StreamDecoder {
  const sse = createSseDecoder();
  let failed = false;
  const run = (messages: SseMessage[]): ProtocolStreamEvent[] => {
    const out: ProtocolStreamEvent[] = [];
    for (const message of messages) {
      const before = out.length;
      try {
        onMessage(message, out);
      } catch (error) {
        out.length = before;
        out.push(failedEventError(options.ctx, error, message.data));
      }
      if (endsWithError(out, before)) {
        failed = true;
        break;
      }
    }
    return out;
  };
  return {
    push(chunk) {
      if (failed) return [];
      const messages = sse.push(chunk);
      return messages.length === 0 ? [] : run(messages);
    },
    end() {
      if (failed) return [];
      const out = run(sse.end());
      if (failed) return out;
      onEnd?.(out);
      if (options.isComplete !== undefined && !options.isComplete() && !endsWithError(out, 0)) {
        out.push(endedEarlyError(options.ctx, options.endMarker ?? 'its end marker'));
      }
      return out;
    },
  };
}
