/**
 * A loopback server for the image-input tests: a provider (OpenAI chat, Ollama /api/chat, Bedrock
 * Converse) that records every request body, and an image host with a PNG, a redirect to the
 * cloud metadata address, an endless redirect chain, a body that stalls after its first bytes and
 * one that never ends (for the size cap). It counts what it sent, so tests can prove a download
 * stopped at the cap.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real, decodable 1x1 PNG (one opaque red pixel), built here so its checksums are right. */
export const PNG_1X1: Buffer = (() => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const pixels = deflateSync(Buffer.from([0, 255, 0, 0])); // filter byte + one RGB pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
})();

export interface ProviderRequest {
  method: string;
  url: string;
  body: string;
}

export interface ImageInputServer {
  url: string;
  /** Calls that reached a provider endpoint. */
  readonly providerRequests: ProviderRequest[];
  /** Paths of image requests, in order. */
  readonly imageRequests: string[];
  /** Bytes written by the endless image before the client hung up. */
  endlessBytesSent(): number;
  close(): Promise<void>;
}

function providerReply(path: string): string {
  if (path.startsWith('/openai/'))
    return JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'a cat' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  if (path.startsWith('/ollama/'))
    return JSON.stringify({
      model: 'llama3.2-vision',
      created_at: '2026-01-01T00:00:00Z',
      message: { role: 'assistant', content: 'a cat' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 3,
      eval_count: 2,
    });
  return JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text: 'a cat' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
  });
}

export async function startImageInputServer(): Promise<ImageInputServer> {
  const providerRequests: ProviderRequest[] = [];
  const imageRequests: string[] = [];
  const sockets = new Set<Socket>();
  let endlessSent = 0;

  function serveImage(path: string, res: ServerResponse): void {
    if (path === '/img/cat.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG_1X1.length });
      res.end(PNG_1X1);
    } else if (path === '/img/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
      res.end();
    } else if (path.startsWith('/img/loop/')) {
      const n = Number(path.slice('/img/loop/'.length));
      res.writeHead(302, { location: `/img/loop/${n + 1}` });
      res.end();
    } else if (path === '/img/stall') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG_1X1.subarray(0, 8)); // then nothing, forever
    } else if (path === '/img/endless') {
      // No content-length: the cap must be enforced while reading.
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 0);
      PNG_1X1.copy(chunk, 0, 0, 8);
      const pump = () => {
        while (!res.destroyed) {
          endlessSent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('close', () => undefined);
      pump();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (req.method === 'GET' && path.startsWith('/img/')) {
      imageRequests.push(path);
      serveImage(path, res);
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      providerRequests.push({ method: req.method ?? 'GET', url: path, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(providerReply(path));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    providerRequests,
    imageRequests,
    endlessBytesSent: () => endlessSent,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
