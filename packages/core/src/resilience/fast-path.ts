/**
 * The default stack's chat fast path: cache stage, fallback/routing, breaker and retry fused into
 * one async frame (one promise hop around the protocol call instead of one per stage). It is used
 * only when the stack is exactly the defaults (no user middleware, telemetry, logger, rate limits
 * or budgets: `buildStack` decides) and, per call, when the call does not use the cache, has one
 * target (no model group, no fallback chain) and that target's breakers are on the closed fast path
 * (`tryFastPass`) or off. Every other call takes the composed pipeline.
 *
 * It does what the stages do for such a call, in the same order: fallback's router accounting and
 * attempts copy, the breaker's outcome recording, retry's attempt loop (delays, `retry` events,
 * attempt records, per-attempt timeouts, the deadline). Keep it in step with `fallback.ts`,
 * `breaker.ts` and `retry.ts`.
 */

import type { CallTarget, ChatCall, ChatNext } from '../types/middleware.js';
import type { ChatResponse } from '../types/requests.js';
import type { CircuitBreakers } from './breaker.js';
import { callDeadline, type FallbackDependencies, soleTarget } from './fallback.js';
import { isRecorded, recordAttempt } from './middleware/attempts.js';
import { cacheSetting } from './middleware/cache.js';
import { attemptCall, emitRetry, planRetry, type RetryDependencies } from './retry.js';

export interface FastChatDependencies {
  fallback: FallbackDependencies;
  retry: RetryDependencies;
  /** The breakers, or undefined when the breaker stage is off. */
  breakers: CircuitBreakers | undefined;
  cacheByDefault: boolean;
  /** The protocol call. */
  terminal: ChatNext;
  /** The composed pipeline, for every call the fast path does not take. */
  general: ChatNext;
}

/** The chat entry point of the default stack with the fast path in front of the composed pipeline. */
export function fastChat(deps: FastChatDependencies): ChatNext {
  const { fallback, retry, breakers, terminal, general } = deps;

  async function run(
    outer: ChatCall,
    target: CallTarget,
    tickets: Parameters<CircuitBreakers['record']>[0] | undefined,
  ): Promise<ChatResponse> {
    // fallback/routing, one target
    const done = fallback.router.begin(target);
    const started = performance.now();
    const call: ChatCall = { ...outer, target, attempt: 1, deadline: callDeadline(fallback.clock, outer.request) };
    let response: ChatResponse;
    try {
      // breaker (closed fast path or off)
      try {
        // retry
        const options = retry.optionsFor(target, call.request.retry);
        for (let attempt = 1; ; attempt += 1) {
          const attemptStarted = performance.now();
          try {
            response = await terminal(attemptCall(retry, call, options, attempt));
            recordAttempt(call, target, attempt, performance.now() - attemptStarted);
            break;
          } catch (error) {
            recordAttempt(call, target, attempt, performance.now() - attemptStarted, error);
            const delay = planRetry(retry, call, options, attempt, error);
            if (delay === undefined) throw error;
            emitRetry(call, target, attempt, delay, error);
            await retry.clock.sleep(delay, call.request.signal);
          }
        }
      } catch (error) {
        if (tickets !== undefined) await (breakers as CircuitBreakers).record(tickets, error);
        throw error;
      }
      if (tickets !== undefined && !(breakers as CircuitBreakers).isNoop(tickets, undefined))
        await (breakers as CircuitBreakers).record(tickets, undefined);
    } catch (error) {
      // With one target, fallback ends with the target's own error whether or not it could fall back.
      done(undefined);
      if (!isRecorded(error)) recordAttempt(outer, target, 1, performance.now() - started, error);
      throw error;
    }
    done(performance.now() - started);
    response.attempts = [...outer.attempts];
    return response;
  }

  return (call) => {
    const request = call.request;
    if (cacheSetting(request, deps.cacheByDefault) !== false) return general(call);
    let target: CallTarget | undefined;
    try {
      target = soleTarget(fallback, request);
    } catch {
      // An unknown model: the composed pipeline fails the call the usual way.
      return general(call);
    }
    if (target === undefined) return general(call);
    if (breakers === undefined || request.breaker === false) return run(call, target, undefined);
    const tickets = breakers.tryFastPass(target);
    return tickets === undefined ? general(call) : run(call, target, tickets);
  };
}
