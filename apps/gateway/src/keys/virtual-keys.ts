/**
 * The gateway's client authentication: `authenticate` and `release` for the `GatewayContext`, over
 * virtual keys in the shared Store. A request's key is hashed and looked up (a record cached for
 * `cacheMs`, so a hot key costs no Store round trip per request and a revocation reaches every
 * instance within that time; while a Redis store is away, keys this process has seen keep working),
 * then checked in the order a client can act on: unknown key (401),
 * expired or model not allowed (403), budget spent, requests or tokens per minute, concurrency (429
 * with the reason and `retry-after`).
 */
import type { BudgetLimit, Store } from '@switchboard/core';
import type { Caller } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { budgetKeyOf, VirtualKeyBudgets } from './key-budgets.js';
import { KeyLimits, type LimitRefusal } from './key-limits.js';
import type { KeyBudget, VirtualKeyRecord } from './key-settings.js';
import { VirtualKeyStore } from './key-store.js';
import { modelAllowed } from './model-glob.js';
import { hashKey, presentedKey, VIRTUAL_KEY_PREFIX } from './secret.js';

export interface VirtualKeysOptions {
  store: Store;
  /** Clients must present a virtual key; otherwise a request without one is the anonymous caller. */
  requireKeys: boolean;
  /** Budgets configured for the whole gateway (tags, global); the keys' own are added per call. */
  budgets?: readonly BudgetLimit[];
  /** Other names of a model ref (what an alias or group resolves to), also matched against a key's globs. */
  modelNames?(model: string): readonly string[];
  /** How long a looked-up key stays cached in this process, ms (default 1000; 0: always ask the Store). */
  cacheMs?: number;
  now?: () => number;
}

/** The anonymous local caller (no keys required, none presented). */
export const ANONYMOUS: Caller = Object.freeze({ id: 'anonymous' });

export interface VirtualKeys {
  readonly keys: VirtualKeyStore;
  readonly limits: KeyLimits;
  /** Pass to `createSwitchboard({ budgets })`: counts each key's spend and tokens per minute. */
  readonly budgets: VirtualKeyBudgets;
  authenticate(headers: Record<string, string | string[] | undefined>, model?: string): Promise<Caller>;
  /**
   * The anonymous caller when `authenticate` would answer it without the Store (no keys required,
   * no virtual key presented), else undefined: lets a route skip a promise per request.
   */
  anonymous(headers: Record<string, string | string[] | undefined>): Caller | undefined;
  release(caller: Caller): void;
  /** Forgets cached lookups (after a revoke through this process). */
  forget(): void;
}

