/**
 * The operations half of the API over real HTTP: provider status after a failing upstream opens the
 * breaker, telemetry after a few calls (JSON, filters, CSV export), the admin-guarded reset and
 * refresh, Prometheus metrics, liveness and readiness, and no upstream key in any answer even though
 * the failing upstream quotes it in its error bodies.
 */
import { MemoryStore, type Store } from '@switchboard/core';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isLoopbackAddress, requireAdmin } from '../src/operations/admin-guard.js';
import { answered, call, type OperationsApp, startOperationsApp, UPSTREAM_KEY } from './operations-app.js';

const ADMIN_KEY = 'sb-admin-Q3-operations-0123456789';
const HI = [{ role: 'user' as const, content: 'Hi' }];

let app: OperationsApp;
beforeAll(async () => {
  vi.stubEnv('OPENAI_API_KEY', UPSTREAM_KEY);
  app = await startOperationsApp({ adminKey: ADMIN_KEY });
  // Three mock calls, one good OpenAI call, then two failures that open OpenAI's breaker.
  for (let i = 0; i < 3; i += 1) await app.switchboard.chat({ model: 'mock/mock-chat', messages: HI });
  await app.switchboard.chat({ model: 'openai/gpt-4o-mini', messages: HI });
  app.upstream.failing = true;
  for (let i = 0; i < 2; i += 1)
    await expect(app.switchboard.chat({ model: 'openai/gpt-4o-mini', messages: HI })).rejects.toThrow();
  await app.switchboard.checkHealth('openai');
});
afterAll(async () => {
  await app.close();
  vi.unstubAllEnvs();
});

describe('GET /api/providers', () => {
  it('shows each provider configured, its health, its open breaker and its rate-limit status', async () => {
    const { status, json } = await call(app, 'GET', '/api/providers');
    expect(status).toBe(200);
    const byId = Object.fromEntries(json.data.map((entry: { id: string }) => [entry.id, entry]));
    expect(Object.keys(byId)).toEqual(['mock', 'openai']);
    expect(byId.openai).toMatchObject({
      name: 'OpenAI',
      protocol: 'openai-chat',
      local: false,
      configured: true,
      breaker: { key: 'openai', state: 'open' },
      health: { provider: 'openai', healthy: false },
      rateLimit: { provider: 'openai' },
    });
    expect(byId.openai.models).toBeGreaterThan(10);
    expect(byId.mock).toMatchObject({ configured: true, breaker: { state: 'closed' }, health: null });
  });
});

