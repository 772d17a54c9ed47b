/**
 * A local OpenAI-protocol upstream for the Anthropic route's tests: loopback only, port 0, closing
 * itself after a minute even when a test forgets to. Each `/v1/chat/completions` request takes the
 * next scripted answer (the last one repeats): text (JSON or SSE by the request's `stream`), tool
 * calls (arguments streamed in two pieces), an HTTP error, or an endless slow stream whose socket
 * closing the test can wait for (`closed`), to prove a client's disconnect reaches the upstream.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type UpstreamAnswer =
  | { type: 'text'; chunks: string[] }
  | { type: 'tools'; calls: { id: string; name: string; arguments: string }[] }
  | { type: 'status'; status: number; message: string }
  | { type: 'endless'; delayMs: number };

export interface FakeUpstream {
  /** The base URL to give the OpenAI provider (`.../v1`). */
  baseURL: string;
  /** Bodies of the chat requests received, in order. */
  readonly requests: Record<string, unknown>[];
  /** Resolves when the socket of the last `endless` stream closed. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** 11 prompt tokens of which 4 came from the provider's prompt cache. */
const USAGE = {
  prompt_tokens: 11,
  completion_tokens: 7,
  total_tokens: 18,
  prompt_tokens_details: { cached_tokens: 4 },
};
const sse = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function chunk(delta: object, finish: string | null = null, usage?: object): string {
  return sse({
    id: 'chatcmpl-upstream',
    object: 'chat.completion.chunk',
    created: 1_733_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage === undefined ? {} : { usage }),
  });
}

export async function startFakeUpstream(script: UpstreamAnswer[]): Promise<FakeUpstream> {
  const requests: Record<string, unknown>[] = [];
  const sockets = new Set<Socket>();
  let served = 0;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  const answer = async (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    requests.push(body);
    const next = script[Math.min(served, script.length - 1)] as UpstreamAnswer;
    served += 1;
    const streaming = body.stream === true;
    if (next.type === 'status') {
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: next.message, type: 'requests', code: null } }));
      return;
    }
    if (next.type === 'endless') {
      req.socket.once('close', () => markClosed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      while (!res.destroyed) {
        res.write(chunk({ content: 'tick ' }));
        await sleep(next.delayMs);
      }
      return;
    }
    if (!streaming) {
      const message =
        next.type === 'text'
          ? { role: 'assistant', content: next.chunks.join('') }
          : {
              role: 'assistant',
              content: null,
              tool_calls: next.calls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-upstream',
          object: 'chat.completion',
          created: 1_733_000_000,
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ index: 0, message, finish_reason: next.type === 'text' ? 'stop' : 'tool_calls' }],
          usage: USAGE,
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk({ role: 'assistant', content: '' }));
    if (next.type === 'text') {
      for (const piece of next.chunks) res.write(chunk({ content: piece }));
      res.write(chunk({}, 'stop'));
    } else {
      next.calls.forEach((call, index) => {
        const half = Math.floor(call.arguments.length / 2);
        res.write(
          chunk({
            tool_calls: [
              {
                index,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments.slice(0, half) },
              },
            ],
          }),
        );
        res.write(chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] }));
      });
      res.write(chunk({}, 'tool_calls'));
    }
    res.write(
      sse({
        id: 'chatcmpl-upstream',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [],
        usage: USAGE,
      }),
    );
    res.end('data: [DONE]\n\n');
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      raw += part;
    });
    req.on('end', () => {
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      void answer(req, res, body).catch(() => res.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake upstream has no port');
  let stopped = false;
  const close = async () => {
    if (stopped) return;
    stopped = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  setTimeout(() => void close(), 60_000).unref();
  return { baseURL: `http://127.0.0.1:${address.port}/v1`, requests, closed, close };
}
