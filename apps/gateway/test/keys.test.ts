/**
 * Virtual keys without HTTP: the secret (format, hashing, constant-time comparison, where a request
 * carries it), model globs, settings validation, the Store records, and `authenticate`'s refusals
 * (401, 403, 429 with the reason) on a real `MemoryStore` with an injected clock.
 */
import { createHash } from 'node:crypto';
import { MemoryStore } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/gateway-error.js';
import { adminKeyHashFromEnv, requireAdmin } from '../src/keys/admin-key.js';
import { parseKeySettings } from '../src/keys/key-settings.js';
import { KEY_STORE_PREFIX, VirtualKeyStore } from '../src/keys/key-store.js';
import { matchesModelGlob, modelAllowed } from '../src/keys/model-glob.js';
import { generateVirtualKey, hashesEqual, hashKey, presentedKey } from '../src/keys/secret.js';
import { createVirtualKeys } from '../src/keys/virtual-keys.js';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('the secret', () => {
  it('is sk-sb- plus 43 base62 digits (32 random bytes), different every time', () => {
    const keys = new Set(Array.from({ length: 200 }, generateVirtualKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^sk-sb-[0-9A-Za-z]{43}$/);
  });

  it('is stored as its SHA-256 and compared digest to digest', () => {
    const key = generateVirtualKey();
    expect(hashKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashesEqual(hashKey(key), hashKey(key))).toBe(true);
    expect(hashesEqual(hashKey(key), hashKey(`${key}x`))).toBe(false);
    // Not a digest at all: unequal without comparing contents of different lengths.
    expect(hashesEqual(hashKey(key), 'abcd')).toBe(false);
  });

  it('is read from Authorization: Bearer or x-api-key', () => {
    expect(presentedKey({ authorization: 'Bearer sk-sb-abc' })).toBe('sk-sb-abc');
    expect(presentedKey({ authorization: 'bearer   sk-sb-abc ' })).toBe('sk-sb-abc');
    expect(presentedKey({ 'x-api-key': 'sk-sb-def' })).toBe('sk-sb-def');
    expect(presentedKey({ authorization: 'Basic Zm9vOmJhcg==' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});

describe('model globs', () => {
  it('match provider prefixes, model families and slashes inside ids', () => {
    expect(matchesModelGlob('openai/*', 'openai/gpt-4o')).toBe(true);
    expect(matchesModelGlob('openai/*', 'anthropic/claude-sonnet-4')).toBe(false);
    expect(matchesModelGlob('anthropic/claude-*', 'anthropic/claude-sonnet-4')).toBe(true);
    expect(matchesModelGlob('openrouter/*', 'openrouter/meta-llama/llama-3')).toBe(true);
    expect(matchesModelGlob('openai/gpt-4?', 'openai/gpt-4o')).toBe(true);
    // A dot is a dot, not "any character".
    expect(matchesModelGlob('mock/gpt-4.1', 'mock/gpt-4x1')).toBe(false);
  });

  it('allow a model when any of its names (as sent, or what an alias resolves to) matches', () => {
    expect(modelAllowed(undefined, ['anything'])).toBe(true);
    expect(modelAllowed(['openai/*'], ['fast'])).toBe(false);
    expect(modelAllowed(['openai/*'], ['fast', 'openai/gpt-4o-mini'])).toBe(true);
  });
});

describe('key settings', () => {
  it('take CLI strings: numbers, comma lists, 50/day budgets, dates', () => {
    expect(
      parseKeySettings({
        rpm: '60',
        tpm: '100000',
        models: 'openai/*, anthropic/*',
        tags: 'team-a',
        budget: '50/day',
        expiresAt: '2027-01-01',
      }),
    ).toEqual({
      rpm: 60,
      tpm: 100000,
      models: ['openai/*', 'anthropic/*'],
      tags: ['team-a'],
      budget: { maxCostUsd: 50, period: 'day' },
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('name the field at fault', () => {
    expect(() => parseKeySettings({ rpm: -1 })).toThrow(/^rpm: /);
    expect(() => parseKeySettings({ budget: '50/week' })).toThrow(/budget: .*hour, day, month, total/);
    expect(() => parseKeySettings({ expiresAt: 'soon' })).toThrow(/expiresAt: expected a date/);
    expect(() => parseKeySettings({ expiresAt: '2020-01-01' }, T0)).toThrow(/expiresAt: .* in the past/);
    expect(() => parseKeySettings({ rpn: 5 })).toThrow(/rpn/);
  });
});

describe('the key store', () => {
  it('keeps the hash and settings, never the key; finds, lists and revokes', async () => {
    const store = new MemoryStore();
    const keys = new VirtualKeyStore(store);
    const { key, record } = await keys.create({ rpm: 5, name: 'ci' });
    const stored = await store.get(`${KEY_STORE_PREFIX}hash:${hashKey(key)}`);
    expect(stored).toBeDefined();
    expect(stored).not.toContain(key);
    expect(JSON.parse(stored as string)).toMatchObject({ id: record.id, rpm: 5, name: 'ci' });
    expect((await keys.find(key))?.id).toBe(record.id);
    expect(await keys.find(`${key}x`)).toBeUndefined();
    const other = await keys.create({});
    const listed = await keys.list();
    expect(listed.map((entry) => entry.id).sort()).toEqual([record.id, other.record.id].sort());
    expect(JSON.stringify(listed)).not.toMatch(/sk-sb-|hash/);
    expect(await keys.revoke(record.id)).toBe(true);
    expect(await keys.revoke(record.id)).toBe(false);
    expect(await keys.find(key)).toBeUndefined();
    expect((await keys.list()).map((entry) => entry.id)).toEqual([other.record.id]);
  });
});

describe('authenticate', () => {
  it('without required keys, a request without a virtual key is the anonymous caller; a wrong virtual key is still 401', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: false, cacheMs: 0 });
    expect((await vk.authenticate({})).id).toBe('anonymous');
    expect((await vk.authenticate({ authorization: 'Bearer sk-upstream-looking' })).id).toBe('anonymous');
    const error = await refusal(vk.authenticate({ authorization: `Bearer ${generateVirtualKey()}` }));
    expect(error.status).toBe(401);
  });

  it('with required keys: 401 for none and for an unknown one, the caller with its budget key and tags for a good one', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: true, cacheMs: 0 });
    expect((await refusal(vk.authenticate({}))).status).toBe(401);
    expect((await refusal(vk.authenticate({ 'x-api-key': 'sk-sb-nope' }))).message).toMatch(/Invalid API key/);
    const { key, record } = await vk.keys.create({ tags: 'team-a', models: 'mock/*' });
    expect(await vk.authenticate({ 'x-api-key': key }, 'mock/mock-chat')).toEqual({
      id: record.id,
      budget: `vk:${record.id}`,
      models: ['mock/*'],
      tags: ['team-a'],
    });
  });

  it('403 for a model outside the globs (unless an alias resolves into them) and for an expired key', async () => {
    const time = clock();
    const vk = createVirtualKeys({
      store: new MemoryStore({ now: time.now }),
      requireKeys: true,
      cacheMs: 0,
      now: time.now,
      modelNames: (model) => (model === 'fast' ? ['openai/gpt-4o-mini'] : []),
    });
    const { key } = await vk.keys.create({ models: 'openai/*', expiresAt: new Date(T0 + 60_000).toISOString() });
    const headers = { authorization: `Bearer ${key}` };
    const denied = await refusal(vk.authenticate(headers, 'anthropic/claude-sonnet-4'));
    expect(denied.status).toBe(403);
    expect(denied.details.code).toBe('model_not_allowed');
    expect(denied.message).toContain("'anthropic/claude-sonnet-4'");
    await vk.authenticate(headers, 'fast');
    time.advance(60_000);
    const expired = await refusal(vk.authenticate(headers, 'openai/gpt-4o'));
    expect(expired.status).toBe(403);
    expect(expired.message).toMatch(/expired at/);
  });

  it('429 past the requests per minute, with the reason and retry-after; room again a minute later', async () => {
    const time = clock();
    const vk = createVirtualKeys({
      store: new MemoryStore({ now: time.now }),
      requireKeys: true,
      cacheMs: 0,
      now: time.now,
    });
    const { key } = await vk.keys.create({ rpm: 2 });
    const headers = { authorization: `Bearer ${key}` };
    await vk.authenticate(headers);
    await vk.authenticate(headers);
    const limited = await refusal(vk.authenticate(headers));
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/2 requests per minute/);
    expect(limited.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.details.retryAfterSeconds).toBeLessThanOrEqual(120);
    time.advance(120_000);
    await vk.authenticate(headers);
  });

  it('429 past the concurrency cap until a request is released', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: true, cacheMs: 0 });
    const { key } = await vk.keys.create({ maxConcurrent: 1 });
    const headers = { authorization: `Bearer ${key}` };
    const first = await vk.authenticate(headers);
    const busy = await refusal(vk.authenticate(headers));
    expect(busy.status).toBe(429);
    expect(busy.message).toMatch(/1 concurrent requests/);
    vk.release(first);
    vk.release(first); // twice is harmless: the slot is given back once
    await new Promise((resolve) => setImmediate(resolve));
    const second = await vk.authenticate(headers);
    await refusal(vk.authenticate(headers));
    vk.release(second);
  });

  it('a revoked key is refused once the cached lookup is forgotten', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: true });
    const { key, record } = await vk.keys.create({});
    await vk.authenticate({ 'x-api-key': key });
    await vk.keys.revoke(record.id);
    vk.forget();
    expect((await refusal(vk.authenticate({ 'x-api-key': key }))).status).toBe(401);
  });
});

describe('the admin key', () => {
  it('is the SHA-256 of the named variable; a named but unset variable is an error', () => {
    expect(adminKeyHashFromEnv('SB_ADMIN', { SB_ADMIN: 'admin-secret' })).toBe(hashKey('admin-secret'));
    expect(adminKeyHashFromEnv(undefined, {})).toBeUndefined();
    expect(() => adminKeyHashFromEnv('SB_ADMIN', {})).toThrow(/SB_ADMIN is not set/);
  });

  it('guards: 403 when none is configured, 401 when missing or wrong, through when right', () => {
    const settings = { adminKeyHash: hashKey('admin-secret') };
    const status = (run: () => void) => {
      try {
        run();
        return 200;
      } catch (error) {
        return (error as GatewayError).status;
      }
    };
    expect(status(() => requireAdmin({ authorization: 'Bearer admin-secret' }, {}))).toBe(403);
    expect(status(() => requireAdmin({}, settings))).toBe(401);
    expect(status(() => requireAdmin({ authorization: 'Bearer admin-secreT' }, settings))).toBe(401);
    expect(status(() => requireAdmin({ 'x-api-key': 'admin-secret' }, settings))).toBe(200);
  });
});
