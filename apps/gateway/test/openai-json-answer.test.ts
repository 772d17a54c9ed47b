/**
 * The non-streamed chat answer after the hot-path work of issue 11, against a real upstream on
 * 127.0.0.1: the route serializes the body itself (so its content type must still be JSON and the
 * body OpenAI's chat completion), the cost header is formatted without regular expressions (same
 * digits, no trailing zeros), and a client that goes away mid-call still aborts the upstream request
 * now that core links the disconnect signal with a listener instead of `AbortSignal.any`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/server.js';

let upstream: Server;
let upstreamURL: string;
let gateway: Gateway;
let url: string;
/** Resolved by the upstream when a held request's connection closes before it answered. */
let heldClosed: Promise<void>;
let markHeldClosed: () => void = () => undefined;
let heldArrived: Promise<void>;
let markHeldArrived: () => void = () => undefined;

function completion(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-upstream',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    }),
  );
}

beforeAll(async () => {
  upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(text) as { messages: { content: string }[] };
      if (body.messages[0]?.content !== 'hold') return completion(res);
      // Never answers: the gateway must drop this request when its own client goes away.
      res.on('close', () => {
        if (!res.writableFinished) markHeldClosed();
      });
      markHeldArrived();
    });
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  upstreamURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  gateway = await createGateway({
    port: 0,
    env: { JSON_ANSWER_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    config: parseGatewayConfig(
      ['providers:', '  openai:', '    apiKeyEnv: JSON_ANSWER_OPENAI_KEY', `    baseURL: ${upstreamURL}`].join('\n'),
      'json-answer.yaml',
    ),
    switchboard: { retry: false },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  await gateway?.close(1000);
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
});

function post(content: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-json-1' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }] }),
    ...init,
  });
}

describe('non-streamed chat answer', () => {
  it("is OpenAI's chat completion as JSON, with the gateway's headers", async () => {
    const response = await post('Hi');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-request-id')).toBe('req-json-1');
    expect(response.headers.get('x-switchboard-provider')).toBe('openai');
    expect(response.headers.get('x-switchboard-attempts')).toBe('1');
    expect(Number(response.headers.get('x-switchboard-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const body = (await response.json()) as {
      id: string;
      object: string;
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(body.id).toBe('chatcmpl-req-json-1');
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.content).toBe('Hello there');
    expect(body.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3 });
    const cost = response.headers.get('x-switchboard-cost-usd') as string;
    // toFixed(10) without trailing zeros: digits, a point, and a last digit that is not 0.
    expect(cost).toMatch(/^\d+\.\d*[1-9]$/);
    expect(Number(cost)).toBeGreaterThan(0);
  });

  it('a client that goes away mid-call aborts the upstream request', async () => {
    heldArrived = new Promise((resolve) => {
      markHeldArrived = resolve;
    });
    heldClosed = new Promise((resolve) => {
      markHeldClosed = resolve;
    });
    const client = new AbortController();
    const answer = post('hold', { signal: client.signal }).catch((error: unknown) => error);
    await heldArrived;
    client.abort();
    expect(((await answer) as Error).name).toBe('AbortError');
    // Resolves only if the gateway closed its upstream request (the test times out otherwise).
    await heldClosed;
    // The gateway still answers the next call.
    expect((await post('Hi')).status).toBe(200);
  });
});
