/**
 * One of the separate Node processes of `multi-process.test.ts`. Runs the workspace TypeScript
 * sources through test/bench/source-hooks.ts. Usage: node --import <hooks> worker.ts <url> <ns> <task>
 * Prints one JSON line with what it observed.
 */
import { RateLimiter } from '../../packages/core/src/state/rate-limiter.ts';
import { ResponseCache } from '../../packages/core/src/state/response-cache.ts';
import { StoreCacheBackend } from '../../packages/core/src/state/store-cache-backend.ts';
import { RedisStore } from '../../packages/redis/src/index.ts';

const [url, ns, task] = process.argv.slice(2) as [string, string, string];
const store = new RedisStore({ url, prefix: `mp:${ns}:`, failover: false, commandTimeoutMs: 5000 });
// Both processes start their traffic at the same moment (the parent passes a start time).
const startAt = Number(process.argv[5] ?? 0);
await store.get('warmup');
if (startAt > Date.now()) await new Promise((r) => setTimeout(r, startAt - Date.now()));

let out: Record<string, unknown> = {};
if (task === 'ratelimit') {
  const limiter = new RateLimiter({ store, providers: { mock: { rpm: 50 } }, policy: 'fail' });
  const results = await Promise.allSettled(Array.from({ length: 40 }, () => limiter.acquire({ provider: 'mock' })));
  out = { admitted: results.filter((r) => r.status === 'fulfilled').length };
} else if (task === 'budget') {
  let spent = 0;
  let admitted = 0;
  for (let i = 0; i < 25; i++) {
    const r = await store.reserve('sb:budget:team-a:cost', 0.3, 10, { ttlMs: 86_400_000 });
    if (r.allowed) {
      admitted++;
      spent += 0.3;
    }
  }
  out = { admitted, spent };
} else if (task === 'breaker-fail') {
  // Five failures recorded through optimistic compare-and-set on the breaker's JSON document.
  for (let i = 0; i < 5; i++) {
    for (;;) {
      const raw = await store.get('sb:cb:mock/model');
      const doc = raw ? JSON.parse(raw) : { state: 'closed', failures: 0 };
      doc.failures++;
      if (doc.failures >= 5) doc.state = 'open';
      if (await store.compareAndSet('sb:cb:mock/model', raw, JSON.stringify(doc), { ttlMs: 60_000 })) break;
    }
  }
  out = { doc: JSON.parse((await store.get('sb:cb:mock/model')) ?? 'null') };
} else if (task === 'breaker-read') {
  out = { doc: JSON.parse((await store.get('sb:cb:mock/model')) ?? 'null') };
} else if (task === 'cache-write') {
  const cache = new ResponseCache({ backend: new StoreCacheBackend(store) });
  await cache.set('shared-request', {
    text: 'hello from process A',
    finishReason: 'stop',
    model: 'mock/model',
    usage: { inputTokens: 1, outputTokens: 4 },
  } as never);
  out = { pid: process.pid };
} else if (task === 'cache-read') {
  const cache = new ResponseCache({ backend: new StoreCacheBackend(store) });
  const hit = await cache.get('shared-request');
  out = { pid: process.pid, cached: hit?.cached ?? false, text: (hit as { text?: string } | undefined)?.text };
}
console.log(JSON.stringify({ pid: process.pid, ...out }));
await store.close();
