/**
 * `@switchboard/redis`: core's `Store` on a real Redis server, so many processes share one view of
 * rate limits, circuit-breaker state, the response cache and budgets.
 *
 *     import { createSwitchboard } from '@switchboard/core';
 *     import { createRedisStore } from '@switchboard/redis';
 *     const store = createRedisStore({ url: process.env.REDIS_URL, prefix: 'myapp:' });
 *     const sb = createSwitchboard({ store });
 */
export { createRedisStore, RedisStore, type RedisStoreOptions } from './redis-store.js';
