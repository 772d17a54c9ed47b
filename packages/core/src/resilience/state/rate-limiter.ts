/**
 * Client-side rate limiting: requests and tokens per minute (and requests per day) per provider, and
 * per key when a provider is used with several API keys (DESIGN 6). Limits default to the catalog's
 * `rateLimits` and can be overridden per provider, tier and key. Counters live in a `Store`, so with
 * `@switchboard/redis` many processes share one limit.
 *
 * Tokens are estimated before the call (`estimateTokens`) and corrected from the real usage after it
 * (`permit.commit(actual)`). The provider's own rate-limit headers tighten the local view
 * (`updateFromHeaders`): when the server says only N requests remain until its reset, at most N more
 * are admitted until then, whatever the local window thinks.
 */

import { RateLimitError } from '../../errors/errors.js';
import type { RateLimitsSpec, RateLimitValues } from '../../types/catalog.js';
import type { AdmitCheck, Store } from '../../types/store.js';
import { sha256Hex } from './canonical-json.js';
import { type NowFn, type SleepFn, systemNow, systemSleep } from './clock.js';
import { MemoryStore } from './memory-store.js';
import { type HeadersLike, type ParsedRateLimitHeaders, parseRateLimitHeaders } from './rate-limit-headers.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Limits for one provider (or one key of it), with the catalog tier to start from. */
export interface RateLimitOverride extends RateLimitValues {
  /** A tier name from the catalog's `rateLimits.tiers` whose values replace the defaults. */
  tier?: string;
}

/** Per-provider configuration: overrides, and overrides per key. */
export interface ProviderRateLimitConfig extends RateLimitOverride {
  /**
   * Limits per key id. A key id is a name you choose for an API key ("team-a", "prod"); never the
   * key itself (use `rateLimitKeyId(apiKey)` to derive one).
   */
  keys?: Record<string, RateLimitOverride>;
}

export interface RateLimiterOptions {
  /** Where counters live (default: a private `MemoryStore`). Pass a Redis store to share limits. */
  store?: Store;
  /** Catalog defaults per provider id: a provider descriptor's `rateLimits`. */
  catalog?: Record<string, RateLimitsSpec | undefined>;
  /** Overrides per provider id (and per key within it). */
  providers?: Record<string, ProviderRateLimitConfig>;
  /** Default policy when a limit is reached (default `wait`). */
  policy?: RateLimitPolicy;
  /** Longest a `wait` acquire sleeps in total before failing (default 60 000 ms). */
  maxWaitMs?: number;
  /** Store key prefix (default `sb:rl:`). */
  prefix?: string;
  now?: NowFn;
  sleep?: SleepFn;
}

/** `wait`: sleep until the limit allows the call (bounded by `maxWaitMs`); `fail`: throw a `RateLimitError` at once. */
export type RateLimitPolicy = 'wait' | 'fail';

export interface AcquireRequest {
  provider: string;
  /** For error messages and logs; limits are per provider (and key), not per model. */
  model?: string;
  /** Key id (see `ProviderRateLimitConfig.keys`): counts against that key's own limits. */
  key?: string;
  /** Catalog tier to use for this call (overrides the configured one). */
  tier?: string;
  /** Tokens the call is expected to use (input plus expected output); 0 when unknown. */
  estimatedTokens?: number;
  policy?: RateLimitPolicy;
  /** Aborts a wait; the acquire rejects with the signal's reason. */
  signal?: AbortSignal;
  maxWaitMs?: number;
}

/** Admission to make one call; report the real usage with `commit`, or `release` if the call was never sent. */
export interface RateLimitPermit {
  readonly provider: string;
  readonly key?: string;
  /** Tokens recorded in the token window at admission (the estimate, capped at the tokens-per-minute limit). */
  readonly recordedTokens: number;
  /** How long the acquire waited for room, ms. */
  readonly waitedMs: number;
  /** Corrects the token counters by `actualTokens - recordedTokens`. Only the first call counts. */
  commit(actualTokens: number): Promise<void>;
  /** Gives back the request and its tokens (the call was not made). No-op after `commit`. */
  release(): Promise<void>;
}

