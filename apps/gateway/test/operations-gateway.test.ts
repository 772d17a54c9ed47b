/**
 * The operations API inside the whole gateway (`createGateway`): its routes sit next to the OpenAI
 * surface, keep their own error body, see the calls made through `/v1/chat/completions` in the
 * telemetry and Prometheus metrics, and take the admin key from the config's `keys.adminKeyEnv`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationsRoutes } from '../src/routes/operations.js';
import { createGateway, type Gateway, ROUTE_MODULES } from '../src/server.js';
import { type OperationsUpstream, startOperationsUpstream } from './operations-upstream.js';

const UPSTREAM_KEY = 'sk-proj-Q3gatewayT3st0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2';
const ADMIN_KEY = 'sb-admin-Q3-gateway-9876543210';

let upstream: OperationsUpstream;
let gateway: Gateway;
let baseURL: string;
const bodies: string[] = [];

async function send(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseURL}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  upstream = await startOperationsUpstream();
  gateway = await createGateway({
    port: 0,
    env: { Q3_OPENAI_KEY: UPSTREAM_KEY, Q3_ADMIN_KEY: ADMIN_KEY },
    config: {
      providers: { openai: { apiKeyEnv: 'Q3_OPENAI_KEY', baseURL: upstream.baseURL }, mock: null },
      telemetry: true,
      keys: { adminKeyEnv: 'Q3_ADMIN_KEY' },
    },
    // The server registers the operations module itself once it lists it; until then, add it.
    routes: ROUTE_MODULES.includes(operationsRoutes) ? ROUTE_MODULES : [...ROUTE_MODULES, operationsRoutes],
    switchboard: { retry: false },
  });
  ({ url: baseURL } = await gateway.listen());
});

afterAll(async () => {
  await gateway?.close(1000);
  await upstream?.close();
});

describe('the operations API in createGateway', () => {
  it('counts a call made through /v1/chat/completions in /api/telemetry and /metrics', async () => {
    const chat = await send('POST', '/v1/chat/completions', {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(chat.status).toBe(200);
    const telemetry = await send('GET', '/api/telemetry?provider=openai');
    expect(telemetry.status).toBe(200);
    expect(telemetry.json.totals).toMatchObject({ requests: 1, failures: 0 });
    const metrics = await send('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/switchboard_requests_total\{[^}]*provider="openai"[^}]*status="success"[^}]*\} 1/);
  });

  it('answers its own error body naming the parameter, and lists the configured providers', async () => {
    const bad = await send('GET', '/api/models?capability=telepathy');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: { message: expect.stringContaining('telepathy'), type: 'invalid_request_error', param: 'capability' },
    });
    const providers = await send('GET', '/api/providers');
    expect(
      providers.json.data.map((entry: { id: string; configured: boolean }) => [entry.id, entry.configured]),
    ).toEqual(
      expect.arrayContaining([
        ['openai', true],
        ['mock', true],
      ]),
    );
    const ready = await send('GET', '/readyz');
    expect(ready.status).toBe(200);
  });

  it('guards the telemetry reset with the admin key of keys.adminKeyEnv', async () => {
    expect((await send('POST', '/api/telemetry/reset')).status).toBe(401);
    const reset = await send('POST', '/api/telemetry/reset', undefined, { 'x-admin-key': ADMIN_KEY });
    expect(reset.status).toBe(200);
    expect((await send('GET', '/api/telemetry')).json.totals.requests).toBe(0);
  });

  it('never answers the upstream key', () => {
    expect(upstream.authorizations).toContain(`Bearer ${UPSTREAM_KEY}`);
    expect(bodies.join('\n')).not.toContain(UPSTREAM_KEY);
  });
});
