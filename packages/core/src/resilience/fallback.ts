/**
 * Fallback and routing: the stage that picks targets. It plans the targets of a call (a model
 * group's deployments in strategy order, or the model itself, then the call's or group's fallback
 * models), runs the per-target stages for each in turn, and moves on when a target fails for good
 * and the fallback rule allows it (`fallback-rules.ts`: by default every error but those the request
 * itself caused; `fallbackOn` replaces it). A context-length error moves on only to a model with a
 * larger window; a stream moves on only before its first event was delivered. In a call with
 * several targets, each target's last attempt records the decision (`AttemptRecord.fallback`).
 */

import { SwitchboardError } from '../errors/errors.js';
import type {
  CallTarget,
  ChatCall,
  EmbedCall,
  FallbackDecision,
  Middleware,
  MiddlewareCall,
} from '../types/middleware.js';
import type { ChatRequest, EmbedRequest, FallbackRule, ModelRef, StreamEvent } from '../types/requests.js';
import type { Clock } from './clock.js';
import { AllTargetsFailedError } from './errors.js';
import {
  checkRequestFallbackRule,
  checkSwitchboardFallbackRule,
  decideFallback,
  type FallbackVerdict,
} from './fallback-rules.js';
import { describeError, isRecorded, lastAttemptAt, noteFallback, recordAttempt } from './middleware/attempts.js';
import { deriveStream, follow } from './middleware/derive-stream.js';
import { groupName, type Router } from './routing.js';

/** What the fallback stage needs from the switchboard. */
export interface FallbackDependencies {
  clock: Clock;
  router: Router;
  /** Resolves a model reference to its target (cached by the switchboard). */
  resolveTarget(model: ModelRef): CallTarget;
  /** Fallback models configured globally for a model ref (`createSwitchboard({ fallbacks })`). */
  fallbacksFor(ref: string): ModelRef[] | undefined;
  /** The switchboard's `fallbackOn` (a call's own wins); undefined for the default rule. */
  fallbackOn?: FallbackRule;
}

type AnyRequest = ChatRequest | EmbedRequest;

/** The targets one model reference stands for: a group's deployments in order, or the model itself. */
function expandModel(deps: FallbackDependencies, request: AnyRequest, model: ModelRef): CallTarget[] {
  const group = groupName(model, deps.router.names);
  return group === undefined ? [deps.resolveTarget(model)] : deps.router.order(group, request);
}

/** The targets of a call in the order to try them. */
export function planTargets(deps: FallbackDependencies, request: AnyRequest): CallTarget[] {
  const group = groupName(request.model, deps.router.names);
  const targets = group === undefined ? [deps.resolveTarget(request.model)] : deps.router.order(group, request);
  return withChain(deps, request, group, targets);
}

/**
 * `planTargets` for a call to a group whose routing state lives in a shared store (one round trip
 * claims the turn first); undefined for every other call (then `planTargets` answers synchronously).
 */
export function planSharedTargets(deps: FallbackDependencies, request: AnyRequest): Promise<CallTarget[]> | undefined {
  if (!deps.router.sharesState) return undefined;
  const group = groupName(request.model, deps.router.names);
  if (group === undefined) return undefined;
  return deps.router.orderShared(group, request)?.then((targets) => withChain(deps, request, group, targets));
}

/** Appends the call's (or group's, or model's) fallback chain to its first targets. */
function withChain(
  deps: FallbackDependencies,
  request: AnyRequest,
  group: string | undefined,
  targets: CallTarget[],
): CallTarget[] {
  const chain =
    request.fallback ??
    (group === undefined ? deps.fallbacksFor((targets[0] as CallTarget).ref) : deps.router.fallbackOf(group));
  if (chain === undefined || chain.length === 0) return targets;
  const seen = new Set(targets);
  for (const model of chain)
    for (const target of expandModel(deps, request, model))
      if (!seen.has(target)) {
        seen.add(target);
        targets.push(target);
      }
  return targets;
}

/**
 * The only target of a call that is neither a model group nor has a fallback chain (what
 * `planTargets` would return alone), or undefined when the call has another plan.
 */
export function soleTarget(deps: FallbackDependencies, request: AnyRequest): CallTarget | undefined {
  if (groupName(request.model, deps.router.names) !== undefined) return undefined;
  const target = deps.resolveTarget(request.model);
  const chain = request.fallback ?? deps.fallbacksFor(target.ref);
  return chain === undefined || chain.length === 0 ? target : undefined;
}

/** The overall deadline (clock ms) of a call with a `timeout`. */
export function callDeadline(clock: Clock, request: AnyRequest): number | undefined {
  return request.timeout !== undefined && request.timeout > 0 ? clock.now() + request.timeout : undefined;
}

/**
 * Whether the call may move on to another target after this error, under the call's `fallbackOn`,
 * else `switchboardRule`, else the default rule (`fallback-rules.ts`).
 */
