/**
 * Optional vitest globalSetup (`globalSetup: ['test/redis/global-setup.ts']`): starts one real
 * redis-server for the whole run and exports its URL as `SWITCHBOARD_REDIS_URL` (inherited by the
 * test workers), unless that variable is already set. Without it, each Redis test file starts its
 * own server (`redis-server.ts`). Either way a server that cannot start fails the run: no mock.
 */
import { type RedisServer, startRedisServer } from './redis-server.ts';

let server: RedisServer | undefined;

export function setup(): void {
  if (process.env.SWITCHBOARD_REDIS_URL) return;
  server = startRedisServer();
  process.env.SWITCHBOARD_REDIS_URL = server.url;
}

export function teardown(): void {
  server?.stop();
  server = undefined;
}
