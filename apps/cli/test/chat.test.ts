import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The environment with every provider credential removed, plus the given variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/(_API_KEY|^AWS_|_BASE_URL$|^OLLAMA_HOST$|_TOKEN)/.test(key)),
  );
  return { ...env, ...extra };
}

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('switchboard chat, offline', () => {
  it('with no key and no local server it exits 1 and says how to configure a provider, printing no answer', async () => {
    const result = await cli(['chat', 'What is 2+2?']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: no provider is configured');
    for (const way of ['OPENAI_API_KEY', '@switchboard/provider-openai', '--model provider/model', '--offline'])
      expect(result.stderr).toContain(way);
  });

  it('--offline asks for the mock provider, and says so', async () => {
    const result = await cli(['chat', 'What is 2+2?', '--offline']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('using mock/mock-chat: --offline');
    expect(result.stdout.trim()).toBe('Mock reply to: What is 2+2?');
    expect(result.stderr).toMatch(/mock\/mock-chat: \d+ in, \d+ out, \$0\.00/);
  });

  it('a mock/ model asks for the mock provider too', async () => {
    const result = await cli(['chat', 'hi', '--model', 'mock/mock-chat']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Mock reply to: hi');
  });

  it('--offline with a real model is refused rather than silently mocked', async () => {
    const result = await cli(['chat', 'hi', '--offline', '--model', 'openai/gpt-4o']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--offline answers from the mock provider');
  });

  it('streams and prints usage at the end', async () => {
    const result = await cli(['chat', 'stream this please', '--stream', '--offline']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Mock reply to: stream this please');
    expect(result.stderr).toContain('finish stop');
  });

  it('--json prints the normalized response', async () => {
    const result = await cli(['chat', 'hello', '--json', '--system', 'be brief', '--offline']);
    expect(result.code).toBe(0);
    const response = JSON.parse(result.stdout);
    expect(response).toMatchObject({ provider: 'mock', model: 'mock-chat', finishReason: 'stop', cached: false });
    expect(response.usage.totalTokens).toBe(response.usage.inputTokens + response.usage.outputTokens);
  });

  it('names the env variable to set when a hosted model has no key, before any request', async () => {
    const result = await cli(['chat', 'hi', '--model', 'anthropic/claude-sonnet-4-5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ANTHROPIC_API_KEY');
  });

  it('rejects an unknown provider with the closest one', async () => {
    const result = await cli(['chat', 'hi', '--model', 'antropic/claude-sonnet-4-5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/antropic.*Did you mean "anthropic"/);
  });
});

describe('switchboard with a local Ollama server', () => {
  let server: Server;
  let url: string;
  const chats: unknown[] = [];

  beforeAll(async () => {
    // A loopback server speaking Ollama's native API (/api/tags, NDJSON /api/chat), as a running Ollama would.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.method === 'GET' && req.url === '/api/tags') {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              models: [
                {
                  name: 'llama3.2:latest',
                  model: 'llama3.2:latest',
                  size: 2019393189,
                  details: { family: 'llama', parameter_size: '3.2B' },
                },
              ],
            }),
          );
          return;
        }
        if (req.method === 'POST' && req.url === '/api/chat') {
          chats.push(JSON.parse(body));
          res.setHeader('content-type', 'application/x-ndjson');
          const at = '2026-11-21T00:00:00Z';
          for (const piece of ['Hello', ' from', ' Ollama']) {
            res.write(
              `${JSON.stringify({ model: 'llama3.2', created_at: at, message: { role: 'assistant', content: piece }, done: false })}\n`,
            );
          }
          res.end(
            `${JSON.stringify({ model: 'llama3.2', created_at: at, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 12, eval_count: 3 })}\n`,
          );
          return;
        }
        res.statusCode = 404;
        res.end(JSON.stringify({ error: 'not found' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('models --live lists what the server reports', async () => {
    const result = await cli(['models', '--live', 'ollama', '--json'], cleanEnv({ OLLAMA_HOST: url }));
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).map((m: { id: string }) => m.id)).toEqual(['llama3.2:latest']);
  });

  it('chat picks the running local server when no key is set', async () => {
    const result = await cli(['chat', 'hi there', '--stream'], cleanEnv({ OLLAMA_HOST: url }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('using ollama/llama3.2:latest: a local Ollama server is running');
    expect(result.stdout.trim()).toBe('Hello from Ollama');
    expect(result.stderr).toContain('12 in, 3 out');
    expect(chats.at(-1)).toMatchObject({
      model: 'llama3.2:latest',
      stream: true,
      messages: [{ role: 'user', content: 'hi there' }],
    });
  });
});
