/**
 * The response-cache stage (call level, between budget and fallback): a call that uses the cache is
 * answered from the exact-match cache when it can; otherwise the answer is stored once it finished
 * cleanly. Which calls use it: every chat and embed call of a switchboard created with a cache
 * (`cache: true`, options or a `ResponseCache`; `default: false` turns that off) unless the call
 * says `cache: false`, and any call that says `cache: true | { ttl }`. Streams use it only when the
 * call asks: a stream is chosen for its live pacing, and a replay would arrive all at once.
 * Streams are recorded as they pass and replayed as streams.
 *
 * Calls that read local files by path are not cached by default (see `readsLocalFiles`).
 *
 * The key comes from the request alone (`cache.chatKey(request)`: the model it resolves to, or the
 * group it names), never from the target a call was routed to, so the request the user holds finds
 * and deletes the entry. A hit never reaches budgets' recording, breakers, rate limits or the provider.
 */

import { requestLogger } from '../../runtime/request-context.js';
import type { ChatCall, ChatNext, Middleware, MiddlewareCall } from '../../types/middleware.js';
import type { ChatRequest, ChatResponse, EmbedRequest } from '../../types/requests.js';
import type { ResponseCache } from '../state/response-cache.js';
import { deriveStream, follow } from './derive-stream.js';

/** What the cache stage needs: the cache (created on first use) and whether calls use it by default. */
export interface CacheStageOptions {
  cache(): ResponseCache;
  /** Chat and embed calls without a `cache` field use the cache (streams only when they ask). */
  byDefault: boolean;
}

/**
 * The per-call TTL, or false when this call does not use the cache. `operation` `'stream'` never
 * uses it by default (see the file comment).
 */
export function cacheSetting(
  request: ChatRequest | EmbedRequest,
  byDefault: boolean,
  operation: 'chat' | 'stream' | 'embed' = 'chat',
): { ttlMs?: number } | false {
  const asked = request.cache;
  if (asked === undefined)
    return byDefault && operation !== 'stream' && !('messages' in request && readsLocalFiles(request.messages))
      ? {}
      : false;
  if (asked === false) return false;
  if (asked === true || asked.ttl === undefined) return {};
  return { ttlMs: asked.ttl };
}

/**
 * True when a message names a local file (`{ type: 'image' | 'file', path }`). The key holds the
 * path, not the file's bytes, so such a call is not cached by default: a file changed on disk would
 * otherwise get the old answer. A call that asks for the cache explicitly still uses it.
 */
function readsLocalFiles(messages: ChatRequest['messages']): boolean {
  if (!Array.isArray(messages)) return false;
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string' || !Array.isArray(message.content)) continue;
    for (const part of message.content) if ((part as { path?: unknown }).path !== undefined) return true;
  }
  return false;
}

/** Provider and model of the empty response a failed stream reports (the reference as written). */
function streamIdentity(call: MiddlewareCall<ChatRequest>): { provider: string; model: string } {
  const model = call.request.model;
  if (typeof model !== 'string') return { provider: model.provider, model: model.model };
  const slash = model.indexOf('/');
  return slash <= 0 ? { provider: 'group', model } : { provider: model.slice(0, slash), model: model.slice(slash + 1) };
}

/** A debug line per lookup (the key is a hash of the request, never a secret). */
function note(hit: boolean, key: string): void {
  const log = requestLogger('cache');
  if (log?.isLevelEnabled('debug')) log.debug(hit ? 'cache hit' : 'cache miss', { key });
}

/** The cache middleware. */
export function cacheMiddleware(options: CacheStageOptions): Middleware {
  async function cachedChat(call: ChatCall, next: ChatNext, setting: { ttlMs?: number }): Promise<ChatResponse> {
    const cache = options.cache();
    const key = cache.chatKey(call.request);
    const hit = await cache.get(key);
    note(hit !== undefined, key);
    if (hit !== undefined) return { ...hit, attempts: [] };
    const response = await next(call);
    await cache.set(key, response, setting);
    return response;
  }
  return {
    name: 'cache',
    // Not async: a call that does not use the cache goes straight on, without a promise of its own.
    chat(call, next) {
      const setting = cacheSetting(call.request, options.byDefault);
      if (setting === false) return next(call);
      return cachedChat(call, next, setting);
    },
    stream(call, next) {
      const setting = cacheSetting(call.request, options.byDefault, 'stream');
      if (setting === false) return next(call);
      return deriveStream(async function* (signal) {
        const cache = options.cache();
        const key = cache.chatKey(call.request);
        const replay = await cache.replay(key);
        note(replay !== undefined, key);
        if (replay !== undefined) {
          yield* replay;
          return;
        }
        const recorder = cache.recordStream(key, setting);
        let finished = false;
        try {
          for await (const event of follow(next(call), signal)) {
            recorder.push(event);
            if (event.type === 'finish' || event.type === 'error') {
              finished = true;
              // Stored before the consumer sees the end, so the next identical call hits.
              await recorder.done;
            }
            yield event;
          }
        } finally {
          if (!finished) recorder.discard();
        }
      }, streamIdentity(call));
    },
    async embed(call, next) {
      const setting = cacheSetting(call.request, options.byDefault, 'embed');
      if (setting === false) return next(call);
      const cache = options.cache();
      const key = cache.embedKey(call.request);
      const hit = await cache.getEmbedding(key);
      note(hit !== undefined, key);
      if (hit !== undefined) return { ...hit, attempts: [] };
      const response = await next(call);
      await cache.setEmbedding(key, response, setting);
      return response;
    },
  };
}
