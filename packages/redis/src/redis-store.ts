/**
 * `RedisStore`: core's `Store` on a real Redis server (ioredis), so many processes share one view of
 * rate limits, circuit breakers, the response cache and budgets.
 *
 * Atomicity: every read-modify-write is one Lua script (`scripts.ts`), sent with EVALSHA.
 *
 * Failover: when a call fails with a connection error or does not answer within `commandTimeoutMs`,
 * the store switches to an in-process `MemoryStore`, logs one warning, and keeps answering from it.
 * Counter changes made meanwhile (increment, reserve, slidingWindow, adjustWindow) are recorded as
 * deltas. When Redis is reachable again (ioredis `ready`, or a periodic probe for a server that merely
 * stalled) the store:
 *   1. fences off every call sent before the outage (a per-instance epoch checked by the scripts)
 *      and reads how many counter calls Redis accepted from this instance (`acks`); since one
 *      connection executes commands in order, the calls that failed without a reply are resolved
 *      exactly: the first `acks - lastSeenAck` of them reached Redis, the rest did not and are
 *      replayed as deltas;
 *   2. applies all deltas in one idempotent script (a batch id applied twice is skipped);
 *   3. switches back to Redis and logs it once.
 * So budgets and limits are neither lost nor counted twice. Plain values written during the outage
 * (cache entries, breaker documents) stay local and are dropped: Redis's copy wins on return (a cache
 * miss is harmless, breaker state is re-learned). While local, each process enforces limits on its own
 * (it does not know what the others admit), so a limit shared by N processes may admit up to N times
 * its value during an outage; the real usage is then recorded in Redis when it returns.
 */

import {
  type AdmitCheck,
  type AdmitResult,
  createLogger,
  type Logger,
  MemoryStore,
  type PinoLike,
  type SetOptions,
  type Store,
  type SwitchboardLogger,
  toSwitchboardLogger,
  type WindowResult,
} from '@switchboard/core';
import { Redis, type RedisOptions } from 'ioredis';
import {
  ADJUST_WINDOW,
  ADMIT,
  APPLY_DELTAS,
  COMPARE_AND_SET,
  FENCE,
  INCREMENT,
  PEEK_WINDOW,
  RESERVE,
  SLIDING_WINDOW,
} from './scripts.js';
import { windowRetryAfter } from './window.js';

export interface RedisStoreOptions {
  /** An existing ioredis client. The store does not quit it on `close()` unless `ownClient` is true. */
  client?: Redis;
  /** `redis://host:port/db`; used when `client` is absent. */
  url?: string;
  /** Extra ioredis options for a client the store creates. */
  redisOptions?: RedisOptions;
  /** Namespace prepended to every key. Default `sb:`. */
  prefix?: string;
  /**
   * Where the one outage warning and the one recovery notice go (as component `redis`): core's
   * `createLogger(...)`, a pino instance or any `{ warn, info }` object. Default: JSON lines on
   * standard error at level info.
   */
  logger?: Logger | PinoLike;
  /** Fall back to local state when Redis is unreachable. Default true; false: calls reject. */
  failover?: boolean;
  /** A call with no answer within this many ms counts as Redis being away. Default 500. */
  commandTimeoutMs?: number;
  /** While local, how often to check whether Redis answers again (ms). Default 1000. */
  probeIntervalMs?: number;
  /** The local store used during an outage. Default: core's `MemoryStore`. */
  localStore?: () => Store;
  /** Quit the client on `close()`. Default: true when the store created it, false for `client`. */
  ownClient?: boolean;
}

type Mode = 'redis' | 'local' | 'recovering';

interface CounterDelta {
  kind: 'c';
  key: string;
  delta: number;
  ttlMs?: number;
}
interface WindowDelta {
  kind: 'w';
  key: string;
  delta: number;
  windowMs: number;
  start: number;
  /** When the bucket stops mattering, on this process's real clock (`start + 2 windows` in caller time). */
  expiresAt: number;
}
type Delta = CounterDelta | WindowDelta;

/** A counter call that failed without a reply: it may or may not have reached Redis. */
interface Uncertain {
  seq: number;
  /** What the local store recorded for it (empty: nothing changed locally). */
  deltas: Delta[];
}