export function createVirtualKeys(options: VirtualKeysOptions): VirtualKeys {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 1000;
  const keys = new VirtualKeyStore(options.store, { now });
  const limits = new KeyLimits(options.store, { now });
  const byHash = new Map<string, { record: VirtualKeyRecord | undefined; at: number }>();
  const byId = new Map<string, VirtualKeyRecord>();
  const holding = new WeakSet<Caller>();

  async function lookup(key: string): Promise<VirtualKeyRecord | undefined> {
    const hash = hashKey(key);
    const cached = byHash.get(hash);
    if (cached !== undefined && now() - cached.at < cacheMs) return cached.record;
    let record = await keys.find(key);
    // Redis away: the store answers from local memory, which has never seen the key. A key this
    // process knew before the outage keeps working (as limits do, on local counters) until it returns.
    if (record === undefined && cached?.record !== undefined && storeIsLocal(options.store)) record = cached.record;
    if (byHash.size > 10_000) byHash.clear();
    byHash.set(hash, { record, at: now() });
    if (record !== undefined) byId.set(record.id, record);
    return record;
  }

  const budgets = new VirtualKeyBudgets({
    limits: options.budgets ?? [],
    store: options.store,
    limiter: limits,
    // The request's key was looked up by `authenticate` moments before; the Store is the fallback.
    lookup: async (id) => byId.get(id) ?? (await keys.get(id)),
    now,
  });

  function anonymous(headers: Record<string, string | string[] | undefined>): Caller | undefined {
    if (options.requireKeys) return undefined;
    const key = presentedKey(headers);
    return key === undefined || !key.startsWith(VIRTUAL_KEY_PREFIX) ? ANONYMOUS : undefined;
  }

  async function authenticate(headers: Record<string, string | string[] | undefined>, model?: string): Promise<Caller> {
    const key = presentedKey(headers);
    if (key === undefined || (!options.requireKeys && !key.startsWith(VIRTUAL_KEY_PREFIX))) {
      if (!options.requireKeys) return ANONYMOUS;
      throw new GatewayError(401, 'Missing API key: send a virtual key as Authorization: Bearer <key> or x-api-key', {
        type: 'authentication_error',
        code: 'missing_api_key',
      });
    }
    const record = await lookup(key);
    if (record === undefined) {
      throw new GatewayError(401, 'Invalid API key: no such virtual key (revoked or never issued)', {
        type: 'authentication_error',
        code: 'invalid_api_key',
      });
    }
    if (record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now()) {
      throw new GatewayError(403, `Virtual key ${record.id} expired at ${record.expiresAt}`, {
        type: 'permission_error',
        code: 'key_expired',
      });
    }
    if (model !== undefined && !modelAllowed(record.models, [model, ...(options.modelNames?.(model) ?? [])])) {
      throw new GatewayError(
        403,
        `Virtual key ${record.id} may not use model '${model}' (allowed: ${record.models?.join(', ')})`,
        {
          type: 'permission_error',
          param: 'model',
          code: 'model_not_allowed',
        },
      );
    }
    if (record.budget !== undefined) await refuseSpentBudget(record, record.budget);
    refuse(await limits.admitRequest(record), record, 'rate_limit_exceeded');
    refuse(await limits.enter(record), record, 'concurrency_limit_exceeded');
    const caller: Caller = {
      id: record.id,
      budget: budgetKeyOf(record.id),
      ...(record.models === undefined ? {} : { models: record.models }),
      ...(record.tags === undefined ? {} : { tags: record.tags }),
    };
    if (record.maxConcurrent !== undefined) holding.add(caller);
    return caller;
  }

  /** 429 before anything is sent when the key's budget has nothing left this period. */
  async function refuseSpentBudget(record: VirtualKeyRecord, budget: KeyBudget) {
    const [status] = (await budgets.status(budgetKeyOf(record.id))).filter(
      (entry) => entry.budget === `key:${budgetKeyOf(record.id)}`,
    );
    if (status?.cost === undefined || status.cost.remainingUsd > 0) return;
    const retryAfterMs = status.resetAt === undefined ? undefined : Math.max(0, status.resetAt - now());
    const resets =
      status.resetAt === undefined ? 'it does not reset' : `it resets at ${new Date(status.resetAt).toISOString()}`;
    throw new GatewayError(
      429,
      `Budget exhausted for virtual key ${record.id}: $${status.cost.usedUsd} of $${budget.maxCostUsd} per ${budget.period} spent; ${resets}`,
      {
        type: 'insufficient_quota',
        code: 'budget_exceeded',
        ...(retryAfterMs === undefined ? {} : { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) }),
      },
    );
  }

  function release(caller: Caller): void {
    if (!holding.delete(caller)) return;
    void limits.leave(caller.id).catch(() => undefined);
  }

  return {
    keys,
    limits,
    budgets,
    authenticate,
    anonymous,
    release,
    forget: () => {
      byHash.clear();
      byId.clear();
    },
  };
}

/** Whether a store that can fail over (`@switchboard/redis`) is answering from local memory now. */
function storeIsLocal(store: Store): boolean {
  const mode = (store as { mode?: unknown }).mode;
  return mode === 'local' || mode === 'recovering';
}

function refuse(refusal: LimitRefusal | undefined, record: VirtualKeyRecord, code: string): void {
  if (refusal === undefined) return;
  throw new GatewayError(429, `Rate limit reached for virtual key ${record.id}: ${refusal.reason}`, {
    type: 'rate_limit_error',
    code,
    retryAfterSeconds: Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)),
  });
}
