/**
 * Real redis-server instances for the Redis tests, started with `scripts/redis.sh` (which installs
 * Debian's package when it is missing and we are root). There is no mock fallback: when no server can
 * be started, the tests fail with the script's message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/redis.sh');

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  stop(): void;
  /** `SHUTDOWN SAVE`: the server goes away, its data saved to `dir/dump.rdb`. */
  shutdown(): void;
  /** Starts the server again on the same port and dir (reloading `dump.rdb`). */
  restart(): void;
  /** Runs one redis-cli command against it. */
  cli(...args: string[]): string;
}

/** Starts a dedicated redis-server (its own port and dir). Throws loudly when it cannot. */
export function startRedisServer(): RedisServer {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-redis-test-'));
  let url: string;
  try {
    url = execFileSync(SCRIPT, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`Could not start redis-server for the Redis tests (no mock fallback): ${stderr || error}`);
  }
  const port = Number(new URL(url).port);
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  return {
    url,
    port,
    dir,
    cli,
    stop: () => {
      execFileSync(SCRIPT, ['stop', dir], { stdio: 'ignore' });
    },
    shutdown: () => {
      try {
        cli('shutdown', 'save');
      } catch {
        // redis-cli reports the dropped connection; the server is gone either way.
      }
    },
    restart: () => {
      execFileSync('redis-server', [
        ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes'],
        ...['--dir', dir, '--pidfile', join(dir, 'redis.pid'), '--logfile', join(dir, 'redis.log')],
      ]);
      for (let i = 0; i < 200; i++) {
        try {
          if (cli('ping') === 'PONG') return;
        } catch {}
        execFileSync('sleep', ['0.05']);
      }
      throw new Error(`redis-server did not restart on port ${port}`);
    },
  };
}

/**
 * The URL of the shared test server: `SWITCHBOARD_REDIS_URL` when set (CI or `global-setup.ts`),
 * else a server started for this test file and stopped after it.
 */
export function useRedisUrl(): () => string {
  let url = process.env.SWITCHBOARD_REDIS_URL ?? '';
  let server: RedisServer | undefined;
  beforeAll(() => {
    if (!url) {
      server = startRedisServer();
      url = server.url;
    }
  });
  afterAll(() => server?.stop());
  return () => url;
}
