/**
 * Circuit breakers per provider and per model. A breaker opens after `failureThreshold` failures,
 * or a failure rate of at least `failureRateThreshold` over at least `minimumCalls`, within
 * `windowMs`; after `cooldownMs` it lets `halfOpenMaxCalls` trial calls through (half-open); a trial
 * success closes it, a trial failure opens it again. Only provider-side failures count (5xx,
 * network, timeouts, rate limits): a bad request or a wrong key says nothing about the provider.
 *
 * State is a small JSON document per breaker in the `Store`, updated with compare-and-set, so every
 * process sharing a Redis store sees one breaker. Fast path: a breaker read as closed with no recent
 * failure is remembered as such for `closedCacheMs` (default 1 s), so a successful call on it costs
 * no store access at all; a failure is always recorded in the store (and ends the local snapshot),
 * and this process's own transitions update the snapshot at once. Another process opening the
 * breaker is therefore seen at most `closedCacheMs` later; `0` reads the store on every call.
 */

import { InvalidRequestError, SwitchboardError } from '../errors/errors.js';
import type { CallTarget, Middleware, MiddlewareCall } from '../types/middleware.js';
import type { Store } from '../types/store.js';
import type { Clock } from './clock.js';
import { CircuitOpenError } from './errors.js';
import { deriveStream, followObserved, type StreamObserver } from './middleware/derive-stream.js';
import type { SwitchboardEvents } from './middleware/events.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Breaker settings (globally, per provider). */
export interface BreakerOptions {
  /** Failures within the window that open the breaker (default 5). */
  failureThreshold?: number;
  /** Failure rate that opens the breaker once `minimumCalls` were seen in the window (default 0.5). */
  failureRateThreshold?: number;
  /** Calls in the window before the failure rate counts (default 10). */
  minimumCalls?: number;
  /** The counting window (default 60 s). */
  windowMs?: number;
  /** How long an open breaker refuses calls before a trial (default 30 s). */
  cooldownMs?: number;
  /** Trial calls let through while half-open (default 1). */
  halfOpenMaxCalls?: number;
  /**
   * Successful trial calls in half-open before the breaker closes (default 1). More than one asks a
   * provider that just came back to prove it on several calls; any trial failure re-opens it.
   */
  successThreshold?: number;
  /** Which breakers a call goes through (default both). */
  scope?: 'provider' | 'model' | 'both';
  /** Overrides which errors count as failures. */
  isFailure?: (error: unknown) => boolean;
  /**
   * How long a breaker read as closed with no failure is trusted without reading the store again
   * (default 1000 ms; 0: read on every call). Bounds how late a breaker opened by another process
   * sharing the store is noticed; this process's own failures and transitions are seen at once.
   */
  closedCacheMs?: number;
}

export type ResolvedBreakerOptions = Required<Omit<BreakerOptions, 'isFailure'>> & Pick<BreakerOptions, 'isFailure'>;

export const DEFAULT_BREAKER_OPTIONS: ResolvedBreakerOptions = {
  failureThreshold: 5,
  failureRateThreshold: 0.5,
  minimumCalls: 10,
  windowMs: 60_000,
  cooldownMs: 30_000,
  halfOpenMaxCalls: 1,
  successThreshold: 1,
  scope: 'both',
  closedCacheMs: 1000,
};

/** A breaker as `sb.breakerStatus()` reports it. */
export interface BreakerStatus {
  key: string;
  state: BreakerState;
  /** Failures in the current window. */
  failures: number;
  /** Calls counted in the current window (counting starts at its first failure). */
  calls: number;
  openedAt?: number;
  /** While open: milliseconds until a trial call is let through. */
  retryAfterMs?: number;
  /** Why it last opened. */
  reason?: string;
  /** Half-open: trial calls that succeeded so far (it closes at `successThreshold`). */
  successes?: number;
  /** Set by `sb.openBreaker` / `sb.resetBreaker`: the state was forced by hand. */
  manual?: boolean;
}

/** Options of a breaker forced open by hand. */
export interface OpenBreakerOptions {
  /** How long it refuses calls before a trial is let through (default: the breaker's `cooldownMs`). */
  forMs?: number;
  /** Why (shown in the refusals and the event). */
  reason?: string;
}

