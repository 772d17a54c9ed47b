/**
 * The `onChunk` callback of `sb.stream` requests (ExLLM's `on_chunk`): each text delta is handed to it
 * as the body delivers it. Hooked on the protocol events rather than on the public iterator, so it
 * runs whether the caller iterates the stream or only awaits `response` (which drains it
 * internally), and it sees each delta once even when middleware wraps the stream.
 */
import type { ProtocolStreamEvent } from '../protocols/adapter.js';

/**
 * Passes every batch through unchanged after calling `onChunk` with its text deltas. Only installed
 * when a request has `onChunk`, so streams without one pay nothing. A throwing callback ends the
 * stream with its error, like any failure midway (the partial text is kept).
 */
export async function* callOnChunk(
  batches: AsyncIterable<ProtocolStreamEvent[]>,
  onChunk: (text: string) => void,
): AsyncGenerator<ProtocolStreamEvent[]> {
  for await (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i] as ProtocolStreamEvent;
      if (event.type === 'text-delta' && event.text !== '') onChunk(event.text);
    }
    yield batch;
  }
}
