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
  StreamCall,
  StreamNext,
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
import { DONE, noop } from './middleware/iterator-done.js';
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
      return deriveStream((signal) => new FallbackEvents(deps, call, next, targets, signal), {
        provider: first.provider,
        model: first.modelId,
      });
    },
  };
}

/**
 * The events of a stream that may fall back, written out as an iterator (one promise step per event,
 * where the async generator it replaces took several at every stage; issue 11). It is this generator:
 *
 *   check the request's fallbackOn; walk = new TargetWalk(targets)
 *   for (target = walk.nextTarget(); target; ) { finished = router.begin(target); delivered = false
 *     for await (event of follow(next({ ...call, target, attempt: 1, deadline }), signal)) {
 *       error before any delivered event: failure = event, break (the target's stream is closed)
 *       delivered = true; finish: finished(latency), attempts; error: finished(undefined); yield event }
 *     no failure: return
 *     finished(undefined); record; verdict (an abort never falls back); step = moveOn(...)
 *     step ends: yield the failure when it is the error itself, else throw; return
 *     target = step.next }
 *   throw exhausted
 *
 * Once a target delivered an event, its events pass through as they come.
 */
class FallbackEvents implements AsyncGenerator<StreamEvent, undefined> {
  private walk: TargetWalk | undefined;
  private deadline: number | undefined;
  private target: CallTarget | undefined;
  private finished: (latencyMs: number | undefined) => void = noop;
  private started = 0;
  private delivered = false;
  private inner: AsyncGenerator<StreamEvent> | undefined;
  /** `last`: the failure was handed on as the last event; `done`: nothing more. */
  private state: 'open' | 'last' | 'done' = 'open';

  constructor(
    private readonly deps: FallbackDependencies,
    private readonly call: StreamCall,
    private readonly nextStage: StreamNext,
    private readonly targets: CallTarget[],
    private readonly signal: AbortSignal,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Starts `target` and reads its first event. */
  private begin(target: CallTarget): Promise<IteratorResult<StreamEvent, undefined>> {
    this.target = target;
    this.finished = this.deps.router.begin(target);
    this.started = performance.now();
    this.delivered = false;
    let inner: AsyncGenerator<StreamEvent>;
    try {
      inner = follow(this.nextStage({ ...this.call, target, attempt: 1, deadline: this.deadline }), this.signal);
    } catch (error) {
      this.state = 'done';
      return Promise.reject(error);
    }
    this.inner = inner;
    return inner.next().then(this.onResult, this.onError);
  }

  private readonly onResult = (
    result: IteratorResult<StreamEvent>,
  ): IteratorResult<StreamEvent, undefined> | Promise<IteratorResult<StreamEvent, undefined>> => {
    if (result.done === true) {
      this.state = 'done';
      return DONE;
    }
    const event = result.value;
    if (event.type === 'error' && !this.delivered) {
      // `break`: the target's stream is closed before the next target is decided.
      const inner = this.inner as AsyncGenerator<StreamEvent>;
      return inner.return(undefined).then(
        () => this.failedBeforeFirst(event),
        (error: unknown) => this.onError(error),
      );
    }
    this.delivered = true;
    if (event.type === 'finish') {
      this.finished(performance.now() - this.started);
      event.response.attempts = [...this.call.attempts];
    } else if (event.type === 'error') this.finished(undefined);
    return result;
  };

  private readonly onError = (error: unknown): never => {
    this.state = 'done';
    throw error;
  };

  /** The target failed before delivering anything: the next target, or the end. */
  private failedBeforeFirst(
    failure: StreamEvent & { type: 'error' },
  ): IteratorResult<StreamEvent, undefined> | Promise<IteratorResult<StreamEvent, undefined>> {
    const { deps, call, signal } = this;
    const target = this.target as CallTarget;
    try {
      this.finished(undefined);
      const error = failure.error;
      if (!isRecorded(error)) recordAttempt(call, target, 1, performance.now() - this.started, error);
      const verdict: FallbackVerdict = signal.aborted
        ? { allowed: false, rule: 'abort', why: 'the caller aborted the stream; an abort never falls back' }
        : verdictFor(deps, call, target, error);
      const step = moveOn(
        deps,
        call,
        this.walk as TargetWalk,
        target,
        error,
        verdict,
        this.deadline,
        this.targets.length > 1,
      );
      if ('end' in step) {
        if (step.end !== error) throw step.end;
        this.state = 'last';
        return { done: false, value: failure };
      }
      return this.begin(step.next);
    } catch (error) {
      return this.onError(error);
    }
  }

  next(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.state !== 'open') {
      this.state = 'done';
      return Promise.resolve(DONE);
    }
    const inner = this.inner;
    if (inner !== undefined) return inner.next().then(this.onResult, this.onError);
    let target: CallTarget | undefined;
    try {
      if (this.call.request.fallbackOn !== undefined) checkRequestFallbackRule(this.call.request.fallbackOn);
      this.walk = new TargetWalk(this.targets);
      this.deadline = callDeadline(this.deps.clock, this.call.request);
      target = this.walk.nextTarget();
      if (target === undefined) throw exhausted(this.call as MiddlewareCall<AnyRequest>, [], []);
    } catch (error) {
      this.state = 'done';
      return Promise.reject(error);
    }
    return this.begin(target);
  }

  return(): Promise<IteratorResult<StreamEvent, undefined>> {
    const open = this.state === 'open' && this.inner !== undefined;
    this.state = 'done';
    if (!open) return Promise.resolve(DONE);
    return (this.inner as AsyncGenerator<StreamEvent>).return(undefined).then(() => DONE);
  }

  throw(error: unknown): Promise<IteratorResult<StreamEvent, undefined>> {
    const open = this.state === 'open' && this.inner !== undefined;
    this.state = 'done';
    if (!open) return Promise.reject(error);
    return (this.inner as AsyncGenerator<StreamEvent>)
      .return(undefined)
      .then(noop, noop)
      .then(() => Promise.reject(error));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}