interface BreakerDoc {
  state: BreakerState;
  failures: number;
  calls: number;
  windowStart: number;
  openedAt?: number;
  trials?: number;
  trialStartedAt?: number;
  reason?: string;
  /** Successful trials in the current half-open period. */
  successes?: number;
  /** A cool-down of its own (a breaker opened by hand `forMs`). */
  cooldownMs?: number;
  manual?: boolean;
}

/** The cool-down of a document: its own (opened by hand) or the options'. */
const cooldownOf = (doc: BreakerDoc | undefined, options: ResolvedBreakerOptions): number =>
  doc?.cooldownMs ?? options.cooldownMs;

/** One breaker a call passed: where its document was and what it said then. */
interface Ticket {
  key: string;
  provider: string;
  model: string | undefined;
  options: ResolvedBreakerOptions;
  doc: BreakerDoc | undefined;
}

type Outcome = 'success' | 'failure' | 'answered' | 'ignored';

const FAILURE_KINDS = new Set(['provider', 'network', 'timeout', 'rate-limit']);

/** Default failure test: provider-side kinds; the breaker's own refusals and aborts do not count. */
export function countsAsBreakerFailure(error: unknown): boolean {
  return error instanceof SwitchboardError && !(error instanceof CircuitOpenError) && FAILURE_KINDS.has(error.kind);
}

const PREFIX = 'sb:cb:';
/** `RateLimitError.code` of the local rate limiter's refusals. */
const LOCAL_RATE_LIMIT = 'local_rate_limit';
const CAS_TRIES = 16;

