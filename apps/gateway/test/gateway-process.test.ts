/**
 * The `switchboard-gateway` bin as users run it: a spawned process on the built output (`./run
 * test` builds first, as for apps/cli). It prints exactly the listening line, answers, drains an
 * in-flight stream on SIGTERM and exits 0, serves with `--workers 2`, and refuses a bad config
 * (file:line) or a non-loopback host without keys.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const KEY_ENV = { GATEWAY_TEST_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop' };

let upstream: OpenAIUpstream;
let directory: string;
let configFile: string;
const children: ChildProcess[] = [];

interface Running {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns the bin; resolves once the listening line is printed (rejects when it exits first). */
function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...KEY_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      stdout += data.toString();
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match?.[1] !== undefined)
        resolve({ child, url: match[1], stdout: () => stdout, stderr: () => stderr, exited });
    });
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    void exited.then((code) => reject(Object.assign(new Error(`exited ${code}: ${stderr}`), { code, stderr })));
  });
}

/** Runs the bin expecting it to fail at start: its exit code and stderr. */
async function failure(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
  expect(stdout).toBe('');
  return { code, stderr };
}

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (./run test does).`);
  upstream = await startOpenAIUpstream();
  directory = await mkdtemp(join(tmpdir(), 'gateway-bin-'));
  configFile = join(directory, 'gateway.yaml');
  await writeFile(
    configFile,
    [
      'providers:',
      '  openai:',
      '    apiKeyEnv: GATEWAY_TEST_OPENAI_KEY',
      `    baseURL: ${upstream.baseURL}`,
      '  mock:',
      'aliases:',
      '  fast: openai/gpt-4o-mini',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await upstream?.close();
});

async function chat(url: string, content: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content }] }),
  });
}

describe('switchboard-gateway process', () => {
  it('prints exactly the listening line, answers, and on SIGTERM drains an in-flight stream then exits 0', async () => {
    const running = await start(['--port', '0', '--config', configFile]);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await chat(running.url, 'hi');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      'echo: hi',
    );

    const response = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'slow please' }] }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = decoder.decode((await reader.read()).value);
    running.child.kill('SIGTERM');
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    expect(received).toContain('w9 ');
    expect(received.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await running.exited).toBe(0);
    expect(running.stdout()).toBe(`listening on ${running.url}\n`);
    expect(running.stderr()).toBe('');
  });

  it('--workers 2 starts, prints one line and serves', async () => {
    const running = await start(['--port', '0', '--workers', '2', '--config', configFile]);
    const answers = await Promise.all([chat(running.url, 'one'), chat(running.url, 'two'), chat(running.url, 'three')]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.stdout()).toBe(`listening on ${running.url}\n`);
  });

  it('a bad config file fails with file:line and exit code 1', async () => {
    const bad = join(directory, 'bad.yaml');
    await writeFile(
      bad,
      ['providers:', '  openai:', '    apiKey: sk-inline-secret', 'store: mongodb://x', ''].join('\n'),
    );
    const result = await failure(['--port', '0', '--config', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:3:`);
    expect(result.stderr).toContain('providers.openai.apiKey');
    expect(result.stderr).toContain(`${bad}:4:`);
    expect(result.stderr).toContain('store');
    expect(result.stderr).not.toContain('sk-inline-secret');
  });

  it('takes the config from SWITCHBOARD_GATEWAY_CONFIG', async () => {
    const bad = join(directory, 'bad-env.yaml');
    await writeFile(bad, 'server:\n  port: "eighty"\n');
    const result = await failure(['--port', '0'], { SWITCHBOARD_GATEWAY_CONFIG: bad });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:2:`);
    expect(result.stderr).toContain('server.port');
  });

  it('refuses a non-loopback host without keys', async () => {
    const result = await failure(['--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0/);
  });
});
