/**
 * The two gateway routes the explorer needs, over real HTTP: the page's files served from memory
 * with their content types and cache headers (and a 404 that says how to build when there is no
 * build), and the live view as JSON and as Server-Sent Events, with its sampled history, its
 * checked `interval` parameter, and no upstream key in anything it sends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody, LiveResponse } from '../src/index.js';
import { createExplorerRoutes } from '../src/routes/explorer.js';
import { createLiveRoutes } from '../src/routes/live.js';
import { openAIRoutes } from '../src/routes/openai.js';
import { createGateway, type Gateway, type GatewayOptions } from '../src/server.js';

const UPSTREAM_KEY = 'sk-explorer-live-test-key-7f3a9c2e5b1d';

let gateway: Gateway | undefined;
let upstream: Server | undefined;
let folder: string | undefined;
afterEach(async () => {
  await gateway?.close(200);
  await new Promise<void>((resolve) => (upstream === undefined ? resolve() : upstream.close(() => resolve())));
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  gateway = undefined;
  upstream = undefined;
  folder = undefined;
});

/** A fake build: index.html and two hashed assets. */
function fakeBuild(): string {
  folder = mkdtempSync(join(tmpdir(), 'explorer-dist-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html><title>explorer</title><div id="app"></div>');
  writeFileSync(join(folder, 'assets', 'index-Ab12Cd.js'), 'console.log("page")');
  writeFileSync(join(folder, 'assets', 'index-Ef34Gh.css'), 'body{margin:0}');
  return folder;
}

/** An upstream whose chat completions fail with a 500 that echoes the caller's key. */
async function echoingUpstream(): Promise<string> {
  upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `boom for ${request.headers.authorization}` } }));
    });
  });
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
}

async function start(routes: GatewayOptions['routes'], upstreamURL?: string): Promise<string> {
  gateway = await createGateway({
    host: '127.0.0.1',
    port: 0,
    env: { EXPLORER_ROUTES_KEY: UPSTREAM_KEY },
    config: {
      providers: {
        mock: null,
        ...(upstreamURL === undefined ? {} : { openai: { apiKeyEnv: 'EXPLORER_ROUTES_KEY', baseURL: upstreamURL } }),
      },
    } as GatewayOptions['config'],
    switchboard: { retry: false },
    ...(routes === undefined ? {} : { routes }),
  });
  return (await gateway.listen()).url;
}

async function chat(url: string, model: string): Promise<number> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.text();
  return response.status;
}

describe('the explorer page route', () => {
  it('serves index.html at / and each built file with its type; hashed assets are cached for a year', async () => {
    const url = await start([openAIRoutes, createExplorerRoutes({ directory: fakeBuild() })]);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="app">');
    const script = await fetch(`${url}/assets/index-Ab12Cd.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log("page")');
    const style = await fetch(`${url}/assets/index-Ef34Gh.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('does not answer other paths with the page: unknown files and API paths get the gateway 404', async () => {
    const url = await start([openAIRoutes, createExplorerRoutes({ directory: fakeBuild() })]);
    for (const path of ['/assets/missing.js', '/v1/nothing', '/models']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toContain('application/json');
    }
  });

  it('answers / with a 404 that says how to build the page when there is no build', async () => {
    folder = mkdtempSync(join(tmpdir(), 'explorer-empty-'));
    const url = await start([openAIRoutes, createExplorerRoutes({ directory: folder })]);
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('pnpm --filter @switchboard/explorer build');
  });
});

describe('the live view routes', () => {
  it('GET /api/live: providers, the telemetry of the calls made and a sampled history, no upstream key', async () => {
    const url = await start([openAIRoutes, createLiveRoutes({ sampleMs: 20 })], await echoingUpstream());
    expect(await chat(url, 'mock/mock-chat')).toBe(200);
    expect(await chat(url, 'openai/gpt-4o-mini')).toBeGreaterThanOrEqual(500);
    const read = async () => (await (await fetch(`${url}/api/live`)).json()) as LiveResponse;
    // The sampler runs on its own timer: wait for it to have kept a sample of the two calls.
    await expect
      .poll(async () => (await read()).history.filter((point) => point.requests === 2).length)
      .toBeGreaterThan(1);
    const live = await read();
    expect(live.providers.map((provider) => provider.id)).toEqual(['mock', 'openai']);
    expect(live.telemetry?.totals.requests).toBe(2);
    expect(live.telemetry?.totals.failures).toBe(1);
    expect(live.telemetry?.recentErrors[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    const last = live.history[live.history.length - 1];
    expect(last?.providers.mock?.requests).toBe(1);
    expect(last?.providers.openai?.failures).toBe(1);
    expect(live.sampleMs).toBe(20);
    expect(JSON.stringify(live)).not.toContain(UPSTREAM_KEY);
  });

  it('GET /api/live/stream pushes the live view as Server-Sent Events', async () => {
    const url = await start([openAIRoutes, createLiveRoutes()]);
    expect(await chat(url, 'mock/mock-chat')).toBe(200);
    const controller = new AbortController();
    const response = await fetch(`${url}/api/live/stream?interval=250`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Two events: the first at once, the next on the interval.
    while ((text.match(/\n\n/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('event: live'))
      .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as LiveResponse);
    expect(text.startsWith('retry: 250\n')).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]?.telemetry?.totals.requests).toBe(1);
  });

  it('refuses an interval out of bounds or an unknown parameter, naming it', async () => {
    const url = await start([openAIRoutes, createLiveRoutes()]);
    const tooFast = await fetch(`${url}/api/live/stream?interval=5`);
    expect(tooFast.status).toBe(400);
    expect(((await tooFast.json()) as ApiErrorBody).error).toMatchObject({
      param: 'interval',
      type: 'invalid_request_error',
    });
    const unknown = await fetch(`${url}/api/live/stream?every=1000`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ApiErrorBody).error.param).toBe('every');
  });

  it('closes open streams when the gateway closes, so shutdown does not wait for the drain deadline', async () => {
    const url = await start([openAIRoutes, createLiveRoutes()]);
    const response = await fetch(`${url}/api/live/stream`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const closing = gateway?.close(60_000);
    // The stream ends (done) because the route ends it, not because the 60 s deadline cut it.
    let done = false;
    while (!done) done = (await reader.read()).done;
    await closing;
    gateway = undefined;
    expect(done).toBe(true);
  });
});