/** The breakers of one switchboard, over its store. */
export class CircuitBreakers {
  /** Breaker keys read (or left) closed with no failure, and until when (clock ms) that is trusted. */
  private readonly closedUntil = new Map<string, number>();
  /** Per target: its breaker keys and the tickets of a fast-path pass (immutable, reused). */
  private readonly fast = new WeakMap<CallTarget, { keys: string[]; tickets: Ticket[] }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly events: SwitchboardEvents,
    private readonly optionsFor: (scope: string) => ResolvedBreakerOptions,
  ) {}

  private async update(
    key: string,
    options: ResolvedBreakerOptions,
    change: (doc: BreakerDoc | undefined, now: number) => BreakerDoc | undefined,
    /** Emit the event even when the state stays the same (a control by hand is always recorded). */
    alwaysEmit = false,
  ): Promise<BreakerDoc | undefined> {
    const storeKey = PREFIX + key;
    for (let i = 0; i < CAS_TRIES; i += 1) {
      const raw = await this.store.get(storeKey);
      const doc = raw === undefined ? undefined : (JSON.parse(raw) as BreakerDoc);
      const next = change(doc, this.clock.now());
      if (next === undefined) return doc;
      const ttlMs = 10 * Math.max(options.windowMs, cooldownOf(next, options));
      if (await this.store.compareAndSet(storeKey, raw, JSON.stringify(next), { ttlMs })) {
        this.remember(key, next, options);
        const from = doc?.state ?? 'closed';
        if (from !== next.state || alwaysEmit) this.emit(key, from, next.state, next.reason ?? 'recovered');
        return next;
      }
    }
    throw new Error(`Breaker '${key}' could not be updated: too much contention`);
  }

  /** Updates the local snapshot of a breaker from a document just read or written. */
  private remember(key: string, doc: BreakerDoc | undefined, options: ResolvedBreakerOptions): void {
    if (options.closedCacheMs > 0 && (doc === undefined || (doc.state === 'closed' && doc.failures === 0)))
      this.closedUntil.set(key, this.clock.now() + options.closedCacheMs);
    else this.closedUntil.delete(key);
  }

  /**
   * The fast path: the tickets of a target whose breakers are all known closed with no failure, or
   * undefined when the store must be read (`acquire`).
   */
  tryFastPass(target: CallTarget): Ticket[] | undefined {
    let entry = this.fast.get(target);
    if (entry === undefined) {
      const options = this.optionsFor(target.scope);
      const tickets: Ticket[] = [];
      if (options.scope !== 'model')
        tickets.push({ key: target.scope, provider: target.provider, model: undefined, options, doc: undefined });
      if (options.scope !== 'provider')
        tickets.push({
          key: `${target.scope}/${target.modelId}`,
          provider: target.provider,
          model: target.modelId,
          options,
          doc: undefined,
        });
      entry = { keys: tickets.map((ticket) => ticket.key), tickets };
      this.fast.set(target, entry);
    }
    if (this.closedUntil.size === 0) return undefined;
    const now = this.clock.now();
    for (const key of entry.keys) if (!((this.closedUntil.get(key) ?? 0) > now)) return undefined;
    return entry.tickets;
  }

  private emit(key: string, from: BreakerState, to: BreakerState, reason: string): void {
    if (!this.events.has('breaker')) return;
    const slash = key.indexOf('/');
    const provider = slash < 0 ? key : key.slice(0, slash);
    const event = { key, provider, from, to, reason, at: this.clock.now() };
    this.events.emit('breaker', slash < 0 ? event : { ...event, model: key.slice(slash + 1) });
  }

  /** Passes one breaker or throws CircuitOpenError. */
  private async pass(
    key: string,
    provider: string,
    model: string | undefined,
    options: ResolvedBreakerOptions,
  ): Promise<Ticket> {
    const raw = await this.store.get(PREFIX + key);
    let doc = raw === undefined ? undefined : (JSON.parse(raw) as BreakerDoc);
    this.remember(key, doc, options);
    if (doc === undefined || doc.state === 'closed') return { key, provider, model, options, doc };
    let refusedFor = 0;
    doc = await this.update(key, options, (current, now) => {
      refusedFor = 0;
      if (current === undefined || current.state === 'closed') return undefined;
      const openedAt = current.openedAt ?? now;
      const cooldownMs = cooldownOf(current, options);
      if (current.state === 'open') {
        if (now - openedAt < cooldownMs) {
          refusedFor = openedAt + cooldownMs - now;
          return undefined;
        }
        return {
          ...current,
          state: 'half-open',
          trials: 1,
          successes: 0,
          trialStartedAt: now,
          reason: 'cool-down over: trial call',
        };
      }
      const stale = now - (current.trialStartedAt ?? 0) >= cooldownMs;
      if (stale) return { ...current, trials: 1, trialStartedAt: now };
      if ((current.trials ?? 0) < options.halfOpenMaxCalls) return { ...current, trials: (current.trials ?? 0) + 1 };
      refusedFor = Math.max(1, (current.trialStartedAt ?? now) + cooldownMs - now);
      return undefined;
    });
    if (refusedFor > 0) {
      throw new CircuitOpenError(
        `Circuit breaker '${key}' is open${doc?.reason ? ` (${doc.reason})` : ''}: retry in ${Math.ceil(refusedFor)} ms or use another model`,
        { breaker: key, provider, ...(model === undefined ? {} : { model }), retryAfterMs: refusedFor },
      );
    }
    return { key, provider, model, options, doc };
  }

  /** Passes the breakers of a target (provider first, then model); throws CircuitOpenError when one is open. */
  async acquire(target: CallTarget): Promise<Ticket[]> {
    const options = this.optionsFor(target.scope);
    const tickets: Ticket[] = [];
    if (options.scope !== 'model') tickets.push(await this.pass(target.scope, target.provider, undefined, options));
    if (options.scope !== 'provider')
      tickets.push(await this.pass(`${target.scope}/${target.modelId}`, target.provider, target.modelId, options));
    return tickets;
  }

  /** How an outcome counts: `error` undefined is a success. */
  classify(error: unknown, options: ResolvedBreakerOptions): Outcome {
    if (error === undefined) return 'success';
    // A breaker's own refusal, or the local rate limiter's (nothing was sent), says nothing of the provider.
    if (error instanceof CircuitOpenError || (error instanceof SwitchboardError && error.code === LOCAL_RATE_LIMIT))
      return 'ignored';
    // The caller's abort says nothing of the provider either: it neither fails nor passes a trial.
    if (error instanceof SwitchboardError && error.kind === 'aborted') return 'ignored';
    if ((options.isFailure ?? countsAsBreakerFailure)(error)) return 'failure';
    return error instanceof SwitchboardError ? 'answered' : 'ignored';
  }

  /** Records the outcome of a call that passed `tickets`. */
  async record(tickets: readonly Ticket[], error: unknown): Promise<void> {
    for (const ticket of tickets) await this.recordOne(ticket, this.classify(error, ticket.options));
  }

  /** Whether recording this outcome would change nothing (a success or an answer on a clean closed breaker). */
  isNoop(tickets: readonly Ticket[], error: unknown): boolean {
    for (const ticket of tickets) {
      const outcome = this.classify(error, ticket.options);
      if (outcome === 'failure') return false;
      if (
        outcome !== 'ignored' &&
        ticket.doc !== undefined &&
        !(ticket.doc.state === 'closed' && ticket.doc.failures === 0)
      )
        return false;
    }
    return true;
  }

  private async recordOne(ticket: Ticket, outcome: Outcome): Promise<void> {
    const { options } = ticket;
    if (outcome === 'ignored') return;
    if (
      outcome !== 'failure' &&
      (ticket.doc === undefined || (ticket.doc.state === 'closed' && ticket.doc.failures === 0))
    )
      return;
    await this.update(ticket.key, options, (doc, now) => {
      const fresh = (): BreakerDoc => ({ state: 'closed', failures: 0, calls: 0, windowStart: now });
      if (outcome !== 'failure') {
        if (doc === undefined) return undefined;
        if (doc.state === 'half-open') {
          const successes = (doc.successes ?? 0) + 1;
          if (successes >= options.successThreshold)
            return {
              ...fresh(),
              reason: successes === 1 ? 'trial call succeeded' : `${successes} trial calls succeeded`,
            };
          // Not yet proven: the trial's slot is free for the next trial.
          return { ...doc, successes, trials: Math.max(0, (doc.trials ?? 1) - 1) };
        }
        if (doc.state !== 'closed') return undefined;
        if (now - doc.windowStart >= options.windowMs) return doc.failures === 0 ? undefined : fresh();
        if (outcome === 'answered') return undefined;
        return { ...doc, calls: doc.calls + 1 };
      }
      const current = doc ?? fresh();
      if (current.state === 'open') return undefined;
      if (current.state === 'half-open') {
        const { cooldownMs: _own, manual: _manual, ...rest } = current;
        return { ...rest, state: 'open', openedAt: now, trials: 0, successes: 0, reason: 'trial call failed' };
      }
      const base = now - current.windowStart >= options.windowMs ? fresh() : current;
      const failures = base.failures + 1;
      const calls = base.calls + 1;
      const byCount = failures >= options.failureThreshold;
      const byRate = calls >= options.minimumCalls && failures / calls >= options.failureRateThreshold;
      if (byCount || byRate) {
        const reason = byCount
          ? `${failures} failures within ${options.windowMs} ms`
          : `failure rate ${Math.round((failures / calls) * 100)} % over ${calls} calls`;
        return { ...base, state: 'open', failures, calls, openedAt: now, trials: 0, reason };
      }
      return { ...base, failures, calls };
    });
  }

  /** Opens a breaker from outside (a failed health check). */
  async forceOpen(key: string, reason: string): Promise<void> {
    const options = this.optionsFor(key.split('/')[0] as string);
    await this.update(key, options, (doc, now) =>
      doc?.state === 'open'
        ? undefined
        : {
            state: 'open',
            failures: doc?.failures ?? 0,
            calls: doc?.calls ?? 0,
            windowStart: now,
            openedAt: now,
            trials: 0,
            reason,
          },
    );
  }

  /**
   * Moves an open breaker to half-open at once (a passing health check): the next call is let
   * through as the trial instead of waiting out the cool-down, and its outcome closes or re-opens
   * the breaker as any trial's does. A breaker that is not open is left as it is.
   */
  async halfOpen(key: string, reason: string): Promise<void> {
    const options = this.optionsFor(key.split('/')[0] as string);
    await this.update(key, options, (doc, now) =>
      doc?.state !== 'open'
        ? undefined
        : { ...doc, state: 'half-open', trials: 0, successes: 0, trialStartedAt: now, reason },
    );
  }

  /**
   * Forces a breaker open by hand (`sb.openBreaker`): it refuses calls for `forMs` (default its
   * cool-down), then lets a trial through as after any opening. The state lives in the store, so
   * every process sharing it is refused; a `breaker` event is emitted even when it was open already.
   */
  async open(key: string, openOptions: OpenBreakerOptions = {}): Promise<BreakerStatus> {
    const options = this.optionsFor(key.split('/')[0] as string);
    const forMs = openOptions.forMs;
    if (forMs !== undefined && !(typeof forMs === 'number' && Number.isFinite(forMs) && forMs > 0))
      throw new InvalidRequestError(
        `openBreaker: \`forMs\` must be a positive number of milliseconds, got ${String(forMs)}`,
        {
          retryable: false,
        },
      );
    const reason = openOptions.reason ?? `opened by hand${forMs === undefined ? '' : ` for ${forMs} ms`}`;
    await this.update(
      key,
      options,
      (doc, now) => {
        const next: BreakerDoc = {
          state: 'open',
          failures: doc?.failures ?? 0,
          calls: doc?.calls ?? 0,
          windowStart: now,
          openedAt: now,
          trials: 0,
          successes: 0,
          reason,
          manual: true,
        };
        if (forMs !== undefined) next.cooldownMs = forMs;
        return next;
      },
      true,
    );
    return this.status(key);
  }

  /**
   * Closes a breaker by hand (`sb.resetBreaker`), forgetting its failures: calls go through at once
   * in every process sharing the store. A `breaker` event is emitted even when it was closed already.
   */
  async close(key: string, reason = 'reset by hand'): Promise<BreakerStatus> {
    const options = this.optionsFor(key.split('/')[0] as string);
    await this.update(
      key,
      options,
      (_doc, now) => ({ state: 'closed', failures: 0, calls: 0, windowStart: now, reason, manual: true }),
      true,
    );
    return this.status(key);
  }

  /** The state of one breaker (`provider` or `provider/model`). */
  async status(key: string): Promise<BreakerStatus> {
    const raw = await this.store.get(PREFIX + key);
    if (raw === undefined) return { key, state: 'closed', failures: 0, calls: 0 };
    const doc = JSON.parse(raw) as BreakerDoc;
    const status: BreakerStatus = { key, state: doc.state, failures: doc.failures, calls: doc.calls };
    if (doc.openedAt !== undefined) status.openedAt = doc.openedAt;
    if (doc.reason !== undefined) status.reason = doc.reason;
    if (doc.state === 'half-open') status.successes = doc.successes ?? 0;
    if (doc.manual === true) status.manual = true;
    if (doc.state === 'open' && doc.openedAt !== undefined)
      status.retryAfterMs = Math.max(
        0,
        doc.openedAt + cooldownOf(doc, this.optionsFor(key.split('/')[0] as string)) - this.clock.now(),
      );
    return status;
  }

  /** Forgets every breaker (tests, manual recovery). */
  async reset(): Promise<void> {
    this.closedUntil.clear();
    await this.store.deletePrefix(PREFIX);
  }
}