/** One dimension of `status()`. `limit` and `remaining` are undefined when nothing limits it. */
export interface RateLimitDimensionStatus {
  current: number;
  limit: number | undefined;
  remaining: number | undefined;
  /**
   * Upper bound on ms until everything counted now has left the window (0 when nothing is counted):
   * never more than the window itself (60 s for a per-minute limit).
   */
  resetMs: number;
}

export interface RateLimitStatus {
  provider: string;
  key?: string;
  requests: RateLimitDimensionStatus;
  tokens: RateLimitDimensionStatus;
  /** Present when a requests-per-day limit applies. */
  requestsPerDay?: RateLimitDimensionStatus;
  /** The tightest view the provider's headers reported, while it lasts. */
  server?: { requests?: { remaining: number; resetMs: number }; tokens?: { remaining: number; resetMs: number } };
}

/**
 * The status of a provider when rate limiting is off (`createSwitchboard` without `rateLimit`):
 * nothing counted, nothing limited, so `sb.rateLimitStatus()` answers instead of throwing.
 */
export function unlimitedRateLimitStatus(provider: string, key?: string): RateLimitStatus {
  const open = (): RateLimitDimensionStatus => ({ current: 0, limit: undefined, remaining: undefined, resetMs: 0 });
  const status: RateLimitStatus = { provider, requests: open(), tokens: open() };
  if (key !== undefined) status.key = key;
  return status;
}

/** A stable, non-reversible key id for an API key: `key-` plus 16 hex chars of its SHA-256. */
export function rateLimitKeyId(apiKey: string): string {
  return `key-${sha256Hex(apiKey).slice(0, 16)}`;
}

interface ServerCap {
  remaining: number;
  resetAt: number;
}

type Step =
  | { kind: 'window'; key: string; amount: number; windowMs: number }
  | { kind: 'counter'; key: string; amount: number };

type Attempt = { ok: true; steps: Step[]; tokens: number } | { ok: false; retryAfterMs: number; limit: string };

/** Requests/tokens-per-minute limiter over a `Store`. */
export class RateLimiter {
  readonly store: Store;
  readonly #catalog = new Map<string, RateLimitsSpec>();
  readonly #providers: Record<string, ProviderRateLimitConfig>;
  readonly #policy: RateLimitPolicy;
  readonly #maxWaitMs: number;
  readonly #prefix: string;
  readonly #now: NowFn;
  readonly #sleep: SleepFn;
  /** `limitsFor` results (cleared when limits are reconfigured): the merge runs once, not per call. */
  readonly #limitsCache = new Map<string, RateLimitValues>();

  constructor(options: RateLimiterOptions = {}) {
    this.store = options.store ?? new MemoryStore({ now: options.now });
    for (const [id, spec] of Object.entries(options.catalog ?? {})) if (spec) this.#catalog.set(id, spec);
    this.#providers = { ...options.providers };
    this.#policy = options.policy ?? 'wait';
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
    this.#prefix = options.prefix ?? 'sb:rl:';
    this.#now = options.now ?? systemNow;
    this.#sleep = options.sleep ?? systemSleep;
  }

  /** Registers (or replaces) a provider's catalog defaults, e.g. from its descriptor's `rateLimits`. */
  setCatalogLimits(provider: string, spec: RateLimitsSpec | undefined): void {
    if (spec) this.#catalog.set(provider, spec);
    else this.#catalog.delete(provider);
    this.#limitsCache.clear();
  }

  /** Replaces a provider's overrides. */
  configureProvider(provider: string, config: ProviderRateLimitConfig): void {
    this.#providers[provider] = config;
    this.#limitsCache.clear();
  }

  /**
   * The limits in force for a provider (and key, tier): catalog default, then the chosen tier, then
   * the provider's overrides, then the key's.
   */
  limitsFor(provider: string, options: { key?: string; tier?: string } = {}): RateLimitValues {
    return { ...this.#limits(provider, options.key, options.tier) };
  }

  /** The cached (shared, not to be changed) limits. */
  #limits(provider: string, key: string | undefined, tier: string | undefined): RateLimitValues {
    const id = `${provider}\0${key ?? ''}\0${tier ?? ''}`;
    let limits = this.#limitsCache.get(id);
    if (limits === undefined) {
      limits = this.#computeLimits(provider, { key, tier });
      this.#limitsCache.set(id, limits);
    }
    return limits;
  }

