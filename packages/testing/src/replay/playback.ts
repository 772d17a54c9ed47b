/**
 * Plays a recorded response through undici's handler protocol (`onRequestStart`,
 * `onResponseStart`, `onResponseData`, `onResponseEnd`), so undici itself still builds the response
 * body and runs the caller's abort signal. One chunk per event-loop turn: a reader sees recorded
 * pieces as separate reads, as it would on a network.
 */
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ResponseParts } from './response-parts.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts the request on `handler` now and answers it with the parts `respond` resolves to; a
 * rejection (a miss) becomes the request's error. Returns true, as a dispatcher's `dispatch` does.
 */
export function playback(handler: Dispatcher.DispatchHandler, respond: () => Promise<ResponseParts>): boolean {
  let aborted = false;
  const controller = {
    paused: false,
    reason: null as Error | null,
    get aborted() {
      return aborted;
    },
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
    abort(reason: Error) {
      if (aborted) return;
      aborted = true;
      controller.reason = reason;
      handler.onResponseError?.(controller as unknown as Dispatcher.DispatchController, reason);
    },
  };
  const asController = controller as unknown as Dispatcher.DispatchController;
  const play = async () => {
    const parts = await respond();
    if (aborted) return;
    handler.onResponseStart?.(asController, parts.status, parts.headers, STATUS_CODES[parts.status] ?? '');
    for (const chunk of parts.chunks) {
      await nextTurn();
      if (aborted) return;
      handler.onResponseData?.(asController, Buffer.from(chunk));
    }
    if (!aborted) handler.onResponseEnd?.(asController, {});
  };
  handler.onRequestStart?.(asController, {});
  if (!aborted) play().catch((error: Error) => controller.abort(error));
  return true;
}
