/**
 * A throwaway npm registry for the release check: Verdaccio from the repository's own install,
 * listening on 127.0.0.1 at a free port, with its config and storage in a temp folder and no
 * uplinks, so nothing is fetched from or proxied to the internet. Anonymous users may read; one
 * user, created at start, may publish (npm and pnpm refuse to publish without a token).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A publish token for the user created at start. */
  token: string;
  /** `.npmrc` text that points npm and pnpm at this registry only, with the token. */
  npmrc: string;
  /** Verdaccio's log, for error messages. */
  logFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

function config(folder: string): string {
  return [
    `storage: ${JSON.stringify(join(folder, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(folder, 'htpasswd'))}`,
    '    max_users: 1',
    // A throwaway user: the cheapest hash, and JWT tokens so requests do not re-check the password.
    '    algorithm: sha1',
    'security:',
    '  api:',
    '    jwt:',
    '      sign: { expiresIn: 1h }',
    // No uplinks: a package that was not published here is a 404, never a download.
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'max_body_size: 200mb',
    'log: { type: stdout, format: json, level: warn }',
    'publish:',
    '  allow_offline: true',
    '',
  ].join('\n');
}

async function waitUntilUp(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`verdaccio exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const response = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`verdaccio did not answer within ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/** Creates the publishing user through the registry's CouchDB-style login endpoint and returns its token. */
async function createUser(url: string): Promise<string> {
  const name = 'release-check';
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'release-check-password', type: 'user', roles: [] }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || body.token === undefined) {
    throw new Error(`verdaccio refused to create the publishing user: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

/** Starts Verdaccio (the repository's `node_modules/verdaccio`) with its files under `folder`. */
export async function startRegistry(repositoryRoot: string, folder: string): Promise<LocalRegistry> {
  mkdirSync(folder, { recursive: true });
  const configFile = join(folder, 'config.yaml');
  writeFileSync(configFile, config(folder));
  const logFile = join(folder, 'verdaccio.log');
  const log = openSync(logFile, 'a');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [
      join(repositoryRoot, 'node_modules/verdaccio/bin/verdaccio'),
      '--config',
      configFile,
      '--listen',
      `127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, VERDACCIO_HANDLE_KILL_SIGNALS: 'true' } },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilUp(url, child, logFile, 30_000);
    const token = await createUser(url);
    const host = url.replace(/^http:/, '');
    const npmrc = `registry=${url}\n${host}:_authToken=${token}\n`;
    return { url, token, npmrc, logFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
