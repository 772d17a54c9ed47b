/**
 * The floor of the gateway benchmark: the least a gateway written in Node can do, run as its own
 * child process (`node test/bench/gateway-floor.ts <upstream base URL>`). A `node:http` server on
 * 127.0.0.1 that forwards each `POST /v1/chat/completions` body, bytes as they come, to the fake
 * upstream through one keep-alive undici Agent (as the gateway's pool), and pipes the status, the
 * content type and the body back chunk by chunk. No auth, routing, parsing, validation or telemetry:
 * every real gateway does strictly more, so what this adds (latency, CPU per request, cost per
 * streamed chunk) is a lower bound for any Node gateway on the same box.
 */
import { createServer } from 'node:http';
import { Agent, stream } from 'undici';

const upstreamBaseURL = process.argv[2];
if (upstreamBaseURL === undefined || !upstreamBaseURL.startsWith('http://'))
  throw new Error('usage: node test/bench/gateway-floor.ts <upstream base URL, http://...>');
const upstreamURL = `${upstreamBaseURL}/chat/completions`;
// The key a gateway holds for its provider; the fake upstream accepts any.
const authorization = `Bearer ${process.env.BENCH_OPENAI_API_KEY ?? 'sk-bench'}`;
const agent = new Agent({ keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404).end();
    return;
  }
  const headers: Record<string, string> = { authorization, 'content-type': 'application/json' };
  const length = req.headers['content-length'];
  if (length !== undefined) headers['content-length'] = length;
  // undici writes each upstream chunk straight into the client's response (no buffering, no copy).
  stream(upstreamURL, { method: 'POST', headers, body: req, dispatcher: agent }, ({ statusCode, headers }) => {
    // The length, when the upstream sent one, lets node write head and body at once (no chunked end).
    const type = headers['content-type'];
    const size = headers['content-length'];
    const out: Record<string, string> = {};
    if (typeof type === 'string') out['content-type'] = type;
    if (typeof size === 'string') out['content-length'] = size;
    res.writeHead(statusCode, out);
    return res;
  }).catch((error: Error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(error.message);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  console.log(`floor listening on http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void agent.close();
});
