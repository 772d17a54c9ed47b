/**
 * A loopback server speaking just enough OpenAI, Anthropic, Gemini and Bedrock Converse for the
 * leak tests, and behaving like the worst provider there is: every error echoes the credentials it
 * received (auth headers, the URL with its `?key=`) in its body and in a response header. Each
 * request takes the next scripted outcome (`ok` when the script is empty).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * `echo-error`: a 401 whose JSON body, message and `x-echo` header repeat every credential in every
 * encoding of {@link echoForms}; `echo-text`: the same as a plain-text 500 body (kept verbatim as
 * `error.body`); `echo-ok`: a 200 answer whose body carries them in an extra `echo` field (and the
 * header); `echo-stream`: a 200 stream that sends some text, then an error event carrying them.
 */
export type EchoOutcome = 'echo-error' | 'echo-text' | 'echo-ok' | 'echo-stream';
export type Outcome = 'ok' | 401 | 429 | 500 | 'hang' | EchoOutcome;

function isEcho(outcome: Outcome): outcome is EchoOutcome {
  return typeof outcome === 'string' && outcome.startsWith('echo-');
}

/** Every encoding a careless provider or proxy may echo a credential in, by name. */
export function echoForms(credential: string): Record<string, string> {
  const nonAlphanumeric = /[^A-Za-z0-9]/g;
  const unicode = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return {
    raw: credential,
    base64: Buffer.from(credential).toString('base64'),
    base64url: Buffer.from(credential).toString('base64url'),
    basicAuth: Buffer.from(`api:${credential}`).toString('base64'),
    percent: encodeURIComponent(credential),
    form: new URLSearchParams({ k: credential }).toString().slice(2),
    jsonSlash: JSON.stringify(credential).slice(1, -1).replace(/\//g, '\\/'),
    jsonUnicode: credential.replace(nonAlphanumeric, unicode),
    prefix20: credential.slice(0, 20),
    suffix12: credential.slice(-12),
  };
}

/** The bare credentials a request carried: auth header values, the SigV4 access key id, the `key` parameter. */
export function credentialsOf(req: IncomingMessage): string[] {
  const out: string[] = [];
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const sigv4 = /Credential=([^/,\s]+)/.exec(auth);
    out.push(sigv4 === null ? auth.replace(/^(?:Bearer|Basic)\s+/i, '') : (sigv4[1] as string));
  }
  for (const name of ['x-api-key', 'x-goog-api-key', 'x-amz-security-token']) {
    const value = req.headers[name];
    if (typeof value === 'string') out.push(value);
  }
  const key = new URL(req.url ?? '/', 'http://x').searchParams.get('key');
  if (key !== null) out.push(key);
  return out;
}

/** One line holding every credential in every encoding (ASCII only: fit for a header). */
function echoLine(req: IncomingMessage): string {
  return credentialsOf(req)
    .map((credential) =>
      Object.entries(echoForms(credential))
        .map(([name, form]) => `${name}=${form}`)
        .join(' '),
    )
    .join(' | ');
}

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LeakServer {
  url: string;
  readonly received: Received[];
  /** Outcomes for the next requests, in order. */
  script(...outcomes: Outcome[]): void;
  close(): Promise<void>;
}

const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

