/**
 * Virtual keys over real HTTP (fastify on 127.0.0.1, the switchboard's mock provider upstream): the
 * admin-guarded key API, and the refusals a client sees on a model route, each with OpenAI's error
 * body, the reason, and `retry-after` on 429s. The budget refusal comes from the switchboard's own
 * budget stage counting the key's real spend.
 */
import { createMockProvider, MemoryStore, getMockRequests as mockRequests } from '@switchboard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyGateway, type KeyGateway } from './support/key-gateway.js';

const getMockRequests = (provider: { settings: object }) => mockRequests(provider);

const ADMIN = 'admin-0123456789abcdef';
let gateway: KeyGateway;
let base: string;
let mock: ReturnType<typeof createMockProvider>;

beforeEach(async () => {
  mock = createMockProvider();
  gateway = await createKeyGateway({ store: new MemoryStore(), providers: [mock], adminKey: ADMIN });
  base = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await gateway.close();
});

async function call(path: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.key === undefined ? {} : { authorization: `Bearer ${init.key}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body = (await response.json()) as Record<string, unknown> & {
    error?: { message: string; type: string; code: string | null; param: string | null };
  };
  return { status: response.status, headers: response.headers, body };
}

async function createKey(settings: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const created = await call('/api/keys', { key: ADMIN, body: settings });
  expect(created.status).toBe(201);
  return created.body as unknown as { id: string; key: string };
}

const chat = (key: string | undefined, model = 'mock/mock-chat') =>
  call('/v1/chat/completions', { key, body: { model, messages: [{ role: 'user', content: 'Hello there' }] } });

describe('the key API', () => {
  it('is closed without the admin key and refuses a virtual key in its place', async () => {
    expect((await call('/api/keys', { body: {} })).status).toBe(401);
    expect((await call('/api/keys', { key: 'admin-wrong', body: {} })).status).toBe(401);
    const { key } = await createKey({});
    expect((await call('/api/keys', { key })).status).toBe(401);
  });

  it('creates (the key shown once), lists (no keys, no hashes), shows and revokes', async () => {
    const created = await call('/api/keys', {
      key: ADMIN,
      body: { name: 'ci', rpm: 60, models: ['mock/*'], budget: '50/day' },
    });
    expect(created.status).toBe(201);
    const { id, key } = created.body as { id: string; key: string };
    expect(key).toMatch(/^sk-sb-[0-9A-Za-z]{43}$/);
    expect(created.body).toMatchObject({ name: 'ci', rpm: 60, budget: { maxCostUsd: 50, period: 'day' } });
    expect(created.body).not.toHaveProperty('hash');
    const listed = await call('/api/keys', { key: ADMIN });
    expect(listed.body.data).toEqual([expect.objectContaining({ id, name: 'ci' })]);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(listed.body)).not.toContain('hash');
    expect((await call(`/api/keys/${id}`, { key: ADMIN })).body).toMatchObject({ id, rpm: 60 });
    expect((await chat(key)).status).toBe(200);
    expect((await call(`/api/keys/${id}`, { method: 'DELETE', key: ADMIN })).body).toEqual({ id, deleted: true });
    expect((await call(`/api/keys/${id}`, { method: 'DELETE', key: ADMIN })).status).toBe(404);
    const revoked = await chat(key);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.type).toBe('authentication_error');
  });

  it('answers bad settings with 400 naming the field', async () => {
    const bad = await call('/api/keys', { key: ADMIN, body: { rpm: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.param).toBe('rpm');
    expect(bad.body.error?.message).toMatch(/^rpm: /);
    const budget = await call('/api/keys', { key: ADMIN, body: { budget: 'lots' } });
    expect(budget.status).toBe(400);
    expect(budget.body.error?.param).toBe('budget');
  });
});

describe('a model route with keys required', () => {
  it('401: no key, an unknown key', async () => {
    const none = await chat(undefined);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
    const unknown = await chat('sk-sb-000000000000000000000000000000000000000000');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('invalid_api_key');
    expect(getMockRequests(mock)).toHaveLength(0);
  });

  it('403: a model outside the key globs, naming the model and what is allowed', async () => {
    const { key } = await createKey({ models: 'mock/mock-text' });
    const denied = await chat(key, 'mock/mock-chat');
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed', param: 'model' });
    expect(denied.body.error?.message).toContain("'mock/mock-chat' (allowed: mock/mock-text)");
    expect((await chat(key, 'mock/mock-text')).status).toBe(200);
  });

  it('429: past the requests per minute, with the reason and retry-after, nothing sent upstream', async () => {
    const { key } = await createKey({ rpm: 3 });
    for (let i = 0; i < 3; i += 1) expect((await chat(key)).status).toBe(200);
    const sent = getMockRequests(mock).length;
    const limited = await chat(key);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.message).toMatch(/3 requests per minute/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(getMockRequests(mock)).toHaveLength(sent);
  });

  it('429: past the tokens per minute, counted from the real usage of earlier calls', async () => {
    const first = await chat((await createKey({})).key);
    const tokens = (first.body.usage as { total_tokens: number }).total_tokens;
    expect(tokens).toBeGreaterThan(0);
    // Room for the first call's estimate, not for a second call once its real usage is counted.
    const { key } = await createKey({ tpm: tokens + 1 });
    expect((await chat(key)).status).toBe(200);
    const limited = await chat(key);
    expect(limited.status).toBe(429);
    expect(limited.body.error?.message).toMatch(new RegExp(`${tokens + 1} tokens per minute`));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('429: an exhausted budget, with the spend, the limit and when it resets; nothing sent upstream', async () => {
    const probe = await chat((await createKey({})).key);
    const cost = probe.body.cost as number;
    expect(cost).toBeGreaterThan(0);
    // A budget of two and a half calls: the switchboard records each call's real cost in the Store.
    const { key, id } = await createKey({ budget: `${(cost * 2.5).toFixed(8)}/day` });
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof chat>> | undefined;
    for (let i = 0; i < 10 && refused === undefined; i += 1) {
      const answer = await chat(key);
      statuses.push(answer.status);
      if (answer.status !== 200) refused = answer;
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(refused?.status).toBe(429);
    expect(refused?.body.error?.message).toMatch(new RegExp(`(Budget exhausted for virtual key ${id}|key:vk:${id})`));
    expect(refused?.body.error?.message).toMatch(/day/);
    const sent = getMockRequests(mock).length;
    const again = await chat(key);
    expect(again.status).toBe(429);
    // Refused before anything is sent: by the key's budget, with the period's reset time.
    expect(again.body.error?.message).toMatch(new RegExp(`vk:${id}|virtual key ${id}`));
    expect(again.body.error?.message).toMatch(/resets at \d{4}-/);
    expect(getMockRequests(mock)).toHaveLength(sent);
    const [status] = await gateway.switchboard.budgetStatus(`vk:${id}`);
    expect(status?.cost?.usedUsd).toBeGreaterThanOrEqual(cost * 2);
  });
});
