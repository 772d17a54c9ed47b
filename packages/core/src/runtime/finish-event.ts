import type { ChatResponse, StreamEvent } from '../types/requests.js';

/**
 * The `finish` event that ends a stream with this response: its finish reason, usage and cost (when
 * known) at the top, the whole response inside. One builder for every place a stream ends (the
 * runtime's stream, a resumed stream, a replayed or cached answer), so they cannot drift apart.
 */
export function finishEvent(response: ChatResponse): StreamEvent {
  const finish: StreamEvent = { type: 'finish', finishReason: response.finishReason, usage: response.usage, response };
  if (response.cost !== undefined) finish.cost = response.cost;
  return finish;
}
