/**
 * The response-cache stage (call level, between budget and fallback): a call that asks for the
 * cache (`cache: true | { ttl }`, or every call when the switchboard's cache has `default: true`)
 * is answered from the exact-match cache when it can; otherwise the answer is stored once it
 * finished cleanly. Streams are recorded as they pass and replayed as streams; embeddings the same.
 * A hit never reaches budgets' recording, breakers, rate limits or the provider.
 */

import { requestLogger } from '../logging/context.js';
import type { ChatRequest, ChatResponse, EmbedRequest } from '../runtime/types.js';
import type { ResponseCache } from '../state/response-cache.js';
import { deriveStream, follow } from './derive-stream.js';
import type { ChatCall, ChatNext, Middleware, MiddlewareCall } from './types.js';

/** What the cache stage needs: the cache (created on first use) and whether calls use it by default. */
export interface CacheStageOptions {
  cache(): ResponseCache;
  /** Calls without a `cache` field use the cache (default false: only calls that ask). */
  byDefault: boolean;
}

/** The per-call TTL, or false when this call does not use the cache. */
export function cacheSetting(request: ChatRequest | EmbedRequest, byDefault: boolean): { ttlMs?: number } | false {
  const asked = request.cache;
  if (asked === undefined) return byDefault ? {} : false;
  if (asked === false) return false;
  if (asked === true || asked.ttl === undefined) return {};
  return { ttlMs: asked.ttl };
}

/** What the key is computed over: the target when the model is a plain ref, the group name otherwise. */
function keyTarget(call: MiddlewareCall<ChatRequest | EmbedRequest>): { provider: string; model: string } {
  const target = call.target;
  if (target !== undefined) return { provider: target.provider, model: target.modelId };
  const model = call.request.model;
  return { provider: 'group', model: typeof model === 'string' ? model : `${model.provider}/${model.model}` };
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
    const key = cache.chatKey(call.request, keyTarget(call));
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
      const setting = cacheSetting(call.request, options.byDefault);
      if (setting === false) return next(call);
      const identity = keyTarget(call);
      return deriveStream(async function* (signal) {
        const cache = options.cache();
        const key = cache.chatKey(call.request, identity);
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
      }, identity);
    },
    async embed(call, next) {
      const setting = cacheSetting(call.request, options.byDefault);
      if (setting === false) return next(call);
      const cache = options.cache();
      const key = cache.embedKey(call.request, keyTarget(call));
      const hit = await cache.getEmbedding(key);
      note(hit !== undefined, key);
      if (hit !== undefined) return { ...hit, attempts: [] };
      const response = await next(call);
      await cache.setEmbedding(key, response, setting);
      return response;
    },
  };
}
