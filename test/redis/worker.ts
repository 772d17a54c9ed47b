/**
 * One of the separate Node processes of `multi-process.test.ts`: a real `createSwitchboard` with the
 * generated OpenAI provider pointed at the test's loopback server and a `createRedisStore` on the
 * test's redis-server. Runs the workspace TypeScript sources through test/bench/source-hooks.ts and
 * is driven over the IPC channel of `child_process.fork`: each message `{ id, op, args }` is answered
 * with `{ id, result }` or `{ id, error }`.
 *
 * Ops: `init` (switchboard options as JSON), `chat` (one request), `chatMany` (n requests at once),
 * `advance` (moves this process's clock forward), `breakerStatus`, `rateLimitStatus`, `budgetStatus`,
 * `routingStats` (this process's view of its model groups), `storeGet` (one key of the shared store), `close`.
 */
import { createSwitchboard, type Switchboard } from '@switchboard/core';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { createRedisStore, type RedisStore } from '@switchboard/redis';

interface InitArgs {
  redisUrl: string;
  /** Key namespace shared by the processes of one test. */
  prefix: string;
  /** The failing (or only) server. */
  baseURL: string;
  /** Where the `groq` provider (the fallback target) points. */
  backupURL?: string;
  options?: Record<string, unknown>;
}

const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const GROQ_KEY = 'gsk_test0123456789abcdefghijklmnopqrstuvwxyz0123456789ab';
let sb: Switchboard | undefined;
let store: RedisStore | undefined;
/** This process's clock runs `offset` ms ahead of the real one (the test moves both processes alike). */
let offset = 0;

function describeError(error: unknown) {
  const e = error as { name?: string; kind?: string; message?: string; code?: string; breaker?: string };
  return { name: e.name, kind: e.kind, code: e.code, breaker: e.breaker, message: e.message };
}

async function chat(request: Record<string, unknown>) {
  if (sb === undefined) throw new Error('init first');
  try {
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], ...request });
    return {
      ok: true,
      text: res.text,
      cached: res.cached === true,
      model: res.model,
      attempts: res.attempts?.map((a) => ({ provider: a.provider, error: a.error?.kind })),
      tokens: res.usage.totalTokens,
    };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

const ops: Record<string, (args: never) => Promise<unknown>> = {
  async init(args: InitArgs) {
    store = createRedisStore({ url: args.redisUrl, prefix: args.prefix, failover: false, commandTimeoutMs: 5000 });
    sb = createSwitchboard({
      providers: [
        createOpenAI({ apiKey: API_KEY, baseURL: args.baseURL }),
        createGroq({ apiKey: GROQ_KEY, baseURL: args.backupURL ?? args.baseURL }),
      ],
      store,
      retry: false,
      clock: { now: () => Date.now() + offset },
      ...args.options,
    } as never);
    await store.get('warmup');
    return { pid: process.pid };
  },
  chat: (request: Record<string, unknown>) => chat(request),
  async chatMany(args: { n: number; request?: Record<string, unknown>; startAt?: number; sequential?: boolean }) {
    // Both processes start their traffic at the same moment (the test passes a start time).
    const startAt = args.startAt;
    if (startAt !== undefined && startAt > Date.now())
      await new Promise((resolve) => setTimeout(resolve, startAt - Date.now()));
    if (args.sequential) {
      const out = [];
      for (let i = 0; i < args.n; i += 1) out.push(await chat(args.request ?? {}));
      return out;
    }
    return Promise.all(Array.from({ length: args.n }, () => chat(args.request ?? {})));
  },
  async advance(ms: number) {
    offset += ms;
    return offset;
  },
  breakerStatus: async (args: { provider: string; model?: string }) => sb?.breakerStatus(args.provider, args.model),
  rateLimitStatus: async (provider: string) => sb?.rateLimitStatus(provider),
  budgetStatus: async (scope: { tags?: string[] }) => sb?.budgetStatus(scope),
  routingStats: async () => sb?.routingStats(),
  storeGet: async (key: string) => (await store?.get(key)) ?? null,
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
