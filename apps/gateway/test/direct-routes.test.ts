/**
 * The direct node:http path of the model routes (`src/http/direct-routes.ts`) answers like the
 * fastify routes it stands in front of: the same bodies for bad JSON, oversized and poisoned bodies,
 * the request id and CORS headers, and everything it does not take (other content types, query
 * strings) still reaches fastify. The drain's 503 is checked on the listener itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../src/config.js';
import { corsHeaders } from '../src/http/cors.js';
import { directRoutes } from '../src/http/direct-routes.js';
import { writeJson } from '../src/http/model-exchange.js';
import { createGateway, type Gateway } from '../src/server.js';

let gateway: Gateway;
let url: string;

beforeAll(async () => {
  gateway = await createGateway({
    port: 0,
    config: parseGatewayConfig(
      ['server:', '  bodyLimitBytes: 4096', 'providers:', '  mock:', 'cors:', '  origins: [https://app.example]'].join(
        '\n',
      ),
      'direct.yaml',
    ),
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  await gateway?.close(1000);
});

const CHAT = { model: 'mock/mock-chat', messages: [{ role: 'user', content: 'Hi' }] };

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function errorOf(response: Response): Promise<{ message: string; type: string; param: string | null }> {
  return ((await response.json()) as { error: { message: string; type: string; param: string | null } }).error;
}

describe('the direct path of the model routes', () => {
  it('answers a chat with the gateway headers, the client request id and CORS for an allowed origin', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify(CHAT), {
      'x-request-id': 'client-id-1',
      origin: 'https://app.example',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-id-1');
    expect(response.headers.get('x-switchboard-provider')).toBe('mock');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { id: string; object: string; choices: unknown[] };
    expect(body.object).toBe('chat.completion');
    expect(body.id).toBe('chatcmpl-client-id-1');
    expect(body.choices).toHaveLength(1);
  });

  it('makes a request id when the client sends none or an unusable one, and gives no CORS to other origins', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify(CHAT), {
      'x-request-id': 'bad id with spaces',
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bad JSON, an empty body and a poisoned prototype with a 400 naming the body', async () => {
    for (const text of ['{"model": ', '', '{"model":"mock/mock-chat","__proto__":{"admin":true},"messages":[]}']) {
      const response = await post('/v1/chat/completions', text);
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.param).toBe('body');
      expect(error.type).toBe('invalid_request_error');
    }
  });

  it('refuses a body over the limit with a 413, by its declared length or as it streams in', async () => {
    const big = JSON.stringify({ ...CHAT, messages: [{ role: 'user', content: 'x'.repeat(8000) }] });
    const declared = await post('/v1/chat/completions', big);
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).param).toBe('body');
    // A chunked body has no declared length: the cap applies to the bytes as they come.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i += 1)
          controller.enqueue(new TextEncoder().encode(big.slice(i * 2000, (i + 1) * 2000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('names the OpenAI field of a bad request and answers embeddings', async () => {
    const bad = await post('/v1/chat/completions', JSON.stringify({ model: 'mock/mock-chat', messages: [] }));
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).param).toBe('messages');
    const embeddings = await post('/v1/embeddings', JSON.stringify({ model: 'mock/mock-embed', input: 'hello' }));
    expect(embeddings.status).toBe(200);
    expect(embeddings.headers.get('x-switchboard-model')).toBe('mock-embed');
    const answer = (await embeddings.json()) as { object: string; data: { embedding: number[] }[] };
    expect(answer.object).toBe('list');
    expect(answer.data[0]?.embedding).toHaveLength(8);
  });

  it("answers Anthropic's messages with Anthropic's shapes, its errors included", async () => {
    const message = await post(
      '/v1/messages',
      JSON.stringify({ model: 'mock/mock-chat', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
      { 'x-request-id': 'anthropic-direct' },
    );
    expect(message.status).toBe(200);
    expect(message.headers.get('x-request-id')).toBe('anthropic-direct');
    expect(((await message.json()) as { type: string }).type).toBe('message');
    const broken = await post('/v1/messages', '{"model": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('answers app.inject through fastify with the same route (embedders test the gateway in-process)', async () => {
    const injected = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'x-request-id': 'injected-1' },
      payload: CHAT,
    });
    expect(injected.statusCode).toBe(200);
    expect(injected.headers['x-request-id']).toBe('injected-1');
    expect(injected.headers['x-switchboard-provider']).toBe('mock');
    expect((injected.json() as { id: string }).id).toBe('chatcmpl-injected-1');
    const refused = await gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'x' } });
    expect(refused.statusCode).toBe(400);
    expect((refused.json() as { error: { param: string } }).error.param).toBe('messages');
  });

  it('leaves other content types and query strings to fastify, which answers with the same route', async () => {
    const text = await post('/v1/chat/completions', JSON.stringify(CHAT), { 'content-type': 'text/plain' });
    // fastify reads text/plain as a string: the route then refuses it as not a JSON object.
    expect(text.status).toBe(400);
    expect((await errorOf(text)).param).toBe('body');
    const query = await post('/v1/chat/completions?trace=1', JSON.stringify(CHAT), { 'x-request-id': 'via-fastify' });
    expect(query.status).toBe(200);
    expect(query.headers.get('x-request-id')).toBe('via-fastify');
    expect(query.headers.get('x-switchboard-provider')).toBe('mock');
    expect(((await query.json()) as { id: string }).id).toBe('chatcmpl-via-fastify');
    const charset = await post('/v1/chat/completions', JSON.stringify(CHAT), {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect(charset.status).toBe(200);
  });
});

describe('directRoutes on its own', () => {
  let server: Server;
  let base: string;
  let closing = false;
  let served = 0;

  beforeAll(async () => {
    const direct = directRoutes({
      routes: new Map([
        [
          '/echo',
          {
            serve: async (exchange) => {
              served += 1;
              writeJson(exchange, 200, {}, JSON.stringify({ body: exchange.body, id: exchange.requestId }));
            },
            writeError: (exchange, error) =>
              writeJson(exchange, 400, {}, JSON.stringify({ error: (error as Error).message })),
          },
        ],
      ]),
      bodyLimitBytes: 64,
      cors: corsHeaders([]),
      closing: () => closing,
    });
    server = createServer((request, response) => {
      if (!direct(request, response)) response.writeHead(404).end('not direct');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('takes only exact JSON POSTs to its paths', async () => {
    const echoed = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echoed.json()).toMatchObject({ body: { a: 1 } });
    for (const [path, method, type] of [
      ['/echo', 'PUT', 'application/json'],
      ['/other', 'POST', 'application/json'],
      ['/echo', 'POST', 'text/plain'],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': type }, body: '{}' });
      expect(await response.text()).toBe('not direct');
    }
  });

  it("answers fastify's 503 without calling the route while the server drains", async () => {
    const before = served;
    closing = true;
    try {
      const response = await fetch(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('connection')).toBe('close');
      expect(served).toBe(before);
    } finally {
      closing = false;
    }
  });

  it('gives up on a client that goes away mid-body instead of waiting for the rest', async () => {
    const before = served;
    const { request } = await import('node:http');
    await new Promise<void>((resolve) => {
      const partial = request(`${base}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '50' },
      });
      partial.on('error', () => resolve());
      partial.write('{"a":');
      setTimeout(() => {
        partial.destroy();
        resolve();
      }, 50);
    });
    // The server is still answering (nothing hangs), and the route never ran for the cut body.
    const after = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"b":2}',
    });
    expect(await after.json()).toMatchObject({ body: { b: 2 } });
    expect(served).toBe(before + 1);
  });
});