function requireTarget(call: MiddlewareCall<unknown>): CallTarget {
  if (call.target === undefined) throw new Error('The breaker middleware must run inside fallback/routing');
  return call.target;
}

/** The breaker middleware (per target, outermost of the per-target stages). */
export function breakerMiddleware(breakers: CircuitBreakers): Middleware {
  async function run<R extends { breaker?: boolean }, T>(
    call: MiddlewareCall<R>,
    next: (call: MiddlewareCall<R>) => Promise<T>,
  ): Promise<T> {
    if (call.request.breaker === false) return next(call);
    const target = requireTarget(call);
    const tickets = breakers.tryFastPass(target) ?? (await breakers.acquire(target));
    let result: T;
    try {
      result = await next(call);
    } catch (error) {
      await breakers.record(tickets, error);
      throw error;
    }
    if (!breakers.isNoop(tickets, undefined)) await breakers.record(tickets, undefined);
    return result;
  }
  return {
    name: 'breaker',
    chat: run,
    embed: run,
    stream(call, next) {
      if (call.request.breaker === false) return next(call);
      const target = requireTarget(call);
      // The outcome is recorded before the consumer sees the end; the events in between pass through
      // with no generator of the breaker's own (issue 11, cost per chunk).
      const recordOutcome = (tickets: Ticket[]): StreamObserver => ({
        event(event) {
          if (event.type === 'finish') return breakers.record(tickets, undefined);
          if (event.type === 'error') return breakers.record(tickets, event.error);
          return undefined;
        },
        end() {},
      });
      return deriveStream(
        (signal) => {
          const tickets = breakers.tryFastPass(target);
          if (tickets !== undefined) return followObserved(() => next(call), signal, recordOutcome(tickets));
          return (async function* () {
            const acquired = await breakers.acquire(target);
            yield* followObserved(() => next(call), signal, recordOutcome(acquired));
          })();
        },
        { provider: target.provider, model: target.modelId },
      );
    },
  };
}