  #computeLimits(provider: string, options: { key: string | undefined; tier: string | undefined }): RateLimitValues {
    const spec = this.#catalog.get(provider);
    const config = this.#providers[provider];
    const keyConfig = options.key === undefined ? undefined : config?.keys?.[options.key];
    const tier = options.tier ?? keyConfig?.tier ?? config?.tier;
    const tierValues = tier === undefined ? undefined : spec?.tiers?.[tier];
    return merge(spec?.default, tierValues, pick(config), pick(keyConfig));
  }

  /**
   * Waits for (policy `wait`) or checks (policy `fail`) room for one call of `estimatedTokens`.
   * Throws a `RateLimitError` (retryable, `retryAfterMs` set) under `fail`, or under `wait` when the
   * wait would exceed `maxWaitMs`; rejects with the signal's reason when aborted.
   */
  async acquire(request: AcquireRequest): Promise<RateLimitPermit> {
    const { provider, key, signal } = request;
    const policy = request.policy ?? this.#policy;
    const maxWaitMs = request.maxWaitMs ?? this.#maxWaitMs;
    const limits = this.#limits(provider, key, request.tier);
    const scope = this.#scope(provider, key);
    const estimate = Math.max(0, Math.ceil(request.estimatedTokens ?? 0));
    const started = this.#now();
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const attempt = await this.#try(scope, limits, estimate);
      if (attempt.ok) return this.#permit(provider, key, attempt, this.#now() - started);
      const waited = this.#now() - started;
      if (policy === 'fail' || waited + attempt.retryAfterMs > maxWaitMs) {
        throw this.#error(request, attempt, policy, maxWaitMs);
      }
      await this.#sleep(attempt.retryAfterMs, signal);
    }
  }

  /** Current usage, limits and remaining room for a provider (and key). */
  async status(provider: string, options: { key?: string; tier?: string } = {}): Promise<RateLimitStatus> {
    const limits = this.limitsFor(provider, options);
    const scope = this.#scope(provider, options.key);
    const now = this.#now();
    const requests = await this.#windowStatus(`${scope}:rpm`, limits.rpm, MINUTE, now);
    const tokens = await this.#windowStatus(`${scope}:tpm`, limits.tpm, MINUTE, now);
    const status: RateLimitStatus = { provider, requests, tokens };
    if (options.key !== undefined) status.key = options.key;
    if (limits.rpd !== undefined)
      status.requestsPerDay = await this.#windowStatus(`${scope}:rpd`, limits.rpd, DAY, now);
    for (const dimension of ['requests', 'tokens'] as const) {
      const cap = await this.#serverCap(scope, dimension === 'requests' ? 'req' : 'tok', now);
      if (cap === undefined) continue;
      const used = Number((await this.store.get(`${scope}:srv:${dimension === 'requests' ? 'req' : 'tok'}:used`)) ?? 0);
      const remaining = Math.max(0, cap.remaining - used);
      const resetMs = Math.max(0, cap.resetAt - now);
      status.server = { ...status.server, [dimension]: { remaining, resetMs } };
      const local = status[dimension];
      if (local.remaining === undefined || remaining < local.remaining) {
        local.remaining = remaining;
        local.resetMs = Math.max(local.resetMs, resetMs);
      }
    }
    return status;
  }

  /**
   * Tightens the local view from a response's headers (call it for every response, 429s included).
   * Remaining requests/tokens reported by the server cap what is admitted until the server's reset;
   * a `retry-after` blocks requests for that long. Returns what was parsed.
   */
  async updateFromHeaders(
    provider: string,
    headers: HeadersLike,
    options: { key?: string } = {},
  ): Promise<ParsedRateLimitHeaders> {
    const now = this.#now();
    const parsed = parseRateLimitHeaders(headers, now);
    const scope = this.#scope(provider, options.key);
    const writes: Promise<void>[] = [];
    const cap = (dimension: 'req' | 'tok', remaining: number, resetMs: number) => {
      if (!(resetMs > 0) || remaining < 0) return;
      // The cap (a plain number, so `admit` reads it in the same atomic step as the counter), when it
      // resets (for `status`), and the count admitted against it since, all expiring at the reset.
      const ttl = { ttlMs: resetMs };
      writes.push(this.store.set(`${scope}:srv:${dimension}:cap`, String(remaining), ttl));
      writes.push(this.store.set(`${scope}:srv:${dimension}:reset`, String(now + resetMs), ttl));
      writes.push(this.store.set(`${scope}:srv:${dimension}:used`, '0', ttl));
    };
    const { requests, tokens, retryAfterMs } = parsed;
    if (retryAfterMs !== undefined && retryAfterMs > 0) cap('req', 0, retryAfterMs);
    else if (requests?.remaining !== undefined && requests.resetMs !== undefined) {
      cap('req', requests.remaining, requests.resetMs);
    }
    if (tokens?.remaining !== undefined && tokens.resetMs !== undefined) cap('tok', tokens.remaining, tokens.resetMs);
    await Promise.all(writes);
    return parsed;
  }

  /** Forgets every counter of a provider (and key), local and server-reported. */
  async reset(provider: string, options: { key?: string } = {}): Promise<void> {
    await this.store.deletePrefix(`${this.#scope(provider, options.key)}:`);
  }

  #scope(provider: string, key: string | undefined): string {
    return `${this.#prefix}${encodeURIComponent(provider)}:${key === undefined ? '*' : encodeURIComponent(key)}`;
  }

  async #serverCap(scope: string, dimension: 'req' | 'tok', now: number): Promise<ServerCap | undefined> {
    const [cap, reset] = await Promise.all([
      this.store.get(`${scope}:srv:${dimension}:cap`),
      this.store.get(`${scope}:srv:${dimension}:reset`),
    ]);
    if (cap === undefined || reset === undefined) return undefined;
    const value = { remaining: Number(cap), resetAt: Number(reset) };
    return Number.isFinite(value.remaining) && value.resetAt > now ? value : undefined;
  }

  /**
   * One admission attempt: every limit (server-reported caps, requests per minute and per day, tokens
   * per minute) checked and recorded all or nothing in one atomic `store.admit` (one round trip to
   * Redis).
   */
  async #try(scope: string, limits: RateLimitValues, estimate: number): Promise<Attempt> {
    const now = this.#now();
    const tokens = limits.tpm === undefined ? estimate : Math.min(estimate, limits.tpm);
    const checks: AdmitCheck[] = [
      { type: 'capped', key: `${scope}:srv:req:used`, amount: 1, limitKey: `${scope}:srv:req:cap` },
    ];
    const labels: string[] = ['server-reported remaining requests'];
    if (tokens > 0) {
      checks.push({ type: 'capped', key: `${scope}:srv:tok:used`, amount: tokens, limitKey: `${scope}:srv:tok:cap` });
      labels.push('server-reported remaining tokens');
    }
    if (limits.rpm !== undefined) {
      checks.push({ type: 'window', key: `${scope}:rpm`, amount: 1, limit: limits.rpm, windowMs: MINUTE });
      labels.push(`${limits.rpm} requests per minute`);
    }
    if (limits.rpd !== undefined) {
      checks.push({ type: 'window', key: `${scope}:rpd`, amount: 1, limit: limits.rpd, windowMs: DAY });
      labels.push(`${limits.rpd} requests per day`);
    }
    if (limits.tpm !== undefined) {
      checks.push({ type: 'window', key: `${scope}:tpm`, amount: tokens, limit: limits.tpm, windowMs: MINUTE });
      labels.push(`${limits.tpm} tokens per minute`);
    }
    const result = await this.store.admit(checks, now);
    if (!result.allowed) {
      const index = result.refused ?? 0;
      const refusal = result.results[index];
      const check = checks[index] as AdmitCheck;
      const label = check.type === 'capped' ? `${labels[index]} (${refusal?.limit})` : (labels[index] as string);
      return { ok: false, retryAfterMs: Math.max(1, refusal?.retryAfterMs ?? 1), limit: label };
    }
    const steps: Step[] = [];
    for (let i = 0; i < checks.length; i += 1) {
      if (result.results[i] === undefined) continue;
      const check = checks[i] as AdmitCheck;
      if (check.type === 'window')
        steps.push({ kind: 'window', key: check.key, amount: check.amount, windowMs: check.windowMs });
      else steps.push({ kind: 'counter', key: check.key, amount: check.amount });
    }
    return { ok: true, steps, tokens };
  }

  async #undo(steps: Step[], now: number): Promise<void> {
    await Promise.all(
      steps.map((step) =>
        step.kind === 'window'
          ? this.store.adjustWindow(step.key, -step.amount, step.windowMs, now)
          : this.store.increment(step.key, -step.amount),
      ),
    );
  }

  #permit(
    provider: string,
    key: string | undefined,
    attempt: Attempt & { ok: true },
    waitedMs: number,
  ): RateLimitPermit {
    let settled = false;
    const tokenSteps = attempt.steps.filter((step) => step.key.endsWith(':tpm') || step.key.endsWith(':srv:tok:used'));
    return {
      provider,
      ...(key === undefined ? {} : { key }),
      recordedTokens: attempt.tokens,
      waitedMs,
      commit: async (actualTokens: number) => {
        if (settled) return;
        settled = true;
        const delta = Math.max(0, Math.ceil(actualTokens)) - attempt.tokens;
        if (delta === 0) return;
        const now = this.#now();
        await Promise.all(
          tokenSteps.map((step) =>
            step.kind === 'window'
              ? this.store.adjustWindow(step.key, delta, step.windowMs, now)
              : this.store.increment(step.key, delta),
          ),
        );
      },
      release: async () => {
        if (settled) return;
        settled = true;
        await this.#undo(attempt.steps, this.#now());
      },
    };
  }

  async #windowStatus(
    key: string,
    limit: number | undefined,
    windowMs: number,
    now: number,
  ): Promise<RateLimitDimensionStatus> {
    const current = await this.store.peekWindow(key, windowMs, now);
    let resetMs = 0;
    if (current > 0) {
      // When every request counted now is a full window old, which is when a rolling minute is
      // empty again: at most one window (a request made just now), or the end of this bucket when
      // only the previous bucket holds usage. The sliding-window counter's estimate keeps a shrinking
      // share of this bucket into the next one; that tail is the estimator's approximation, and
      // reporting it made a per-minute window show resets of up to two minutes (issue 9).
      const untilNextBucket = windowMs - (now % windowMs);
      const inCurrentBucket = await this.store.peekWindow(key, windowMs, now + untilNextBucket);
      resetMs = inCurrentBucket > 0 ? windowMs : untilNextBucket;
    }
    return {
      current,
      limit,
      remaining: limit === undefined ? undefined : Math.max(0, limit - current),
      resetMs,
    };
  }

  #error(
    request: AcquireRequest,
    attempt: Attempt & { ok: false },
    policy: RateLimitPolicy,
    maxWaitMs: number,
  ): RateLimitError {
    const who = request.key === undefined ? request.provider : `${request.provider} (key ${request.key})`;
    const retry = `retry in ${formatMs(attempt.retryAfterMs)}`;
    const why = policy === 'fail' ? retry : `${retry}, longer than the maximum wait of ${formatMs(maxWaitMs)}`;
    return new RateLimitError(`Local rate limit reached for ${who}: ${attempt.limit}; ${why}`, {
      provider: request.provider,
      ...(request.model === undefined ? {} : { model: request.model }),
      retryable: true,
      retryAfterMs: attempt.retryAfterMs,
      code: 'local_rate_limit',
    });
  }
}

function pick(values: RateLimitValues | undefined): RateLimitValues | undefined {
  if (values === undefined) return undefined;
  const out: RateLimitValues = {};
  if (values.rpm !== undefined) out.rpm = values.rpm;
  if (values.tpm !== undefined) out.tpm = values.tpm;
  if (values.rpd !== undefined) out.rpd = values.rpd;
  return out;
}

function merge(...layers: (RateLimitValues | undefined)[]): RateLimitValues {
  const out: RateLimitValues = {};
  for (const layer of layers) Object.assign(out, pick(layer));
  return out;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.ceil(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