interface Commands {
  sbCas(key: string, expected: string, present: string, next: string, ttl: string): Promise<number>;
  sbIncrement(key: string, inst: string, epoch: string, by: string, ttl: string): Promise<string[]>;
  sbReserve(key: string, inst: string, epoch: string, amount: string, limit: string, ttl: string): Promise<string[]>;
  sbSlidingWindow(
    key: string,
    inst: string,
    epoch: string,
    amount: string,
    limit: string,
    windowMs: string,
    now: string,
  ): Promise<string[]>;
  sbAdjustWindow(
    key: string,
    inst: string,
    epoch: string,
    delta: string,
    windowMs: string,
    now: string,
  ): Promise<string[]>;
  sbPeekWindow(key: string, windowMs: string, now: string): Promise<string>;
  sbAdmit(numberOfKeys: number, ...keysAndArgs: string[]): Promise<string[]>;
  sbFence(inst: string): Promise<string[]>;
  sbApplyDeltas(inst: string, ...args: string[]): Promise<string>;
}

const SCRIPTS: Record<keyof Commands, { lua: string; numberOfKeys?: number }> = {
  sbCas: { lua: COMPARE_AND_SET, numberOfKeys: 1 },
  sbIncrement: { lua: INCREMENT, numberOfKeys: 2 },
  sbReserve: { lua: RESERVE, numberOfKeys: 2 },
  sbSlidingWindow: { lua: SLIDING_WINDOW, numberOfKeys: 2 },
  sbAdjustWindow: { lua: ADJUST_WINDOW, numberOfKeys: 2 },
  sbPeekWindow: { lua: PEEK_WINDOW, numberOfKeys: 1 },
  // The number of keys varies with the checks: given first on each call.
  sbAdmit: { lua: ADMIT },
  sbFence: { lua: FENCE, numberOfKeys: 1 },
  sbApplyDeltas: { lua: APPLY_DELTAS, numberOfKeys: 1 },
};

/** Raised for a reply that means "this call was sent in a fenced-off epoch"; treated as an outage. */
class FencedError extends Error {
  override name = 'FencedError';
}
class TimeoutError extends Error {
  override name = 'RedisCommandTimeout';
}

