/**
 * The budget stage (outermost): before a call, its estimated tokens and cost are reserved against
 * every budget that applies (its `budget` key, its `tags`, the global ones); a call that would go
 * over is refused with a `BudgetExceededError` before anything is sent. After the call the
 * reservation is corrected to the real usage and cost; a cache hit costs nothing; a call that failed
 * is given back (a stream that failed midway is charged what it received).
 */

import { calculateCost } from '../../catalog/cost.js';
import { requestLogger } from '../../runtime/request-context.js';
import type { CallTarget, Middleware, MiddlewareCall } from '../../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../../types/requests.js';
import type { BudgetReservation, BudgetTracker } from '../state/budget.js';
import { deriveStream, follow } from './derive-stream.js';
import { estimateCallTokens } from './rate-limit.js';

/** What the budget stage needs: the tracker and the primary target of a plain model ref (for pricing). */
export interface BudgetStageOptions {
  tracker: BudgetTracker;
  primaryTarget(request: ChatRequest | EmbedRequest): CallTarget | undefined;
}

async function reserve(
  options: BudgetStageOptions,
  call: MiddlewareCall<ChatRequest | EmbedRequest>,
): Promise<BudgetReservation> {
  const log = requestLogger('budget');
  if (log === undefined) return check(options, call);
  try {
    return await check(options, call);
  } catch (error) {
    if (log.isLevelEnabled('warn'))
      log.warn('budget: call refused', { budgetKey: call.budgetKey, tags: call.tags, error });
    throw error;
  }
}

function check(
  options: BudgetStageOptions,
  call: MiddlewareCall<ChatRequest | EmbedRequest>,
): Promise<BudgetReservation> {
  const request = call.request;
  const target = options.primaryTarget(request);
  const estimatedTokens = estimateCallTokens(request, target?.model ?? target?.modelId);
  const pricing = target?.model?.pricing;
  const output = 'messages' in request ? (request.maxTokens ?? 0) : 0;
  const cost =
    pricing === undefined
      ? undefined
      : calculateCost(pricing, { inputTokens: Math.max(0, estimatedTokens - output), outputTokens: output });
  return options.tracker.check({
    ...(call.budgetKey === undefined ? {} : { key: call.budgetKey }),
    tags: [...call.tags],
    estimatedTokens,
    ...(cost === undefined ? {} : { estimatedCost: cost.total }),
  });
}

function quietly(promise: Promise<void>): void {
  void promise.catch(() => undefined);
}

/**
 * Reserves before the call, releases on failure, and records the real usage after success (in the
 * background: the counters are atomic, the caller need not wait). A cache hit records nothing spent.
 */
async function reserveAndRecord<
  C extends MiddlewareCall<ChatRequest | EmbedRequest>,
  R extends { cached: boolean; cost?: { total: number } },
>(
  options: BudgetStageOptions,
  call: C,
  next: (call: C) => Promise<R>,
  usageOf: (response: R) => Parameters<BudgetTracker['record']>[1],
): Promise<R> {
  const reservation = await reserve(options, call);
  let response: R;
  try {
    response = await next(call);
  } catch (error) {
    quietly(options.tracker.release(reservation));
    throw error;
  }
  quietly(
    response.cached
      ? options.tracker.record(reservation, 0, 0)
      : options.tracker.record(reservation, usageOf(response), response.cost?.total ?? 0),
  );
  return response;
}

/** The budget middleware over E-state's `BudgetTracker`. */
export function budgetMiddleware(options: BudgetStageOptions): Middleware {
  const { tracker } = options;
  return {
    name: 'budget',
    chat: (call, next) => reserveAndRecord(options, call, next, (response) => response.usage),
    embed: (call, next) => reserveAndRecord(options, call, next, (response) => response.usage.inputTokens),
    stream(call, next) {
      const request = call.request;
      const model =
        typeof request.model === 'string' ? request.model : `${request.model.provider}/${request.model.model}`;
      const slash = model.indexOf('/');
      return deriveStream(
        async function* (signal) {
          const reservation = await reserve(options, call);
          let settled = false;
          try {
            for await (const event of follow(next(call), signal)) {
              if (event.type === 'finish') {
                settled = true;
                const cached = event.response.cached;
                await tracker.record(reservation, cached ? 0 : event.usage, cached ? 0 : (event.cost?.total ?? 0));
              } else if (event.type === 'error') {
                settled = true;
                await tracker.record(reservation, event.partial.usage, event.partial.cost?.total ?? 0);
              }
              yield event;
            }
          } finally {
            if (!settled) quietly(tracker.release(reservation));
          }
        },
        { provider: slash < 0 ? 'group' : model.slice(0, slash), model: slash < 0 ? model : model.slice(slash + 1) },
      );
    },
  };
}
