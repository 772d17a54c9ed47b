/**
 * A loopback server that answers every request with whatever body a test scripts, status and
 * content type included: the tool for proving what the client does with a 200 that is not an
 * answer. Port 0, and it stops by itself (after `lifetimeMs`, default 60 s) even when a test forgets
 * to close it.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';

/** One scripted answer: raw body text, sent as is. */
export interface ScriptedAnswer {
  status?: number;
  contentType?: string;
  body: string;
}

/** What the server received. */
export interface ReceivedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface AnswerServer {
  baseURL: string;
  readonly requests: ReceivedRequest[];
  /** Replaces how requests are answered. */
  answer(respond: (request: ReceivedRequest, index: number) => ScriptedAnswer): void;
  close(): Promise<void>;
}

/** Starts a server answering each request with `respond(request, index)`. */
export async function startAnswerServer(
  respond: (request: ReceivedRequest, index: number) => ScriptedAnswer,
  options: { lifetimeMs?: number } = {},
): Promise<AnswerServer> {
  let responder = respond;
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      raw += part;
    });
    req.on('end', () => {
      const request: ReceivedRequest = { path: req.url ?? '', body: raw === '' ? {} : JSON.parse(raw) };
      requests.push(request);
      const answer = responder(request, requests.length - 1);
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'application/json' });
      res.end(answer.body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  setTimeout(() => void close(), options.lifetimeMs ?? 60_000).unref();
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    requests,
    answer(next) {
      responder = next;
    },
    close,
  };
}
