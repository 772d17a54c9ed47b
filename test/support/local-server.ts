/**
 * A scripted `node:http` server on 127.0.0.1 (random port) that records every request, for the
 * repository-level tests. test/ keeps its own copy rather than importing core's test-support: tests
 * outside a package reach it only through its public exports (issue 15, no deep imports).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it: the body is read whole, as UTF-8 text. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running server: its port, every request it received in order, and a close that drops open sockets. */
export interface LocalServer {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server that records each request, then hands it to `handler` once its body has arrived. */
export async function startServer(
  handler: (request: RecordedRequest, res: ServerResponse) => void | Promise<void>,
): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      void handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Streaming tests leave responses open on purpose: close them so close() does not wait for them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes SSE messages, one `data:` per event (strings as they are, anything else as JSON). */
export function sse(events: unknown[]): string {
  return events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('');
}
