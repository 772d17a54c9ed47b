/**
 * The rate-limit stage (per target, after the breaker): admits a call against the provider's
 * requests- and tokens-per-minute windows (catalog defaults, overridable per provider and key)
 * before it is sent, with the tokens counted from the messages (the model's tokenizer where core has
 * one) plus `maxTokens`; after the call the estimate is corrected from the real usage. `wait` sleeps until there is room (bounded);
 * `fail` throws a `RateLimitError` at once, which fallback treats like the provider's own 429.
 */

import { countTokens } from '../../catalog/tokens.js';
import { requestLogger } from '../../runtime/request-context.js';
import type { ModelInfo } from '../../types/catalog.js';
import type { CallTarget, Middleware, MiddlewareCall } from '../../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../../types/requests.js';
import type { RateLimiter, RateLimitPermit } from '../state/rate-limiter.js';
import { deriveStream, follow } from './derive-stream.js';

/**
 * Tokens a call will use, for the rate limiter and budgets before the provider reports real usage:
 * the prompt counted with the model's own tokenizer where core has one (OpenAI families, with
 * OpenAI's per-message framing), a documented estimate elsewhere, plus `maxTokens` of output.
 * Corrected from the response's usage afterwards.
 */
export function estimateCallTokens(request: ChatRequest | EmbedRequest, model?: ModelInfo | string): number {
  if ('messages' in request) return countTokens(request.messages, model).tokens + (request.maxTokens ?? 0);
  const input = typeof request.input === 'string' ? [request.input] : request.input;
  let tokens = 0;
  for (const text of input) tokens += countTokens(text, model).tokens;
  return tokens;
}

/** The key id a target's deployment counts under (deployments with their own key), else none. */
function keyOf(target: CallTarget): string | undefined {
  return target.scope.includes('#') ? target.deployment : undefined;
}

async function acquire(limiter: RateLimiter, call: MiddlewareCall<ChatRequest | EmbedRequest>, target: CallTarget) {
  const setting = call.request.rateLimit;
  const key = keyOf(target);
  const log = requestLogger('ratelimit');
  if (log === undefined) return limiter.acquire(acquireRequest(call, target, key, setting));
  try {
    const permit = await limiter.acquire(acquireRequest(call, target, key, setting));
    if (permit.waitedMs > 0 && log.isLevelEnabled('info'))
      log.info(`rate limit: waited ${Math.round(permit.waitedMs)} ms for ${target.provider}`, {
        provider: target.provider,
        model: target.modelId,
        waitedMs: permit.waitedMs,
      });
    return permit;
  } catch (error) {
    if (log.isLevelEnabled('warn'))
      log.warn(`rate limit: call to ${target.provider} refused`, {
        provider: target.provider,
        model: target.modelId,
        error,
      });
    throw error;
  }
}

function acquireRequest(
  call: MiddlewareCall<ChatRequest | EmbedRequest>,
  target: CallTarget,
  key: string | undefined,
  setting: ChatRequest['rateLimit'],
) {
  return {
    provider: target.provider,
    model: target.modelId,
    estimatedTokens: estimateCallTokens(call.request, target.model ?? target.modelId),
    ...(key === undefined ? {} : { key }),
    ...(setting === false || setting?.policy === undefined ? {} : { policy: setting.policy }),
    ...(call.request.signal === undefined ? {} : { signal: call.request.signal }),
  };
}

function settle(permit: RateLimitPermit, tokens: number): void {
  void permit.commit(tokens).catch(() => undefined);
}

/** The rate-limit middleware over E-state's `RateLimiter`. */
export function rateLimitMiddleware(limiter: RateLimiter): Middleware {
  return {
    name: 'rate-limit',
    async chat(call, next) {
      const target = call.target;
      if (call.request.rateLimit === false || target === undefined) return next(call);
      const permit = await acquire(limiter, call, target);
      try {
        const response = await next(call);
        settle(permit, response.usage.totalTokens);
        return response;
      } catch (error) {
        settle(permit, 0);
        throw error;
      }
    },
    async embed(call, next) {
      const target = call.target;
      if (call.request.rateLimit === false || target === undefined) return next(call);
      const permit = await acquire(limiter, call, target);
      try {
        const response = await next(call);
        settle(permit, response.usage.inputTokens);
        return response;
      } catch (error) {
        settle(permit, 0);
        throw error;
      }
    },
    stream(call, next) {
      const target = call.target;
      if (call.request.rateLimit === false || target === undefined) return next(call);
      return deriveStream(
        async function* (signal) {
          const permit = await acquire(limiter, call, target);
          let settled = false;
          try {
            for await (const event of follow(next(call), signal)) {
              if (event.type === 'finish') {
                settled = true;
                settle(permit, event.usage.totalTokens);
              } else if (event.type === 'error') {
                settled = true;
                settle(permit, event.partial.usage.totalTokens);
              }
              yield event;
            }
          } finally {
            if (!settled) settle(permit, 0);
          }
        },
        { provider: target.provider, model: target.modelId },
      );
    },
  };
}
