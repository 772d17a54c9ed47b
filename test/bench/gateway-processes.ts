/**
 * The gateways the gateway benchmark compares, each started as its own `node` child process on
 * 127.0.0.1 and routed to the same fake upstream (test/bench/server.ts): Switchboard's built bin
 * (`apps/gateway/dist/bin.js`, configured by a temporary YAML file, optionally `--workers n` and
 * `--cpu-prof`) and Portkey's `@portkey-ai/gateway` (`build/start-server.js`, a free port, routed per
 * request by its `x-portkey-*` headers), plus the floor (`gateway-floor.ts`, a bare pass-through
 * proxy: the least any Node gateway does). `stop()` sends SIGTERM and, after a grace period, SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The child's process id (with `--workers`, the primary's, which serves no requests). */
  pid: number | undefined;
  /** Stops the process (and its workers); resolves once it exited. */
  stop(): Promise<void>;
}

/** The key the gateways send upstream (the fake upstream accepts any). */
export const UPSTREAM_API_KEY = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyz';

const SWITCHBOARD_BIN = fileURLToPath(new URL('../../apps/gateway/dist/bin.js', import.meta.url));
const PORTKEY_BIN = fileURLToPath(
  new URL('../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url),
);
const FLOOR_PROXY = fileURLToPath(new URL('./gateway-floor.ts', import.meta.url));
const LOOPBACK_PRELOAD = new URL('./gateway-loopback.ts', import.meta.url).href;
/** Longest wait for a gateway to announce it listens. */
const START_TIMEOUT_MS = 30_000;
/** How long SIGTERM may take before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** Switchboard's gateway with only the OpenAI provider, pointed at `upstreamBaseURL`. */
export async function startSwitchboardGateway(options: {
  upstreamBaseURL: string;
  workers?: number;
  /** Write a V8 CPU profile (`--cpu-prof`) of the gateway process into this folder. */
  cpuProfileDir?: string;
  /** `false` writes `telemetry: false` into the config (telemetry is on by default). */
  telemetry?: boolean;
  /** Extra environment, e.g. `NODE_CLUSTER_SCHED_POLICY` (`rr` or `none`) for the cluster's primary. */
  env?: Record<string, string>;
}): Promise<GatewayProcess> {
  const directory = await mkdtemp(join(tmpdir(), 'sb-gateway-bench-'));
  const configFile = join(directory, 'gateway.yaml');
  await writeFile(
    configFile,
    [
      'providers:',
      '  openai:',
      '    apiKeyEnv: BENCH_OPENAI_API_KEY',
      `    baseURL: ${options.upstreamBaseURL}`,
      ...(options.telemetry === false ? ['telemetry: false'] : []),
      '',
    ].join('\n'),
  );
  const profile = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      SWITCHBOARD_BIN,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--config',
      configFile,
      '--workers',
      String(options.workers ?? 1),
    ],
    {
      env: { ...process.env, ...options.env, BENCH_OPENAI_API_KEY: UPSTREAM_API_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const line = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 'switchboard-gateway');
    return {
      url: line[1] as string,
      pid: child.pid,
      stop: () => stopChild(child).finally(() => rm(directory, { recursive: true })),
    };
  } catch (error) {
    await stopChild(child);
    await rm(directory, { recursive: true });
    throw error;
  }
}

/** Portkey's gateway on a free loopback port (`--headless`: no UI routes). */
export async function startPortkeyGateway(): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', LOOPBACK_PRELOAD, PORTKEY_BIN, `--port=${port}`, '--headless'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitForOutput(child, /Ready for connections/, 'portkey gateway');
    return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The bare pass-through proxy of `gateway-floor.ts`, forwarding to `upstreamBaseURL`. */
export async function startFloorProxy(upstreamBaseURL: string, cpuProfileDir?: string): Promise<GatewayProcess> {
  const profile = cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`];
  const child = spawn(process.execPath, [...profile, FLOOR_PROXY, upstreamBaseURL], {
    env: { ...process.env, BENCH_OPENAI_API_KEY: UPSTREAM_API_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const line = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 'floor proxy');
    return { url: line[1] as string, pid: child.pid, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The headers that route a Portkey request to the fake upstream as an OpenAI-compatible host. */
export function portkeyHeaders(upstreamBaseURL: string): Record<string, string> {
  return {
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': upstreamBaseURL,
    authorization: `Bearer ${UPSTREAM_API_KEY}`,
  };
}

/** A port nothing listens on right now (bound to 127.0.0.1 and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Resolves with the first stdout match; rejects when the process exits first or after START_TIMEOUT_MS. */
async function waitForOutput(child: ChildProcess, pattern: RegExp, name: string): Promise<RegExpMatchArray> {
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(`exited with code ${code} before listening`);
    function fail(problem: string): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(new Error(`${name} ${problem}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.length < 10_000) stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining both pipes so a chatty process never blocks on a full pipe.
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve(match);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