/** Errors that mean Redis is away (anything but an error reply from the server itself). */
function isConnectionError(error: unknown): boolean {
  if (error instanceof TimeoutError || error instanceof FencedError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return false;
  return true;
}

export class RedisStore implements Store {
  readonly kind = 'redis';
  readonly prefix: string;
  readonly client: Redis;
  readonly #redis: Redis & Commands;
  readonly #ownClient: boolean;
  readonly #logger: SwitchboardLogger;
  readonly #failover: boolean;
  readonly #timeoutMs: number;
  readonly #probeMs: number;
  /** This instance's bookkeeping hash (epoch, acks, last applied delta batch). */
  readonly #inst: string;

  #mode: Mode = 'redis';
  #local: Store | undefined;
  readonly #makeLocal: () => Store;
  #epoch = '0';
  #seq = 0;
  #lastAck = 0;
  #lastAckSeq = 0;
  #uncertain: Uncertain[] = [];
  #deltas = new Map<string, Delta>();
  #batchId = 0;
  #pendingBatch: { id: number; deltas: Delta[] } | undefined;
  #recovering: Promise<void> | undefined;
  #probe: ReturnType<typeof setInterval> | undefined;
  #everReady = false;
  #connecting: Promise<void> | undefined;
  /** Counter calls sent to Redis and not yet settled (answered, failed or timed out). */
  #inFlight = 0;
  #closed = false;
  readonly #onReady = () => {
    this.#everReady = true;
    if (this.#mode === 'local') void this.#recover();
  };
  readonly #onClose = () => {
    if (this.#everReady && this.#mode === 'redis' && !this.#closed) this.#goLocal(new Error('connection closed'));
  };
  readonly #onError = (error: Error) => {
    this.#logger.debug?.('redis store: connection error', { error: error.message });
  };

  constructor(options: RedisStoreOptions = {}) {
    this.prefix = options.prefix ?? 'sb:';
    this.#logger = (toSwitchboardLogger(options.logger) ?? createLogger({ level: 'info' })).child({
      component: 'redis',
    });
    this.#failover = options.failover ?? true;
    this.#timeoutMs = options.commandTimeoutMs ?? 500;
    this.#probeMs = options.probeIntervalMs ?? 1000;
    this.#makeLocal = options.localStore ?? (() => new MemoryStore());
    if (options.client) {
      this.client = options.client;
      this.#ownClient = options.ownClient ?? false;
    } else {
      const base: RedisOptions = {
        // Commands sent while disconnected fail at once (the store answers locally) instead of
        // queueing and running later; unanswered ones are never resent behind the store's back.
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 1,
        ...options.redisOptions,
      };
      this.client = options.url ? new Redis(options.url, base) : new Redis(base);
      this.#ownClient = options.ownClient ?? true;
    }
    for (const [name, def] of Object.entries(SCRIPTS)) {
      if (!(name in this.client)) this.client.defineCommand(name, def);
    }
    this.#redis = this.client as Redis & Commands;
    this.#inst = `${this.prefix}__store:${crypto.randomUUID()}`;
    this.#everReady = this.client.status === 'ready';
    this.client.on('ready', this.#onReady);
    this.client.on('close', this.#onClose);
    this.client.on('error', this.#onError);
  }

  /** `redis` while Redis serves the calls, `local` during an outage, `recovering` while flushing. */
  get mode(): Mode {
    return this.#mode;
  }

  #k(key: string): string {
    return this.prefix + key;
  }

  get #memory(): Store {
    this.#local ??= this.#makeLocal();
    return this.#local;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#run(
      async () => (await this.client.get(this.#k(key))) ?? undefined,
      () => this.#memory.get(key),
    );
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    await this.#run(
      async () => {
        if (options?.ttlMs !== undefined) await this.client.set(this.#k(key), value, 'PX', ttl(options.ttlMs));
        else await this.client.set(this.#k(key), value);
      },
      () => this.#memory.set(key, value, options),
    );
  }

  async delete(key: string): Promise<boolean> {
    return this.#run(
      async () => (await this.client.unlink(this.#k(key))) > 0,
      () => this.#memory.delete(key),
    );
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.#run(
      async () => {
        const match = `${escapeGlob(this.#k(prefix))}*`;
        let cursor = '0';
        let count = 0;
        do {
          const [next, keys] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) count += await this.client.unlink(...keys);
        } while (cursor !== '0');
        return count;
      },
      () => this.#memory.deletePrefix(prefix),
    );
  }

  async compareAndSet(key: string, expected: string | undefined, next: string, options?: SetOptions): Promise<boolean> {
    return this.#run(
      async () =>
        (await this.#redis.sbCas(
          this.#k(key),
          expected ?? '',
          expected === undefined ? '0' : '1',
          next,
          options?.ttlMs === undefined ? '' : String(ttl(options.ttlMs)),
        )) === 1,
      () => this.#memory.compareAndSet(key, expected, next, options),
    );
  }

  async increment(key: string, by: number, options?: SetOptions): Promise<number> {
    const ttlArg = options?.ttlMs === undefined ? '' : String(ttl(options.ttlMs));
    return this.#runCounter(
      async (epoch) => {
        const r = await this.#redis.sbIncrement(this.#k(key), this.#inst, epoch, String(by), ttlArg);
        return { ack: r[2], value: Number(r[1]) };
      },
      async () => {
        const value = await this.#memory.increment(key, by, options);
        return { value, delta: counterDelta(this.#k(key), by, options) };
      },
    );
  }

  async reserve(key: string, amount: number, limit: number, options?: SetOptions): Promise<WindowResult> {
    const ttlArg = options?.ttlMs === undefined ? '' : String(ttl(options.ttlMs));
    return this.#runCounter(
      async (epoch) => {
        const r = await this.#redis.sbReserve(this.#k(key), this.#inst, epoch, String(amount), String(limit), ttlArg);
        const current = Number(r[2]);
        const allowed = r[1] === '1';
        return {
          ack: r[4],
          value: { allowed, current, limit, remaining: Math.max(0, limit - current), retryAfterMs: Number(r[3]) },
        };
      },
      async () => {
        const value = await this.#memory.reserve(key, amount, limit, options);
        return { value, delta: value.allowed ? counterDelta(this.#k(key), amount, options) : undefined };
      },
    );
  }

  async slidingWindow(
    key: string,
    amount: number,
    limit: number,
    windowMs: number,
    now?: number,
  ): Promise<WindowResult> {
    return this.#runCounter(
      async (epoch) => {
        const r = await this.#redis.sbSlidingWindow(
          this.#k(key),
          this.#inst,
          epoch,
          String(amount),
          String(limit),
          String(windowMs),
          now === undefined ? '' : String(now),
        );
        const allowed = r[1] === '1';
        const current = Number(r[2]);
        let retryAfterMs = 0;
        if (!allowed) {
          const buckets = { previous: Number(r[3]), current: Number(r[4]), start: Number(r[5]) };
          retryAfterMs = windowRetryAfter(buckets, amount, limit, windowMs, Number(r[6]));
        }
        return { ack: r[7], value: { allowed, current, limit, remaining: Math.max(0, limit - current), retryAfterMs } };
      },
      async () => {
        const t = now ?? Date.now();
        const value = await this.#memory.slidingWindow(key, amount, limit, windowMs, t);
        return { value, delta: value.allowed ? windowDelta(this.#k(key), amount, windowMs, t) : undefined };
      },
    );
  }

  async adjustWindow(key: string, delta: number, windowMs: number, now?: number): Promise<void> {
    await this.#runCounter(
      async (epoch) => {
        const r = await this.#redis.sbAdjustWindow(
          this.#k(key),
          this.#inst,
          epoch,
          String(delta),
          String(windowMs),
          now === undefined ? '' : String(now),
        );
        return { ack: r[1], value: undefined };
      },
      async () => {
        const t = now ?? Date.now();
        await this.#memory.adjustWindow(key, delta, windowMs, t);
        return { value: undefined, delta: windowDelta(this.#k(key), delta, windowMs, t) };
      },
    );
  }

  async admit(checks: readonly AdmitCheck[], now?: number): Promise<AdmitResult> {
    const keys: string[] = [];
    const args: string[] = [];
    for (const check of checks) {
      keys.push(this.#k(check.key));
      if (check.type === 'window') args.push('w', String(check.amount), String(check.limit), String(check.windowMs));
      else {
        keys.push(this.#k(check.limitKey));
        args.push('c', String(check.amount), '', '');
      }
    }
    return this.#runCounter(
      async (epoch) => {
        const r = await this.#redis.sbAdmit(
          keys.length + 1,
          ...keys,
          this.#inst,
          epoch,
          now === undefined ? '' : String(now),
          String(checks.length),
          ...args,
        );
        if (r[0] !== 'ok') return { ack: undefined, value: { allowed: false, results: [] } };
        const ack = r[2];
        if (r[1] === '1') {
          const results: (WindowResult | undefined)[] = [];
          for (let i = 0; i < checks.length; i += 1) {
            const current = r[3 + 2 * i] as string;
            if (current === '') {
              results.push(undefined);
              continue;
            }
            const limit = Number(r[4 + 2 * i]);
            const value = Number(current);
            results.push({
              allowed: true,
              current: value,
              limit,
              remaining: Math.max(0, limit - value),
              retryAfterMs: 0,
            });
          }
          return { ack, value: { allowed: true, results } };
        }
        const index = Number(r[3]);
        const check = checks[index] as AdmitCheck;
        const current = Number(r[4]);
        const limit = Number(r[5]);
        const retryAfterMs =
          check.type === 'window'
            ? windowRetryAfter(
                { previous: Number(r[6]), current: Number(r[7]), start: Number(r[8]) },
                check.amount,
                limit,
                check.windowMs,
                Number(r[9]),
              )
            : Number(r[6]);
        const results: (WindowResult | undefined)[] = new Array(index + 1).fill(undefined);
        results[index] = { allowed: false, current, limit, remaining: Math.max(0, limit - current), retryAfterMs };
        return { ack, value: { allowed: false, refused: index, results } };
      },
      async () => {
        const t = now ?? Date.now();
        const value = await this.#memory.admit(checks, t);
        const deltas: Delta[] = [];
        if (value.allowed)
          checks.forEach((check, i) => {
            if (value.results[i] === undefined) return;
            if (check.type === 'window') deltas.push(windowDelta(this.#k(check.key), check.amount, check.windowMs, t));
            // A server-reported cap lasts until the provider's reset (seconds to a minute).
            else deltas.push(counterDelta(this.#k(check.key), check.amount, { ttlMs: CAPPED_DELTA_TTL_MS }));
          });
        return { value, delta: deltas };
      },
    );
  }

  async peekWindow(key: string, windowMs: number, now?: number): Promise<number> {
    return this.#run(
      async () =>
        Number(await this.#redis.sbPeekWindow(this.#k(key), String(windowMs), now === undefined ? '' : String(now))),
      () => this.#memory.peekWindow(key, windowMs, now),
    );
  }

  /**
   * Waits until an outage's recorded deltas are back in Redis (resolves at once when none are
   * pending or Redis is still away). For tests and graceful shutdown.
   */
  async flush(): Promise<boolean> {
    if (this.#mode === 'redis') return true;
    if (this.client.status === 'ready') await this.#recover();
    return (this.#mode as Mode) === 'redis';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#mode !== 'redis' && this.client.status === 'ready') await this.#recover().catch(() => {});
    this.#closed = true;
    this.#stopProbe();
    this.client.off('ready', this.#onReady);
    this.client.off('close', this.#onClose);
    this.client.off('error', this.#onError);
    await this.#local?.close();
    if (this.#ownClient) {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    }
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** A call with no counter effect: Redis when up, else the local store. */
  async #run<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!this.#everReady && this.#mode === 'redis') await this.#firstReady();
    if (this.#mode !== 'redis' || this.#unusable()) {
      if (!this.#failover) throw new Error('Redis store: Redis is unavailable');
      if (this.#mode === 'redis') this.#goLocal(new Error(`connection ${this.client.status}`));
      return local();
    }
    try {
      return await this.#withTimeout(remote());
    } catch (error) {
      if (!this.#failover || !isConnectionError(error)) throw error;
      this.#goLocal(error);
      return local();
    }
  }

  /** A counter call: fenced by epoch, acknowledged, and recorded as a delta when served locally. */
  async #runCounter<T>(
    remote: (epoch: string) => Promise<{ ack: string | undefined; value: T }>,
    local: () => Promise<{ value: T; delta: Delta | Delta[] | undefined }>,
  ): Promise<T> {
    const serveLocally = async (uncertainSeq?: number): Promise<T> => {
      const { value, delta } = await local();
      const deltas = delta === undefined ? [] : Array.isArray(delta) ? delta : [delta];
      if (uncertainSeq !== undefined) this.#uncertain.push({ seq: uncertainSeq, deltas });
      else for (const d of deltas) this.#record(d);
      return value;
    };
    if (!this.#everReady && this.#mode === 'redis') await this.#firstReady();
    if (this.#mode !== 'redis' || this.#unusable()) {
      if (!this.#failover) throw new Error('Redis store: Redis is unavailable');
      if (this.#mode === 'redis') this.#goLocal(new Error(`connection ${this.client.status}`));
      return serveLocally();
    }
    const seq = ++this.#seq;
    this.#inFlight++;
    let result: { ack: string | undefined; value: T };
    try {
      result = await this.#withTimeout(
        remote(this.#epoch).then((r) => {
          if (r.ack === undefined) throw new FencedError('call from a fenced epoch');
          return r;
        }),
      );
    } catch (error) {
      if (!this.#failover || !isConnectionError(error)) throw error;
      this.#goLocal(error);
      return serveLocally(seq);
    } finally {
      this.#inFlight--;
    }
    const ack = Number(result.ack);
    if (seq > this.#lastAckSeq) {
      this.#lastAckSeq = seq;
      this.#lastAck = ack;
    }
    return result.value;
  }

  /**
   * Whether a command sent now would not go straight onto a live socket. ioredis queues such commands
   * and sends them after a reconnect; the store never lets it (they run locally instead), so every
   * counter call reaches Redis in the order it was issued or not at all: what failover relies on.
   */
  #unusable(): boolean {
    if (this.client.status !== 'ready') return true;
    const stream = (this.client as unknown as { stream?: { writable?: boolean; _writableState?: { ended?: boolean } } })
      .stream;
    return !stream?.writable || stream._writableState?.ended === true;
  }

  /** Before the first connection: waits (at most the command timeout) for it instead of queueing. */
  async #firstReady(): Promise<void> {
    if (this.#everReady) return;
    this.#connecting ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        this.#connecting = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.#timeoutMs > 0 ? this.#timeoutMs : 2000);
      this.client.on('ready', done);
      if (this.client.status === 'ready') done();
    });
    await this.#connecting;
    if (this.client.status === 'ready') this.#everReady = true;
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    if (!(this.#timeoutMs > 0)) return promise;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`Redis did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    promise.catch(() => {});
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  #record(delta: Delta): void {
    const id = delta.kind === 'c' ? `c\0${delta.key}` : `w\0${delta.key}\0${delta.windowMs}\0${delta.start}`;
    const existing = this.#deltas.get(id);
    if (existing) {
      existing.delta += delta.delta;
      if (existing.kind === 'w' && delta.kind === 'w')
        existing.expiresAt = Math.max(existing.expiresAt, delta.expiresAt);
    } else this.#deltas.set(id, { ...delta });
  }

  #goLocal(error: unknown): void {
    if (this.#mode === 'local') return;
    const wasRedis = this.#mode === 'redis';
    this.#mode = 'local';
    if (wasRedis) {
      this.#logger.warn?.(
        'Switchboard Redis store: Redis is unavailable; using local in-process state until it returns (limits and budgets are enforced per process meanwhile).',
        { error: error instanceof Error ? error.message : String(error) },
      );
    }
    this.#startProbe();
  }

  #startProbe(): void {
    if (this.#probe !== undefined || this.#closed) return;
    this.#probe = setInterval(() => {
      if (this.#mode === 'local' && this.client.status === 'ready') void this.#recover();
    }, this.#probeMs);
    this.#probe.unref?.();
  }

  #stopProbe(): void {
    if (this.#probe !== undefined) clearInterval(this.#probe);
    this.#probe = undefined;
  }

  #recover(): Promise<void> {
    this.#recovering ??= this.#doRecover().finally(() => {
      this.#recovering = undefined;
    });
    return this.#recovering;
  }

  async #doRecover(): Promise<void> {
    if (this.#mode !== 'local' || this.#closed) return;
    this.#mode = 'recovering';
    try {
      // Every counter call sent before the outage has settled (each is bounded by the timeout), so
      // the uncertain list is complete before the fence.
      while (this.#inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // 1. Fence off every call sent before now and learn how many of them Redis accepted.
      const [epoch, acksRaw] = await this.#withTimeout(this.#redis.sbFence(this.#inst));
      this.#epoch = String(epoch);
      const acks = Number(acksRaw);
      let reached = Math.max(0, acks - this.#lastAck);
      for (const op of this.#uncertain.sort((a, b) => a.seq - b.seq)) {
        if (op.seq < this.#lastAckSeq) continue; // a later call was answered, so this one ran
        if (reached > 0) {
          reached--;
          continue;
        }
        for (const delta of op.deltas) this.#record(delta);
      }
      this.#uncertain = [];
      this.#lastAck = acks;
      this.#lastAckSeq = this.#seq;
      // 2. Apply the deltas recorded during the outage, once (batch ids make a retry idempotent).
      for (;;) {
        if (!this.#pendingBatch) {
          if (this.#deltas.size === 0) break;
          this.#pendingBatch = { id: ++this.#batchId, deltas: [...this.#deltas.values()] };
          this.#deltas = new Map();
        }
        const args: string[] = [String(this.#pendingBatch.id), String(this.#pendingBatch.deltas.length)];
        for (const d of this.#pendingBatch.deltas) {
          if (d.kind === 'c') args.push('c', d.key, String(d.delta), d.ttlMs === undefined ? '' : String(d.ttlMs), '');
          else args.push('w', d.key, String(d.delta), String(Math.ceil(d.expiresAt - Date.now())), String(d.start));
        }
        await this.#withTimeout(this.#redis.sbApplyDeltas(this.#inst, ...args));
        this.#pendingBatch = undefined;
      }
      // 3. Back on Redis. Local plain values (cache entries, breaker documents) are dropped.
      this.#mode = 'redis';
      this.#stopProbe();
      this.#local = undefined;
      this.#logger.info?.('Switchboard Redis store: Redis is back; outage usage recorded, using shared state again.');
    } catch (error) {
      this.#mode = 'local';
      this.#logger.debug?.('redis store: recovery failed, staying local', {
        error: error instanceof Error ? error.message : String(error),
      });
      this.#startProbe();
    }
  }
}

/** Creates a `RedisStore` from a URL, ioredis options or an existing client. */
export function createRedisStore(options: RedisStoreOptions = {}): RedisStore {
  return new RedisStore(options);
}

/** Expiry of a capped counter first created in Redis by an outage's deltas. */
const CAPPED_DELTA_TTL_MS = 60_000;

function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

function counterDelta(key: string, delta: number, options?: SetOptions): CounterDelta {
  return options?.ttlMs === undefined
    ? { kind: 'c', key, delta }
    : { kind: 'c', key, delta, ttlMs: ttl(options.ttlMs) };
}

function windowDelta(key: string, delta: number, windowMs: number, now: number): WindowDelta {
  const start = Math.floor(now / windowMs) * windowMs;
  return { kind: 'w', key, delta, windowMs, start, expiresAt: Date.now() + (start + 2 * windowMs - now) };
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