function okBody(path: string, stream: boolean): { type: string; body: string } {
  if (path.startsWith('/openai/')) {
    if (stream)
      return {
        type: 'text/event-stream',
        body:
          sse({
            id: 'c1',
            object: 'chat.completion.chunk',
            model: 'gpt-4o-mini',
            choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
          }) +
          sse({
            id: 'c1',
            object: 'chat.completion.chunk',
            model: 'gpt-4o-mini',
            choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }],
          }) +
          sse({
            id: 'c1',
            object: 'chat.completion.chunk',
            model: 'gpt-4o-mini',
            choices: [],
            usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
          }) +
          'data: [DONE]\n\n',
      };
    return {
      type: 'application/json',
      body: JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    };
  }
  if (path.startsWith('/anthropic/'))
    return {
      type: 'application/json',
      body: JSON.stringify({
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Hello' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 3, output_tokens: 2 },
      }),
    };
  if (path.startsWith('/gemini/')) {
    const chunk = (text: string, done: boolean) => ({
      candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(done ? { finishReason: 'STOP' } : {}) }],
      ...(done ? { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } } : {}),
    });
    if (stream) return { type: 'text/event-stream', body: sse(chunk('Hel', false)) + sse(chunk('lo', true)) };
    return { type: 'application/json', body: JSON.stringify(chunk('Hello', true)) };
  }
  return {
    type: 'application/json',
    body: JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: 'Hello' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
    }),
  };
}

/** An error body that repeats every credential the request carried. */
function echoError(req: IncomingMessage, status: number): { body: string; echo: string } {
  const credentials = [
    req.headers.authorization,
    req.headers['x-api-key'],
    req.headers['x-goog-api-key'],
    req.headers['x-amz-security-token'],
    req.url,
  ]
    .filter((value) => value !== undefined)
    .join(' | ');
  const message = `Request rejected (${status}); you sent: ${credentials}`;
  return {
    echo: encodeURIComponent(credentials).slice(0, 4000),
    body: JSON.stringify({
      error: { message, type: 'invalid_request_error', code: status === 401 ? 'invalid_api_key' : null },
      // Anthropic, Gemini and Bedrock shapes, so each adapter finds a message
      type: 'error',
      message,
      status: 'UNAVAILABLE',
    }),
  };
}

/** The answers of the `echo-*` outcomes. */
function echoResponse(req: IncomingMessage, res: ServerResponse, path: string, outcome: EchoOutcome): void {
  const line = echoLine(req);
  const headers = { 'x-echo': line, 'x-request-id': 'req_echo' };
  const message = `Request rejected; you sent: ${line}`;
  if (outcome === 'echo-error') {
    res.writeHead(401, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        error: { message, type: 'invalid_request_error', code: 'invalid_api_key', echo: line.split(' ') },
        type: 'error',
        message,
        status: 'UNAUTHENTICATED',
      }),
    );
    return;
  }
  if (outcome === 'echo-text') {
    res.writeHead(500, { 'content-type': 'text/plain', ...headers });
    res.end(message);
    return;
  }
  if (outcome === 'echo-ok') {
    const { type, body } = okBody(path, false);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    res.writeHead(200, { 'content-type': type, ...headers });
    res.end(JSON.stringify({ ...parsed, echo: line }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  const first = okBody(path, true).body.split('\n\n')[0] as string;
  const error = path.startsWith('/anthropic/')
    ? `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message } })}\n\n`
    : sse({ error: { message, type: 'server_error', code: 500, status: 'INTERNAL' } });
  res.end(`${first}\n\n${error}`);
}

export async function startLeakServer(): Promise<LeakServer> {
  const received: Received[] = [];
  let plan: Outcome[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? 'GET', url: req.url ?? '', headers: { ...req.headers }, body });
      const outcome = plan.shift() ?? 'ok';
      if (outcome === 'hang') return;
      const path = req.url ?? '/';
      if (isEcho(outcome)) {
        echoResponse(req, res, path, outcome);
        return;
      }
      if (outcome === 'ok') {
        const stream = path.includes('alt=sse') || /"stream"\s*:\s*true/.test(body);
        const { type, body: payload } = okBody(path, stream);
        res.writeHead(200, { 'content-type': type, 'x-request-id': 'req_leaktest' });
        res.end(payload);
        return;
      }
      const { body: payload, echo } = echoError(req, outcome);
      res.writeHead(outcome, {
        'content-type': 'application/json',
        'x-echo': echo,
        ...(outcome === 429 ? { 'retry-after': '0' } : {}),
      });
      res.end(payload);
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
    received,
    script(...outcomes) {
      plan = outcomes;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
