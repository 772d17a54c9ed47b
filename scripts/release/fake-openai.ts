/**
 * A small OpenAI-compatible server for the installed-package smoke tests: 127.0.0.1, port 0,
 * `/v1/chat/completions` (JSON or SSE, with usage so cost is computed) and `/v1/models`. It answers
 * `echo: <last user message>` so a test can tell its own answer from any other, and records the
 * requests so the check can prove the packages really called it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  readonly requests: { path: string; authorization: string | undefined; model: string | undefined; stream: boolean }[];
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: unknown }[];
}

function lastUserText(body: ChatBody): string {
  const last = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return last.content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

function answerChat(body: ChatBody, response: ServerResponse): void {
  const text = `echo: ${lastUserText(body)}`;
  const model = body.model ?? 'unknown';
  const base = { id: 'chatcmpl-release-check', created: 1_733_000_000, model };
  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (payload: object) =>
    response.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...payload })}\n\n`);
  event({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (const piece of text.match(/.{1,4}/gs) ?? [])
    event({ choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  event({ choices: [], usage });
  response.end('data: [DONE]\n\n');
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const text = await readBody(request);
      const body = (text === '' ? {} : JSON.parse(text)) as ChatBody;
      requests.push({
        path,
        authorization: request.headers.authorization,
        model: body.model,
        stream: body.stream === true,
      });
      if (request.method === 'POST' && path.endsWith('/chat/completions')) return answerChat(body, response);
      if (request.method === 'GET' && path.endsWith('/models')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            object: 'list',
            data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'openai' }],
          }),
        );
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: `no route ${request.method} ${path}`, type: 'invalid_request_error' } }),
      );
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
