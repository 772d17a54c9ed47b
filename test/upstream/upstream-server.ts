/**
 * A local stand-in for models.dev and GitHub's raw host: loopback only, port 0. It serves fixed
 * bodies by path, a path that never answers (for download timeouts) and 404 for the rest, so catalog
 * sync is tested over real HTTP without the network.
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface UpstreamServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the server; `routes` maps a path to its JSON text. `/hang` never answers. */
export async function startUpstreamServer(routes: Record<string, string>): Promise<UpstreamServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    if (path === '/hang') {
      hanging.add(response);
      return;
    }
    const body = routes[path];
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    async close() {
      for (const response of hanging) response.destroy();
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