export function canFallBack(error: unknown, request: AnyRequest, switchboardRule?: FallbackRule): boolean {
  const from = error instanceof SwitchboardError ? error : undefined;
  return decideFallback(error, request, switchboardRule, {
    provider: from?.provider ?? '',
    model: from?.model ?? '',
    attempt: 1,
  }).allowed;
}

/** The rule's verdict on the error that ended `target`. */
function verdictFor(
  deps: FallbackDependencies,
  call: MiddlewareCall<AnyRequest>,
  target: CallTarget,
  error: unknown,
): FallbackVerdict {
  const attempt = lastAttemptAt(call, target)?.attempt ?? 1;
  return decideFallback(error, call.request, deps.fallbackOn, {
    provider: target.provider,
    model: target.modelId,
    attempt,
  });
}

/** The decision recorded on a target's last attempt. */
function decision(
  error: unknown,
  verdict: FallbackVerdict,
  outcome: FallbackDecision['outcome'],
  following?: CallTarget,
): FallbackDecision {
  const { kind, status } = describeError(error);
  const what =
    outcome === 'fell-back'
      ? `fell back to ${following?.ref}`
      : outcome === 'not-allowed'
        ? 'not allowed'
        : outcome === 'no-target-left'
          ? 'no target left'
          : "the call's timeout ran out";
  const out: FallbackDecision = {
    outcome,
    rule: verdict.rule,
    kind,
    reason: `${kind}${status === undefined ? '' : ` ${status}`} -> ${what} (${verdict.why})`,
  };
  if (status !== undefined) out.status = status;
  if (following !== undefined && outcome === 'fell-back') out.to = following.ref;
  return out;
}

