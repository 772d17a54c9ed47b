/**
 * responseHeader: the undici transport's responses answer one header from undici's raw record (no
 * `Headers` object per streamed response), the same value `headers.get` gives; other transports'
 * responses answer through `headers.get`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startServer } from './test-support/local-server.js';
import { createFetchTransport, createUndiciTransport, responseHeader, type Transport } from './transport.js';

let server: LocalServer;

beforeAll(async () => {
  server = await startServer((_request, res) => {
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('X-Repeated', ['one', 'two']);
    res.end('data: [DONE]\n\n');
  });
});

afterAll(async () => {
  await server.close();
});

async function headersOf(transport: Transport): Promise<Record<string, string | null>> {
  const response = await transport({
    url: `http://127.0.0.1:${server.port}/stream`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const read = {
    contentType: responseHeader(response, 'content-type'),
    repeated: responseHeader(response, 'x-repeated'),
    absent: responseHeader(response, 'x-absent'),
    // What the Headers object says, read after responseHeader (which must not need it).
    viaHeaders: response.headers.get('x-repeated'),
  };
  await response.text();
  return read;
}

describe('responseHeader', () => {
  it('reads the undici response raw headers as Headers.get would, repeated values joined', async () => {
    const { Agent } = await import('undici');
    const agent = new Agent();
    try {
      expect(await headersOf(createUndiciTransport(agent))).toEqual({
        contentType: 'text/event-stream; charset=utf-8',
        repeated: 'one, two',
        absent: null,
        viaHeaders: 'one, two',
      });
    } finally {
      await agent.close();
    }
  });

  it('answers through headers.get for a fetch response', async () => {
    expect(await headersOf(createFetchTransport())).toEqual({
      contentType: 'text/event-stream; charset=utf-8',
      repeated: 'one, two',
      absent: null,
      viaHeaders: 'one, two',
    });
  });
});