describe('GET /api/telemetry', () => {
  it('reports the calls made, per provider and model, with the failures and recent errors', async () => {
    const { status, json } = await call(app, 'GET', '/api/telemetry');
    expect(status).toBe(200);
    expect(json.period).toEqual({ hours: null, window: 'all', exact: true });
    expect(json.totals).toMatchObject({ requests: 6, failures: 2 });
    expect(json.models.map((model: { provider: string; model: string }) => `${model.provider}/${model.model}`)).toEqual(
      ['mock/mock-chat', 'openai/gpt-4o-mini'],
    );
    expect(json.recentErrors).toHaveLength(2);
    expect(json.recentErrors[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('narrows to a provider, a model (id or provider/model) and a period', async () => {
    const openai = await call(app, 'GET', '/api/telemetry?provider=openai&hours=1');
    expect(openai.json.period).toEqual({ hours: 1, window: 'all', exact: true });
    expect(openai.json.totals).toMatchObject({ requests: 3, failures: 2, successRate: 0.333 });
    expect(openai.json.totals.latencyMs.p50).toEqual(expect.any(Number));
    expect(openai.json.providers.map((entry: { provider: string }) => entry.provider)).toEqual(['openai']);
    const mock = await call(app, 'GET', '/api/telemetry?model=mock/mock-chat');
    expect(mock.json.totals).toMatchObject({ requests: 3, failures: 0 });
    expect(mock.json.recentErrors).toEqual([]);
    const bare = await call(app, 'GET', '/api/telemetry?model=gpt-4o-mini');
    expect(bare.json.totals).toMatchObject({ requests: 3, failures: 2, successRate: 0.333, errorRate: 0.667 });
  });

  it.each([
    ['hours=0', 'hours'],
    ['hours=soon', 'hours'],
    ['window=1h', 'window'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const { status, json } = await call(app, 'GET', `/api/telemetry?${query}`);
    expect(status).toBe(400);
    expect(json.error.param).toBe(param);
  });

  it('exports the view as JSON and CSV attachments', async () => {
    const asJson = await call(app, 'GET', '/api/telemetry/export?format=json');
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/);
    expect(asJson.headers.get('content-disposition')).toMatch(/attachment; filename="switchboard-telemetry-.*\.json"/);
    expect(asJson.json.totals.requests).toBe(6);
    const asCsv = await call(app, 'GET', '/api/telemetry/export?format=csv');
    expect(asCsv.status).toBe(200);
    expect(asCsv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = asCsv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^provider,model,window,requests,failures,/);
    expect(lines).toContainEqual(expect.stringMatching(/^openai,gpt-4o-mini,all,3,2,/));
    expect(lines).toContainEqual(expect.stringMatching(/^mock,mock-chat,all,3,0,/));
    const bad = await call(app, 'GET', '/api/telemetry/export?format=xml');
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('format');
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with the request counters', async () => {
    const { status, headers, text } = await call(app, 'GET', '/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/switchboard_requests_total\{[^}]*provider="mock"[^}]*\} 3/);
    expect(text).toMatch(/switchboard_requests_total\{[^}]*provider="openai"[^}]*status="error"[^}]*\} 2/);
  });
});

describe('admin writes', () => {
  it('refuses refresh and reset without the admin key or with a wrong one (401)', async () => {
    for (const path of ['/api/models/refresh', '/api/telemetry/reset']) {
      const missing = await call(app, 'POST', path);
      expect(missing.status).toBe(401);
      expect(missing.json.error.type).toBe('authentication_error');
      const wrong = await call(app, 'POST', path, { headers: { 'x-admin-key': `${ADMIN_KEY}x` } });
      expect(wrong.status).toBe(401);
    }
    expect((await call(app, 'GET', '/api/telemetry')).json.totals.requests).toBe(6);
  });

  it('runs refresh with the key as a Bearer token, reporting a failing list without its key', async () => {
    const { status, json } = await call(app, 'POST', '/api/models/refresh', {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(status).toBe(200);
    const openai = json.providers.find((entry: { provider: string }) => entry.provider === 'openai');
    expect(openai.outcome).toBe('failed');
    expect(openai.message).toMatch(/500|upstream broke/);
    const mock = json.providers.find((entry: { provider: string }) => entry.provider === 'mock');
    expect(mock.outcome).toBe('listed');
    expect(mock.available).toContain('mock/mock-chat');
  });

  it('resets the telemetry view with the key in x-admin-key', async () => {
    const { status, json } = await call(app, 'POST', '/api/telemetry/reset', { headers: { 'x-admin-key': ADMIN_KEY } });
    expect(status).toBe(200);
    expect(json.reset).toBe(true);
    const after = await call(app, 'GET', '/api/telemetry');
    expect(after.json.totals.requests).toBe(0);
    expect(after.json.models).toEqual([]);
  });

  it('without an admin key configured, accepts loopback clients only', () => {
    const from = (remoteAddress: string) => ({ headers: {}, socket: { remoteAddress } }) as unknown as FastifyRequest;
    const open = { host: '127.0.0.1', port: 0, bodyLimitBytes: 1, corsOrigins: [], requireKeys: false };
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1'])
      expect(() => requireAdmin(from(address), open)).not.toThrow();
    for (const address of ['10.0.0.5', '::ffff:192.168.1.4', '2001:db8::1'])
      expect(() => requireAdmin(from(address), open)).toThrow(/loopback/);
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});

describe('probes', () => {
  it('GET /healthz says the process is up', async () => {
    const { status, json } = await call(app, 'GET', '/healthz');
    expect(status).toBe(200);
    expect(json.status).toBe('ok');
  });

  it('GET /readyz is ready with a reachable store and configured providers', async () => {
    const { status, json } = await call(app, 'GET', '/readyz');
    expect(status).toBe(200);
    expect(json).toEqual({
      status: 'ready',
      checks: { store: { ok: true }, providers: { ok: true, configured: ['mock', 'openai'] } },
    });
  });

  it('GET /readyz is 503 when the store fails', async () => {
    const broken = new MemoryStore();
    const store = new Proxy(broken, {
      get(target, property) {
        if (property === 'set') return () => Promise.reject(new Error('connection refused'));
        return Reflect.get(target, property, target);
      },
    }) as Store;
    const other = await startOperationsApp({ store });
    try {
      const { status, json } = await call(other, 'GET', '/readyz');
      expect(status).toBe(503);
      expect(json.status).toBe('not-ready');
      expect(json.checks.store).toEqual({ ok: false, message: 'the store failed: connection refused' });
    } finally {
      await other.close();
    }
  });
});

describe('upstream keys', () => {
  it('appear in no answer of this file, although the failing upstream quoted the key in its errors', () => {
    // The key really went upstream, and the failing upstream quoted it back.
    expect(app.upstream.authorizations).toContain(`Bearer ${UPSTREAM_KEY}`);
    expect(app.upstream.paths.length).toBeGreaterThan(3);
    const everything = answered.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(UPSTREAM_KEY);
    expect(everything).not.toContain(UPSTREAM_KEY.slice(8, 40));
    expect(everything).not.toContain(Buffer.from(UPSTREAM_KEY).toString('base64').slice(4, 40));
  });
});