function summary(error: unknown): string {
  if (error instanceof SwitchboardError)
    return `${error.kind}${error.status === undefined ? '' : ` ${error.status}`}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** The error a call ends with when no target could serve it. */
function exhausted(
  call: MiddlewareCall<AnyRequest>,
  tried: { target: CallTarget; error: unknown }[],
  skipped: string[],
): unknown {
  const last = tried[tried.length - 1];
  if (last === undefined) {
    return new AllTargetsFailedError(
      'context-length-exceeded',
      `No model with a larger context window to fall back to (skipped ${skipped.join(', ')})`,
      {
        attempts: [...call.attempts],
        errors: [],
      },
    );
  }
  if (tried.length === 1 && skipped.length === 0) return last.error;
  const lines = tried.map(({ target, error }) => {
    const count = call.attempts.filter(
      (attempt) => attempt.provider === target.provider && attempt.model === target.modelId,
    ).length;
    return `${target.ref}${target.deployment === undefined ? '' : ` [${target.deployment}]`} -> ${summary(error)}${count > 1 ? ` (${count} attempts)` : ''}`;
  });
  if (skipped.length > 0) lines.push(`skipped (context window not larger): ${skipped.join(', ')}`);
  const kind = last.error instanceof SwitchboardError ? last.error.kind : 'provider';
  return new AllTargetsFailedError(kind, `No target could serve the request. Tried:\n  ${lines.join('\n  ')}`, {
    attempts: [...call.attempts],
    errors: tried.map(({ error }) => (error instanceof Error ? error : new Error(String(error)))),
    cause: last.error,
    ...(last.error instanceof SwitchboardError && last.error.provider !== undefined
      ? { provider: last.error.provider }
      : {}),
    ...(last.error instanceof SwitchboardError && last.error.model !== undefined ? { model: last.error.model } : {}),
  });
}

/** Walks the plan, skipping targets a context-length failure rules out. */
class TargetWalk {
  readonly tried: { target: CallTarget; error: unknown }[] = [];
  readonly skipped: string[] = [];
  private contextFloor: number | undefined;
  private index = 0;

  constructor(private readonly targets: CallTarget[]) {}

  nextTarget(): CallTarget | undefined {
    while (this.index < this.targets.length) {
      const target = this.targets[this.index++] as CallTarget;
      if (this.contextFloor === undefined) return target;
      const context = target.model?.limits.context;
      if (context !== undefined && context > this.contextFloor) return target;
      this.skipped.push(target.ref);
    }
    return undefined;
  }

  failed(target: CallTarget, error: unknown): void {
    this.tried.push({ target, error });
    if (error instanceof SwitchboardError && error.kind === 'context-length-exceeded')
      this.contextFloor = Math.max(this.contextFloor ?? 0, target.model?.limits.context ?? 0);
  }
}

/**
 * After `target` failed for good: records the failure, writes the rule's decision on the target's
 * last attempt (calls with several targets), announces the fallback, and returns the next target or
 * the error that ends the call (the target's own error when the rule kept the call, with the call's
 * attempts attached; else `exhausted`'s).
 */
function moveOn(
  deps: FallbackDependencies,
  call: MiddlewareCall<AnyRequest>,
  walk: TargetWalk,
  target: CallTarget,
  error: unknown,
  verdict: FallbackVerdict,
  deadline: number | undefined,
  noting: boolean,
): { next: CallTarget } | { end: unknown } {
  walk.failed(target, error);
  if (!verdict.allowed) {
    if (noting) noteFallback(call, target, decision(error, verdict, 'not-allowed'));
    return { end: withAttempts(call, error, noting) };
  }
  const following = walk.nextTarget();
  const outOfTime = deadline !== undefined && deps.clock.now() >= deadline;
  const outcome = outOfTime ? 'deadline' : following === undefined ? 'no-target-left' : 'fell-back';
  if (noting) noteFallback(call, target, decision(error, verdict, outcome, following));
  if (following === undefined || outOfTime)
    return { end: withAttempts(call, exhausted(call, walk.tried, walk.skipped), noting) };
  if (call.events.has('fallback'))
    call.events.emit('fallback', { from: target.ref, to: following.ref, error: error as Error });
  return { next: following };
}

/** The error ending a call with several targets carries the call's attempts (and their decisions). */
function withAttempts(call: MiddlewareCall<AnyRequest>, error: unknown, noting: boolean): unknown {
  if (noting && error instanceof SwitchboardError && !(error instanceof AllTargetsFailedError))
    error.attempts = [...call.attempts];
  return error;
}

/** The fallback/routing middleware (call level, innermost of the call-level stages). */
export function fallbackMiddleware(deps: FallbackDependencies): Middleware {
  checkSwitchboardFallbackRule(deps.fallbackOn);
  const deadlineOf = (request: AnyRequest) => callDeadline(deps.clock, request);

  async function run<R extends AnyRequest, T extends { attempts?: unknown }>(
    call: MiddlewareCall<R>,
    next: (call: MiddlewareCall<R>) => Promise<T>,
  ): Promise<T> {
    if (call.request.fallbackOn !== undefined) checkRequestFallbackRule(call.request.fallbackOn);
    const shared = planSharedTargets(deps, call.request);
    const targets = shared === undefined ? planTargets(deps, call.request) : await shared;
    // One target has nothing to decide: its attempts stay as the fast path records them.
    const noting = targets.length > 1;
    const walk = new TargetWalk(targets);
    const deadline = deadlineOf(call.request);
    for (let target = walk.nextTarget(); target !== undefined; ) {
      const done = deps.router.begin(target);
      const started = performance.now();
      try {
        const response = await next({ ...call, target, attempt: 1, deadline });
        done(performance.now() - started);
        response.attempts = [...call.attempts];
        return response;
      } catch (error) {
        done(undefined);
        if (!isRecorded(error)) recordAttempt(call, target, 1, performance.now() - started, error);
        const verdict = verdictFor(deps, call as MiddlewareCall<AnyRequest>, target, error);
        const step = moveOn(deps, call as MiddlewareCall<AnyRequest>, walk, target, error, verdict, deadline, noting);
        if ('end' in step) throw step.end;
        target = step.next;
      }
    }
    throw exhausted(call as MiddlewareCall<AnyRequest>, walk.tried, walk.skipped);
  }

  return {
    name: 'fallback',
    chat: (call: ChatCall, next) => run(call, next),
    embed: (call: EmbedCall, next) => run(call, next),
    stream(call, next) {
      const targets = planTargets(deps, call.request);
      const first = targets[0] as CallTarget;
      const noting = targets.length > 1;
      return deriveStream(
        async function* (signal) {
          if (call.request.fallbackOn !== undefined) checkRequestFallbackRule(call.request.fallbackOn);
          const walk = new TargetWalk(targets);
          const deadline = deadlineOf(call.request);
          for (let target = walk.nextTarget(); target !== undefined; ) {
            const done = deps.router.begin(target);
            const started = performance.now();
            let delivered = false;
            let failure: StreamEvent | undefined;
            for await (const event of follow(next({ ...call, target, attempt: 1, deadline }), signal)) {
              if (event.type === 'error' && !delivered) {
                failure = event;
                break;
              }
              delivered = true;
              if (event.type === 'finish') {
                done(performance.now() - started);
                event.response.attempts = [...call.attempts];
              } else if (event.type === 'error') done(undefined);
              yield event;
            }
            if (failure === undefined || failure.type !== 'error') return;
            done(undefined);
            const error = failure.error;
            if (!isRecorded(error)) recordAttempt(call, target, 1, performance.now() - started, error);
            const verdict: FallbackVerdict = signal.aborted
              ? { allowed: false, rule: 'abort', why: 'the caller aborted the stream; an abort never falls back' }
              : verdictFor(deps, call, target, error);
            const step = moveOn(deps, call, walk, target, error, verdict, deadline, noting);
            if ('end' in step) {
              if (step.end === error) yield failure;
              else throw step.end;
              return;
            }
            target = step.next;
          }
          throw exhausted(call as MiddlewareCall<AnyRequest>, [], []);
        },
        { provider: first.provider, model: first.modelId },
      );
    },
  };
}
