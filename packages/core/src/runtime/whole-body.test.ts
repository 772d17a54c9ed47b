/**
 * The undici transport's whole-body door against a real local server: what `request()` + `text()`
 * gave (status, lower-cased header record, body text) without a body stream, the caller's abort
 * before and during the call (listener removed once settled), a body cut mid-way, an empty body,
 * multi-byte characters split across chunks, and the dispatcher override and MockAgent dispatchers.
 */
import { getEventListeners } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startServer } from './test-support/local-server.js';
import { createUndiciTransport, DISPATCHER_OVERRIDE } from './transport.js';
import { dispatchWholeBody } from './whole-body.js';
import { type WholeBodyTransport, wholeBodyOf } from './whole-body-transport.js';

let server: LocalServer;
let agent: Dispatcher & { close(): Promise<void> };
let send: WholeBodyTransport;
/** Resolved by the `/stall` route once it has sent its headers and first bytes. */
let stalled: (() => void) | undefined;

const SPLIT_TEXT = '{"text":"héllo 😀 wörld"}';

beforeAll(async () => {
  server = await startServer(async (request, res) => {
    switch (request.url) {
      case '/json':
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Repeated': ['one', 'two'], 'X-Request-Id': 'r1' });
        res.end('{"ok":true}');
        return;
      case '/error':
        res.writeHead(503, { 'Content-Type': 'application/json' });
        res.end('{"error":"overloaded"}');
        return;
      case '/empty':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end();
        return;
      case '/bom':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"bom":1}')]));
        return;
      case '/split': {
        // Each multi-byte character is cut between two writes, with a pause so they arrive apart.
        const bytes = Buffer.from(SPLIT_TEXT);
        const cuts = [bytes.indexOf(Buffer.from('é')) + 1, bytes.indexOf(Buffer.from('😀')) + 2, bytes.length - 4];
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) });
        let start = 0;
        for (const cut of cuts) {
          res.write(bytes.subarray(start, cut));
          start = cut;
          await sleep(15);
        }
        res.end(bytes.subarray(start));
        return;
      }
      case '/cut':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"partial":');
        await sleep(15);
        (res.socket as Socket).destroy();
        return;
      case '/stall':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"slow":');
        stalled?.();
        return;
      default:
        res.writeHead(404);
        res.end('no route');
    }
  });
  const { Agent } = await import('undici');
  agent = new Agent();
  send = wholeBodyOf(createUndiciTransport(agent)) as WholeBodyTransport;
});

afterAll(async () => {
  await server.close();
  await agent.close();
});

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const get = (path: string) => ({ method: 'GET' as const, url: url(path), headers: {} });

describe('the undici transport', () => {
  it('has a whole-body door, not enumerable; a fetch or custom transport has none', async () => {
    const transport = createUndiciTransport(agent);
    expect(typeof wholeBodyOf(transport)).toBe('function');
    expect(Object.keys(transport)).toEqual([]);
    const { createFetchTransport } = await import('./transport.js');
    expect(wholeBodyOf(createFetchTransport())).toBeUndefined();
  });
});

describe('the whole-body door', () => {
  it('resolves a 2xx response with its status, lower-cased headers and body text', async () => {
    const response = await send(
      { method: 'POST', url: url('/json'), headers: { 'content-type': 'application/json' }, body: '{"q":1}' },
      undefined,
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe('{"ok":true}');
    expect(response.header('content-type')).toBe('application/json');
    expect(response.header('x-repeated')).toBe('one, two');
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(response.fromCache).toBeUndefined();
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', url: '/json', body: '{"q":1}' });
  });

  it('resolves a non-2xx response with its body', async () => {
    const response = await send(get('/error'), undefined);
    expect(response.status).toBe(503);
    expect(response.text).toBe('{"error":"overloaded"}');
  });

  it('gives an empty body as the empty string', async () => {
    expect((await send(get('/empty'), undefined)).text).toBe('');
  });

  it('skips a UTF-8 byte-order mark, as undici text() does', async () => {
    expect((await send(get('/bom'), undefined)).text).toBe('{"bom":1}');
  });

  it('decodes multi-byte characters split across chunks once, at the end', async () => {
    expect((await send(get('/split'), undefined)).text).toBe(SPLIT_TEXT);
  });

  it('rejects with the reason of a signal aborted before the call, sending nothing', async () => {
    const before = server.requests.length;
    const reason = new Error('stopped early');
    await expect(send(get('/json'), AbortSignal.abort(reason))).rejects.toBe(reason);
    await sleep(20);
    expect(server.requests.length).toBe(before);
  });

  it('rejects with the reason of an abort during the body, and removes its listener', async () => {
    const controller = new AbortController();
    const started = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    const pending = send(get('/stall'), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await started;
    const reason = new Error('stopped mid-way');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('removes its abort listener when the call succeeds', async () => {
    const controller = new AbortController();
    await send(get('/json'), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it("rejects with undici's socket error when the body is cut mid-way", async () => {
    await expect(send(get('/cut'), undefined)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('rejects a URL that is not http or https, as undici.request does', async () => {
    await expect(send({ method: 'GET', url: 'ftp://127.0.0.1/x', headers: {} }, undefined)).rejects.toMatchObject({
      code: 'UND_ERR_INVALID_ARG',
    });
  });

  it('sends through an installed dispatcher override when the transport honours it', async () => {
    const { MockAgent } = await import('undici');
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('http://override.test')
      .intercept({ path: '/v1/chat?x=1', method: 'POST' })
      .reply(201, '{"mocked":true}', { headers: { 'x-switchboard-cache': 'test' } });
    const slot = globalThis as { [DISPATCHER_OVERRIDE]?: Dispatcher };
    slot[DISPATCHER_OVERRIDE] = mock;
    try {
      const honouring = wholeBodyOf(createUndiciTransport(() => agent, true)) as WholeBodyTransport;
      const response = await honouring(
        { method: 'POST', url: 'http://override.test/v1/chat?x=1', headers: {}, body: '{}' },
        undefined,
      );
      expect(response.status).toBe(201);
      expect(response.text).toBe('{"mocked":true}');
      expect(response.fromCache).toBe('test');
    } finally {
      delete slot[DISPATCHER_OVERRIDE];
      await mock.close();
    }
  });
});

/** A dispatcher that plays a scripted response through the handler protocol, in the calling turn. */
function scripted(chunks: Uint8Array[], status = 200): Dispatcher {
  return {
    dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      const controller = {} as Dispatcher.DispatchController;
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 100, {}, 'Continue');
      handler.onResponseStart?.(controller, status, { 'content-type': 'text/plain' }, 'OK');
      for (const chunk of chunks) handler.onResponseData?.(controller, chunk as Buffer);
      handler.onResponseEnd?.(controller, {});
      return true;
    },
  } as unknown as Dispatcher;
}

describe('dispatchWholeBody', () => {
  it('joins every byte of a character split over three chunks, and skips 1xx answers', async () => {
    const bytes = Buffer.from('a😀b');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 4), bytes.subarray(4)];
    const response = await dispatchWholeBody(scripted(chunks), {
      origin: 'http://scripted.test',
      path: '/',
      method: 'GET',
      headers: {},
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe('a😀b');
  });

  it('rejects with what a dispatcher throws synchronously', async () => {
    const failure = new Error('no dispatch');
    const throwing = {
      dispatch() {
        throw failure;
      },
    } as unknown as Dispatcher;
    await expect(
      dispatchWholeBody(throwing, { origin: 'http://scripted.test', path: '/', method: 'GET', headers: {} }),
    ).rejects.toBe(failure);
  });
});
