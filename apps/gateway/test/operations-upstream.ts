/**
 * A local OpenAI-protocol upstream for the operations API's tests: loopback only, port 0, closing
 * itself after a minute even when a test forgets to. `/v1/models` lists `models` (set per test, so a
 * refresh can find new and missing models); `/v1/chat/completions` answers a completion; while `failing`
 * every request gets a 500 whose message quotes the Authorization header it received, as a careless upstream
 * might: the gateway must not pass that key on in any answer.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';

export interface OperationsUpstream {
  /** The base URL to give the OpenAI provider (`.../v1`). */
  baseURL: string;
  /** Model ids `/v1/models` lists. */
  models: string[];
  /** While true, every request answers 500 quoting the caller's Authorization header. */
  failing: boolean;
  /** Paths requested, in order. */
  readonly paths: string[];
  /** The Authorization headers received (the key the switchboard sent). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

/** Starts the upstream. */
export async function startOperationsUpstream(): Promise<OperationsUpstream> {
  const sockets = new Set<Socket>();
  const state: Omit<OperationsUpstream, 'baseURL' | 'close'> = {
    models: ['gpt-4o-mini'],
    failing: false,
    paths: [],
    authorizations: [],
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const path = request.url ?? '';
      state.paths.push(path);
      state.authorizations.push(request.headers.authorization ?? '');
      if (state.failing) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { message: `upstream broke while serving ${request.headers.authorization}`, type: 'server_error' },
          }),
        );
        return;
      }
      if (path.endsWith('/models')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            object: 'list',
            data: state.models.map((id) => ({ id, object: 'model', owned_by: 'openai' })),
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-operations',
          object: 'chat.completion',
          created: 1_733_000_000,
          model: 'gpt-4o-mini-2024-07-18',
          choices: [{ index: 0, message: { role: 'assistant', content: 'Hello.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
        }),
      );
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
  setTimeout(() => void close(), 60_000).unref();
  return Object.assign(state, { baseURL: `http://127.0.0.1:${address.port}/v1`, close });
}
