/**
 * What the middleware stack costs per call, in the same process against the same local server
 * (test/bench/server.ts), sequential requests in interleaved rounds: `sb.chat` with no middleware
 * (the bare protocol call); with the default stack (what `createSwitchboard` turns on by itself:
 * cache stage, fallback/routing, circuit breakers, retry); and with every stage (plus the opt-in
 * rate limiter and budgets, limits high enough never to bite). Target: at most 10 % added at the
 * median. Also the latency of a cache hit (`sb.chat` answered by a warm in-process cache).
 *
 * Runs the workspace sources (no build): `node test/bench/run.ts middleware`, or alone with
 * `node test/bench/middleware.ts [rounds] [perRound]`.
 */
import { MODEL, printLatencyTable, quantile, runInChild, runInterleaved, startServer } from './server.ts';

const API_KEY = 'sk-test-0123456789abcdefghijklmnopqrstuvwxyz';
const MESSAGES = [{ role: 'user' as const, content: 'Hi' }];

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

async function main(): Promise<void> {
  await import('./source-hooks.ts');
  const rounds = Number(process.argv[2] ?? 10);
  const perRound = Number(process.argv[3] ?? 250);
  const { createSwitchboard } = await import('@switchboard/core');
  const { createOpenAI } = await import('@switchboard/provider-openai');
  const server = await startServer();
  const provider = createOpenAI({ apiKey: API_KEY, baseURL: server.baseURL });
  const bare = createSwitchboard({ providers: [provider], middleware: () => [] });
  const defaults = createSwitchboard({ providers: [provider] });
  const full = createSwitchboard({
    providers: [provider],
    rateLimit: { providers: { openai: { rpm: 1e9, tpm: 1e12 } } },
    budgets: [{ maxTokens: 1e12, period: 'day' }],
  });
  const model = `openai/${MODEL}`;
  const samples = await runInterleaved(
    [
      { name: 'bare protocol call (no middleware)', once: () => bare.chat({ model, messages: MESSAGES }) },
      {
        name: 'default stack (cache, fallback, breaker, retry)',
        once: () => defaults.chat({ model, messages: MESSAGES }),
      },
      {
        name: 'every stage (+ rate limit, budgets)',
        once: () => full.chat({ model, messages: MESSAGES, budget: 'bench', tags: ['bench'] }),
      },
    ],
    { warmup: 300, rounds, perRound },
  );
  printLatencyTable(`sb.chat per-request latency, ${rounds} interleaved rounds x ${perRound}`, samples);
  const [bareSamples, defaultSamples, fullSamples] = [...samples.values()] as [number[], number[], number[]];
  const added = (values: number[]) => ((quantile(values, 0.5) / quantile(bareSamples, 0.5) - 1) * 100).toFixed(1);
  console.log(
    `added at the median: default stack ${added(defaultSamples)} %, every stage ${added(fullSamples)} % (target <= 10 %)`,
  );

  const cached = createSwitchboard({ providers: [provider] });
  await cached.chat({ model, messages: MESSAGES, cache: true });
  const hits = await runInterleaved(
    [
      {
        name: 'sb.chat cache hit (warm, in-process LRU)',
        once: () => cached.chat({ model, messages: MESSAGES, cache: true }),
      },
    ],
    { warmup: 300, rounds: 1, perRound: 2000 },
  );
  printLatencyTable('cache hit latency', hits);
  await Promise.all([bare.close(), defaults.close(), full.close(), cached.close()]);
  await server.close();
}

if (import.meta.main) await main();
