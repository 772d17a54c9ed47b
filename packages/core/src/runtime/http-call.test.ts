/**
 * sendForJson through the undici transport's whole-body door and through the ordinary transport
 * call (a fetch transport, which has no such door): the same results and the same core errors,
 * from a real local server: parsed 2xx JSON, the adapter's error for a non-2xx body, the test
 * cache's mark, an empty body, a cut body, the caller's abort and the call's time limit.
 */
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/errors.js';
import type { ProtocolAdapter } from '../protocols/adapter.js';
import type { CallContext } from '../types/protocol.js';
import { createCallSignal } from './call-signal.js';
import { sendForJson } from './http-call.js';
import { type LocalServer, startServer } from './test-support/local-server.js';
import { createFetchTransport, createUndiciTransport, type Transport } from './transport.js';
import { wholeBodyOf } from './whole-body-transport.js';

let server: LocalServer;
let agent: Agent;

beforeAll(async () => {
  server = await startServer(async (request, res) => {
    switch (request.url) {
      case '/ok':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"answer":"é"}');
        return;
      case '/cached':
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Switchboard-Cache': 'test' });
        res.end('{"answer":"cached"}');
        return;
      case '/error':
        res.writeHead(429, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-429' });
        res.end('{"error":"slow down"}');
        return;
      case '/empty':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end();
        return;
      case '/cut':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"answer":');
        await sleep(15);
        (res.socket as Socket).destroy();
        return;
      case '/hang':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"answer":');
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  const undici = await import('undici');
  agent = new undici.Agent();
});

afterAll(async () => {
  await server.close();
  await agent.close();
});

const ctx = {
  descriptor: { id: 'fake' },
  settings: {},
  model: undefined,
  modelId: 'big',
  baseURL: '',
  params: {},
  apiKey: undefined,
  env: {},
} as unknown as CallContext;

const adapter: Pick<ProtocolAdapter, 'parseError'> = {
  parseError: (_ctx, status, _headers, body) => new ProviderError(`status ${status}: ${body}`, { status }),
};

const parseAnswer = (body: unknown) => ({ answer: (body as { answer: string }).answer });

function call(transport: Transport, path: string, timeoutMs?: number, signal?: AbortSignal) {
  const callSignal = createCallSignal(timeoutMs, signal);
  const spec = { method: 'POST' as const, url: `http://127.0.0.1:${server.port}${path}`, headers: {}, body: '{}' };
  return sendForJson(transport, adapter, ctx, spec, callSignal, parseAnswer).finally(() => callSignal.release());
}

const transports: [string, () => Transport][] = [
  ['undici (whole-body door)', () => createUndiciTransport(agent)],
  ['fetch (transport call)', () => createFetchTransport()],
];

describe.each(transports)('sendForJson through %s', (name, make) => {
  it('takes the whole-body door exactly when the transport has one', () => {
    expect(wholeBodyOf(make()) !== undefined).toBe(name.startsWith('undici'));
  });

  it('parses a 2xx JSON body', async () => {
    expect(await call(make(), '/ok')).toEqual({ answer: 'é' });
  });

  it("marks a test-cache answer with fromCache 'test'", async () => {
    expect(await call(make(), '/cached')).toEqual({ answer: 'cached', fromCache: 'test' });
  });

  it("turns a non-2xx response into the adapter's error, with its body and request id", async () => {
    const error = await call(make(), '/error').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      message: 'status 429: {"error":"slow down"}',
      provider: 'fake',
      model: 'big',
      requestId: 'req-429',
    });
  });

  it('reports an empty 2xx body as an invalid response', async () => {
    await expect(call(make(), '/empty')).rejects.toMatchObject({ kind: 'invalid-response', status: 200 });
  });

  it('reports a body cut mid-way as a network error', async () => {
    await expect(call(make(), '/cut')).rejects.toMatchObject({ kind: 'network', provider: 'fake' });
  });

  it("reports the caller's abort during the body as aborted, with its reason", async () => {
    const controller = new AbortController();
    const reason = new Error('user stopped');
    const pending = call(make(), '/hang', undefined, controller.signal);
    await sleep(50);
    controller.abort(reason);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', cause: reason });
  });

  it("reports the caller's abort before the call as aborted", async () => {
    const reason = new Error('never started');
    await expect(call(make(), '/ok', undefined, AbortSignal.abort(reason))).rejects.toMatchObject({
      kind: 'aborted',
      cause: reason,
    });
  });

  it("reports the call's time limit as a timeout", async () => {
    await expect(call(make(), '/hang', 60)).rejects.toMatchObject({ kind: 'timeout', provider: 'fake' });
  });
});
