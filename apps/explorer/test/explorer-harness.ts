/**
 * What the explorer's browser tests run against: a real gateway (`createGateway`, listening on
 * 127.0.0.1, port 0) with the mock provider and the OpenAI provider pointed at a local fake upstream
 * that answers every chat call with a 500, so a failing call can be made on purpose; the explorer's
 * build (built first when missing); and Debian's Chromium driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, type Gateway, type GatewayOptions } from '@switchboard/gateway';
import pw, { type Browser } from 'playwright-core';

/** Where the tests expect Chromium (CI installs Debian's package). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const EXPLORER_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
export const EXPLORER_DIST = fileURLToPath(new URL('../dist', import.meta.url));
/** Screenshots are test artifacts (git-ignored). */
export const SCREENSHOT_DIRECTORY = fileURLToPath(new URL('../../../.test-results/explorer', import.meta.url));

/** Builds the explorer when its dist is missing (`./run test` builds it first through turbo). */
export function ensureExplorerBuilt(): void {
  if (existsSync(`${EXPLORER_DIST}/index.html`)) return;
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(process.execPath, [vite, 'build'], { cwd: EXPLORER_DIRECTORY, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** A fake OpenAI upstream whose chat completions always fail with a 500. */
export async function startFailingUpstream(): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'The fake upstream is down', type: 'server_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A gateway with the mock provider and OpenAI behind the failing upstream, a global daily budget, telemetry on. */
export async function startGateway(
  upstreamBaseURL: string,
  extra: Partial<NonNullable<GatewayOptions['config']>> = {},
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = await createGateway({
    host: '127.0.0.1',
    port: 0,
    env: { EXPLORER_TEST_OPENAI_KEY: 'sk-explorer-test-0123456789abcdef' },
    config: {
      providers: { mock: null, openai: { apiKeyEnv: 'EXPLORER_TEST_OPENAI_KEY', baseURL: upstreamBaseURL } },
      budgets: [{ maxCostUsd: 5, period: 'day' }],
      ...extra,
    } as GatewayOptions['config'],
    switchboard: { retry: false },
  });
  const { url } = await gateway.listen();
  return { gateway, url };
}

/** Chromium, headless (`--no-sandbox`: CI runs as root). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  return pw.chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

/**
 * A plain static file server of the explorer's dist, on its own origin: the page as a static
 * deployment, which reaches the gateway through `?gateway=` (and the gateway's CORS origins).
 */
export async function startStaticServer(): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://static').pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(EXPLORER_DIST, path === '/' ? 'index.html' : path);
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
