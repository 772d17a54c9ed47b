/**
 * A fake OpenAI server for the gateway's tests (node:http on 127.0.0.1, port 0): chat completions
 * as JSON or SSE (a tool call when the request has tools), embeddings (float or base64, as asked),
 * and a model list; with `response_format` the answer is the last user message as is (send JSON). `fail(status)` makes the next chat requests answer that status with OpenAI's
 * error body; a last user message containing "slow" streams ten chunks 100 ms apart (drain tests).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface OpenAIUpstream {
  baseURL: string;
  /** Request bodies received, by path. */
  readonly requests: { path: string; body: Record<string, unknown>; authorization?: string }[];
  /** The next `times` chat requests answer `status`. */
  fail(status: number, times?: number): void;
  /** Resolves when a chat stream's socket closes before it was finished. */
  readonly streamsCut: number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      resolve(text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));
    });
    request.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAIUpstream(): Promise<OpenAIUpstream> {
  const requests: { path: string; body: Record<string, unknown>; authorization?: string }[] = [];
  const failures: number[] = [];
  let streamsCut = 0;

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = request.method === 'POST' ? await readBody(request) : {};
    requests.push({
      path,
      body,
      ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
    });
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (path.endsWith('/models')) {
      json(200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'openai' }] });
      return;
    }
    if (path.endsWith('/embeddings')) {
      const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      const vectors = inputs.map((_, index) => [0.25 + index, -0.5, 1]);
      const base64 = body.encoding_format === 'base64';
      json(200, {
        object: 'list',
        model: body.model,
        data: vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
        })),
        usage: { prompt_tokens: 4, total_tokens: 4 },
      });
      return;
    }
    if (!path.endsWith('/chat/completions')) {
      json(404, { error: { message: 'no such route', type: 'invalid_request_error', param: null, code: null } });
      return;
    }
    const status = failures.shift();
    if (status !== undefined) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (status === 429) headers['retry-after'] = '0';
      response.writeHead(status, headers);
      response.end(
        JSON.stringify({
          error: { message: `upstream says ${status}`, type: 'server_error', param: null, code: null },
        }),
      );
      return;
    }
    const messages = (body.messages ?? []) as { role: string; content: unknown }[];
    const last = String(messages.at(-1)?.content ?? '');
    const tools = Array.isArray(body.tools) && body.tools.length > 0;
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const toolCall = {
      id: 'call_1',
      type: 'function',
      function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
    };
    if (body.stream !== true) {
      json(200, {
        id: 'chatcmpl-up',
        object: 'chat.completion',
        created: 1,
        model: body.model,
        choices: [
          {
            index: 0,
            message: tools
              ? { role: 'assistant', content: null, tool_calls: [toolCall] }
              : { role: 'assistant', content: body.response_format === undefined ? `echo: ${last}` : last },
            finish_reason: tools ? 'tool_calls' : 'stop',
            logprobs: body.logprobs === true ? { content: [] } : null,
          },
        ],
        usage,
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    let finished = false;
    response.on('close', () => {
      if (!finished) streamsCut += 1;
    });
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    if (tools) {
      response.write(
        chunk({
          role: 'assistant',
          tool_calls: [{ index: 0, ...toolCall, function: { name: 'get_weather', arguments: '' } }],
        }),
      );
      response.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }));
      response.write(chunk({}, 'tool_calls'));
    } else {
      const slow = last.includes('slow');
      const words = slow ? Array.from({ length: 10 }, (_, index) => `w${index} `) : ['Hello', ' from', ' upstream'];
      response.write(chunk({ role: 'assistant', content: '' }));
      for (const word of words) {
        if (slow) await sleep(100);
        if (response.destroyed) return;
        response.write(chunk({ content: word }));
      }
      response.write(chunk({}, 'stop'));
    }
    response.write(
      `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage })}\n\n`,
    );
    finished = true;
    response.end('data: [DONE]\n\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    fail(status, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(status);
    },
    get streamsCut() {
      return streamsCut;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
