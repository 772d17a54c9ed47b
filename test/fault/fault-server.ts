/**
 * A misbehaving OpenAI-compatible server for fault tests: loopback only, port 0, and it stops by
 * itself (after `lifetimeMs`, default 60 s) even when a test forgets to close it. Each request to
 * `/v1/chat/completions` (or `/v1/models`, `/v1/embeddings`) takes the next scripted fault; when the
 * script runs out the last entry repeats.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  /**
   * A normal completion (or SSE stream when the request asks for one) answering `text`; `delayMs`
   * waits before the body (between chunks when streaming).
   */
  | { type: 'ok'; text?: string; chunks?: string[]; delayMs?: number }
  /** An HTTP error with an OpenAI error body. */
  | { type: 'status'; status: number; headers?: Record<string, string>; code?: string; message?: string }
  /** Destroys the socket before answering (ECONNRESET on the client). */
  | { type: 'reset' }
  /** Never answers (until the server closes). */
  | { type: 'hang' }
  /** Streams `chunks`, then destroys the socket after `cutAfter` of them. */
  | { type: 'cut'; chunks: string[]; cutAfter: number }
  /** 200 with a body that is not JSON. */
  | { type: 'malformed' };

export interface FaultServer {
  baseURL: string;
  /** Requests received, by path. */
  readonly requests: { path: string; body: unknown }[];
  /** Replaces the script (the request counter keeps going). */
  script(faults: Fault[]): void;
  close(): Promise<void>;
}

const sse = (chunk: object) => `data: ${JSON.stringify(chunk)}\n\n`;

function chunkEvent(content: string | undefined, finish: string | null = null): string {
  return sse({
    id: 'chatcmpl-fault',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
  });
}

function usageEvent(): string {
  return sse({
    id: 'chatcmpl-fault',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  });
}

function completion(text: string): string {
  return JSON.stringify({
    id: 'chatcmpl-fault',
    object: 'chat.completion',
    created: 1_733_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a server playing `faults` in order. */
export async function startFaultServer(faults: Fault[], options: { lifetimeMs?: number } = {}): Promise<FaultServer> {
  let script = faults;
  let served = 0;
  const requests: { path: string; body: unknown }[] = [];
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    requests.push({ path: req.url ?? '', body });
    const fault = script[Math.min(served, script.length - 1)] ?? { type: 'ok' };
    served += 1;
    const wantsStream = (body as { stream?: boolean } | undefined)?.stream === true;
    switch (fault.type) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "chatcmpl-fault", "choices": [');
        return;
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(
          JSON.stringify({
            error: {
              message: fault.message ?? `fault ${fault.status}`,
              type: fault.status >= 500 ? 'server_error' : 'invalid_request_error',
              code: fault.code ?? null,
            },
          }),
        );
        return;
      case 'cut': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const [index, chunk] of fault.chunks.entries()) {
          if (index === fault.cutAfter) break;
          res.write(chunkEvent(chunk));
          await sleep(5);
        }
        req.socket.destroy();
        return;
      }
      case 'ok': {
        if (req.url?.endsWith('/models')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'x' }] }));
          return;
        }
        if (req.url?.endsWith('/embeddings')) {
          // One vector per input; its first number tells which server answered (`text` as a number).
          const input = (body as { input?: string | string[] } | undefined)?.input ?? '';
          const inputs = Array.isArray(input) ? input : [input];
          const tag = Number(fault.text ?? 0) || 0;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              object: 'list',
              data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [tag, 0.5, 0.25] })),
              model: (body as { model?: string } | undefined)?.model ?? 'text-embedding-3-small',
              usage: { prompt_tokens: 3 * inputs.length, total_tokens: 3 * inputs.length },
            }),
          );
          return;
        }
        const chunks = fault.chunks ?? [fault.text ?? 'Hello from the fault server.'];
        if (!wantsStream) {
          if (fault.delayMs !== undefined) await sleep(fault.delayMs);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(completion(chunks.join('')));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of chunks) {
          res.write(chunkEvent(chunk));
          if (fault.delayMs !== undefined) await sleep(fault.delayMs);
        }
        res.write(chunkEvent(undefined, 'stop'));
        res.write(usageEvent());
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      raw += part;
    });
    req.on('end', () => void handle(req, res, raw));
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
    script(next) {
      script = next;
      served = 0;
    },
    close,
  };
}
