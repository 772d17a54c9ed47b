/**
 * The stream writer's batching (src/http/sse-batch.ts) against a real node:http server and client:
 * events pushed in one turn of the event loop leave in one socket write, `flush` writes at once (the
 * first event, the end), and nothing is written after the response ended.
 */
import { once } from 'node:events';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseBatch } from '../src/http/sse-batch.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Serves one response through `handle`, counting `res.write` calls; resolves with the body and the count. */
async function serve(
  handle: (res: ServerResponse, batch: SseBatch) => Promise<void>,
): Promise<{ body: string; writes: number }> {
  let writes = 0;
  const server = createServer((_req, res) => {
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      writes += 1;
      return write(chunk);
    }) as typeof res.write;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    void handle(res, new SseBatch(res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, resolve).on('error', reject).end();
  });
  // Decoded once at the end: a character's bytes may be split across reads.
  const parts: Buffer[] = [];
  for await (const part of response) parts.push(part as Buffer);
  return { body: Buffer.concat(parts).toString('utf8'), writes };
}

describe('SseBatch', () => {
  it('joins the events pushed in one turn into one write, in order', async () => {
    const { body, writes } = await serve(async (res, batch) => {
      for (let i = 0; i < 100; i += 1) batch.push(`data: ${i}\n\n`);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      res.end();
    });
    expect(body).toBe(Array.from({ length: 100 }, (_, i) => `data: ${i}\n\n`).join(''));
    expect(writes).toBe(1);
  });

  it('writes one batch per turn, and flush writes what is queued at once', async () => {
    const { body, writes } = await serve(async (res, batch) => {
      batch.push('data: first\n\n');
      batch.flush();
      batch.push('data: a\n\n');
      batch.push('data: b\n\n');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      batch.push('data: c\n\n');
      batch.push('data: [DONE]\n\n');
      batch.flush();
      res.end();
    });
    expect(body).toBe('data: first\n\ndata: a\n\ndata: b\n\ndata: c\n\ndata: [DONE]\n\n');
    expect(writes).toBe(3);
  });

  it('flush leaves the socket uncorked inside a run of promise jobs (node:http corks it until the next tick)', async () => {
    const corked: number[] = [];
    const { body } = await serve(async (res, batch) => {
      await Promise.resolve();
      // What node:http does on its own: a write inside promise jobs stays corked...
      res.write('data: plain\n\n');
      corked.push(res.socket?.writableCorked ?? -1);
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.resolve();
      // ...and a flushed batch leaves at once, before the jobs that follow it.
      batch.push('data: first\n\n');
      batch.flush();
      corked.push(res.socket?.writableCorked ?? -1);
      res.end();
    });
    expect(corked).toEqual([1, 0]);
    expect(body).toBe('data: plain\n\ndata: first\n\n');
  });

  it('writes nothing after the response ended', async () => {
    const { body, writes } = await serve(async (res, batch) => {
      batch.push('data: a\n\n');
      batch.flush();
      batch.push('data: late\n\n');
      res.end();
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(body).toBe('data: a\n\n');
    expect(writes).toBe(1);
  });

  it('keeps every character of multi-byte text, across buffer growth and batches of different sizes', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => `data: {"t":"é漢字🙂${i}${'x'.repeat(i % 300)}"}\n\n`);
    // Over the largest starting size in one batch, then a small batch after it, then a lone surrogate pair.
    const { body } = await serve(async (res, batch) => {
      for (const event of events) batch.push(event);
      batch.flush();
      batch.push('data: 🙂\n\n');
      batch.flush();
      for (const event of events.slice(0, 10)) batch.push(event);
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      res.end();
    });
    expect(body).toBe(`${events.join('')}data: 🙂\n\n${events.slice(0, 10).join('')}`);
  });
});
