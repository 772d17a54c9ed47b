/**
 * One of the separate Node processes of `seeds-features.test.ts` (issue 16's cross-process parts): a
 * real `createSwitchboard` with the generated OpenAI provider pointed at the test's loopback server
 * and a `createRedisStore` on the test's redis-server, driven over the IPC channel of
 * `child_process.fork` (`{ id, op, args }` answered with `{ id, result }` or `{ id, error }`).
 *
 * Ops: `init`, `chat`, `stream` (with `recovery: true`; its recoveryId and how it ended),
 * `resume` (sb.resumeStream by id), `openBreaker`, `resetBreaker`, `breakerStatus`, `history`,
 * `flushHistory`, `close`.
 */
import { type BreakerEvent, createSwitchboard, type Switchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { createRedisStore, type RedisStore } from '@switchboard/redis';

const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const MODEL = 'openai/gpt-4o-mini';
let sb: Switchboard | undefined;
let store: RedisStore | undefined;
const breakerEvents: { key: string; to: string; reason: string }[] = [];

function board(): Switchboard {
  if (sb === undefined) throw new Error('init first');
  return sb;
}

const describeError = (error: unknown) => {
  const e = error as { name?: string; kind?: string; message?: string };
  return { name: e.name, kind: e.kind, message: e.message };
};

const ops: Record<string, (args: never) => Promise<unknown>> = {
  async init(args: { redisUrl: string; prefix: string; baseURL: string; options?: Record<string, unknown> }) {
    store = createRedisStore({ url: args.redisUrl, prefix: args.prefix, failover: false, commandTimeoutMs: 5000 });
    sb = createSwitchboard({
      providers: [createOpenAI({ apiKey: API_KEY, baseURL: args.baseURL })],
      store,
      retry: false,
      on: {
        breaker: (event: BreakerEvent) => breakerEvents.push({ key: event.key, to: event.to, reason: event.reason }),
      },
      ...args.options,
    } as never);
    await store.get('warmup');
    return { pid: process.pid };
  },
  async chat() {
    try {
      return {
        ok: true,
        text: (await board().chat({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] })).text,
      };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  },
  async stream() {
    const stream = board().stream({ model: MODEL, messages: [{ role: 'user', content: 'Tell me' }], recovery: true });
    let text = '';
    try {
      for await (const event of stream) if (event.type === 'text-delta') text += event.text;
      await stream.response;
      return { recoveryId: stream.recoveryId, text, ok: true };
    } catch (error) {
      return { recoveryId: stream.recoveryId, text, ok: false, error: describeError(error) };
    }
  },
  async resume(args: { recoveryId: string }) {
    try {
      const resumed = await board().resumeStream(args.recoveryId);
      let shown = '';
      for await (const event of resumed) if (event.type === 'text-delta') shown += event.text;
      return { ok: true, kept: resumed.kept, shown, text: (await resumed.response).text };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  },
  openBreaker: (args: { provider: string; forMs?: number }) =>
    board().openBreaker(args.provider, undefined, args.forMs === undefined ? {} : { forMs: args.forMs }),
  resetBreaker: (args: { provider: string }) => board().resetBreaker(args.provider),
  breakerStatus: (args: { provider: string }) => board().breakerStatus(args.provider),
  breakerEvents: async () => breakerEvents,
  history: (args: { hours?: number; bucketMs?: number }) => board().telemetry?.history(args) ?? Promise.resolve(null),
  flushHistory: async () => board().telemetry?.flushHistory(),
  async close() {
    await sb?.close();
    await store?.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', (message: { id: number; op: string; args: never }) => {
  const op = ops[message.op];
  if (op === undefined) {
    process.send?.({ id: message.id, error: `unknown op ${message.op}` });
    return;
  }
  op(message.args).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.send?.({ ready: process.pid });
