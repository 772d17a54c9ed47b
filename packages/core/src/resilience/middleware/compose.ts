/**
 * Composes middleware into one function per operation, once, when the switchboard is created: the
 * first middleware is the outermost. Middleware without a hook for an operation are left out of
 * that operation's chain, so they cost nothing there.
 */

import type {
  ChatCall,
  ChatNext,
  EmbedCall,
  EmbedNext,
  Middleware,
  StreamCall,
  StreamNext,
} from '../../types/middleware.js';
import type { ChatResponse, ChatStream, EmbedResponse } from '../../types/requests.js';

/** The composed pipeline: one entry point per operation. */
export interface Pipeline {
  chat: ChatNext;
  stream: StreamNext;
  embed: EmbedNext;
}

/** Wraps `terminal` (the protocol call) in `middleware`, outermost first. */
export function compose(
  middleware: readonly Middleware[],
  terminal: { chat: ChatNext; stream: StreamNext; embed: EmbedNext },
): Pipeline {
  let chat = terminal.chat;
  let stream = terminal.stream;
  let embed = terminal.embed;
  for (let i = middleware.length - 1; i >= 0; i -= 1) {
    const layer = middleware[i] as Middleware;
    if (layer.chat !== undefined) {
      const inner = chat;
      chat = (call: ChatCall): Promise<ChatResponse> =>
        (layer.chat as NonNullable<Middleware['chat']>).call(layer, call, inner);
    }
    if (layer.stream !== undefined) {
      const inner = stream;
      stream = (call: StreamCall): ChatStream =>
        (layer.stream as NonNullable<Middleware['stream']>).call(layer, call, inner);
    }
    if (layer.embed !== undefined) {
      const inner = embed;
      embed = (call: EmbedCall): Promise<EmbedResponse> =>
        (layer.embed as NonNullable<Middleware['embed']>).call(layer, call, inner);
    }
  }
  return { chat, stream, embed };
}
