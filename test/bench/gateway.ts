/**
 * What an HTTP gateway adds, black-box on loopback: the same fake upstream (test/bench/server.ts)
 * called directly, through Switchboard's gateway (the built `apps/gateway/dist/bin.js`, a child
 * process) and through Portkey's gateway (`@portkey-ai/gateway` from npm, a child process run the
 * same way). In one run, side by side:
 *
 * - added p50/p99 latency at concurrency 1 (sequential undici requests timed with hrtime,
 *   interleaved rounds with a rotating order; autocannon's whole-millisecond histogram is too coarse);
 * - requests/s of one process at concurrency 32 and 64 (autocannon, `seconds` per run after a 1 s warm-up);
 * - added time to first token and added cost per chunk on the 1,000-chunk stream;
 * - the floor: the same figures for a bare Node pass-through proxy (gateway-floor.ts, no parsing, no
 *   auth, no telemetry), a lower bound for any Node gateway here: a target the floor misses is out of
 *   reach of a gateway written in Node on this box;
 * - `--workers 2` throughput vs one worker, with each process's CPU per request and the bound a
 *   2-core box allows (gateway-workers.ts, on its own minimal upstream and autocannon process).
 *
 * Targets (issue 11): added p50 <= 0.3 ms, p99 <= 1 ms; one process >= 5x Portkey's requests/s;
 * streaming adds <= 1 ms to the first token and <= 5 µs per chunk; `--workers 2` >= 1.7x.
 *
 * Measures the built gateway (`pnpm -s turbo run build` first). Run it alone with
 * `node test/bench/gateway.ts [seconds per load run] [rounds]`, or `node test/bench/run.ts gateway`.
 * `BENCH_GATEWAY_ONLY=stream` (or `latency`, `throughput`, `workers`) runs only that table.
 * `BENCH_GATEWAY_CPU_PROF=<folder>` writes a V8 CPU profile of Switchboard's gateway process there
 * (and of the floor proxy in `<folder>/floor`, to compare where each spends its time).
 */
import { readFileSync } from 'node:fs';
import { processCpuMs } from './gateway-cpu.ts';
import { type LoadResult, load } from './gateway-load.ts';
import {
  type GatewayProcess,
  portkeyHeaders,
  startFloorProxy,
  startPortkeyGateway,
  startSwitchboardGateway,
  UPSTREAM_API_KEY,
} from './gateway-processes.ts';
import { type StreamTiming, timeStream } from './gateway-stream.ts';
import { workersScaling } from './gateway-workers.ts';
import {
  CHAT_TEXT,
  checkBuilt,
  MODEL,
  printRows,
  quantile,
  runInChild,
  runInterleaved,
  STREAM_CHUNKS,
  STREAM_TEXT,
  startServer,
} from './server.ts';

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

/** One way to reach the upstream's chat completions. */
interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  streamBody: string;
  /** The gateway's process, for its CPU time per request (none for the direct call). */
  pid?: number | undefined;
}

const MESSAGES = [{ role: 'user', content: 'Hi' }];
const TARGET_ADDED_P50_US = 300;
const TARGET_ADDED_P99_US = 1000;
const TARGET_PORTKEY_RATIO = 5;
const TARGET_ADDED_FIRST_TOKEN_US = 1000;
const TARGET_ADDED_PER_CHUNK_US = 5;
/** The bare pass-through proxy's row: what any Node gateway pays at least on this box. */
const FLOOR_NAME = 'floor (bare Node proxy)';

function target(name: string, url: string, headers: Record<string, string>, model: string, pid?: number): Target {
  return {
    name,
    pid,
    url,
    headers,
    body: JSON.stringify({ model, messages: MESSAGES }),
    streamBody: JSON.stringify({ model, messages: MESSAGES, stream: true, stream_options: { include_usage: true } }),
  };
}

function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

/** Whether a target is within what the bare pass-through proxy reaches, with the floor's figure. */
function floorVerdict(met: boolean, figure: string): string {
  return met ? `reachable here (floor ${figure})` : `below the floor (floor ${figure})`;
}

function packageVersion(relative: string): string {
  return (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 10);
  if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1)
    throw new Error('usage: node test/bench/gateway.ts [seconds per load run > 0] [rounds >= 1]');
  await checkBuilt(['packages/core', 'packages/provider-openai', 'apps/gateway']);
  const { request, Agent } = await import('undici');
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 128 });

  const upstream = await startServer();
  const running: GatewayProcess[] = [];
  try {
    const cpuProfileDir = process.env.BENCH_GATEWAY_CPU_PROF;
    const switchboard = await startSwitchboardGateway({
      upstreamBaseURL: upstream.baseURL,
      ...(cpuProfileDir ? { cpuProfileDir } : {}),
    });
    running.push(switchboard);
    const portkey = await startPortkeyGateway();
    running.push(portkey);
    const floorProxy = await startFloorProxy(upstream.baseURL, cpuProfileDir ? `${cpuProfileDir}/floor` : undefined);
    running.push(floorProxy);
    const direct = target(
      'direct (no gateway)',
      `${upstream.baseURL}/chat/completions`,
      { authorization: `Bearer ${UPSTREAM_API_KEY}` },
      MODEL,
    );
    const viaSwitchboard = target(
      'Switchboard gateway',
      `${switchboard.url}/v1/chat/completions`,
      {},
      `openai/${MODEL}`,
      switchboard.pid,
    );
    const viaPortkey = target(
      'Portkey gateway',
      `${portkey.url}/v1/chat/completions`,
      portkeyHeaders(upstream.baseURL),
      MODEL,
      portkey.pid,
    );
    const viaFloor = target(FLOOR_NAME, `${floorProxy.url}/v1/chat/completions`, {}, MODEL, floorProxy.pid);
    // The order matters below: [0] is the baseline, [1] Switchboard, [2] Portkey; the floor is found by name.
    const targets = [direct, viaSwitchboard, viaPortkey, viaFloor];

    console.log(
      `\ngateway: node ${process.version}; @switchboard/gateway ${packageVersion('../../apps/gateway/package.json')}, ` +
        `@portkey-ai/gateway ${packageVersion('../node_modules/@portkey-ai/gateway/package.json')}, ` +
        `autocannon ${packageVersion('../node_modules/autocannon/package.json')}; ${seconds} s per load run`,
    );

    // Each target answers what the upstream sent, streamed and not, before anything is timed.
    const complete = async (t: Target): Promise<string | undefined> => {
      const res = await request(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...t.headers },
        body: t.body,
        dispatcher: agent,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${t.name}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
      return (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
    };
    const streamingTargets: Target[] = [];
    for (const t of targets) {
      const text = await complete(t);
      if (text !== CHAT_TEXT) throw new Error(`${t.name} returned ${JSON.stringify(text)}`);
      let streamed: StreamTiming;
      try {
        streamed = await timeStream(request, agent, t.url, t.headers, t.streamBody);
      } catch (error) {
        // Only Portkey may be left out (its streams fail under some @hono/node-server versions,
        // Portkey-AI/gateway#1389): the direct call and Switchboard's gateway must stream.
        if (t !== viaPortkey) throw error;
        console.log(`${t.name} left out of the streaming table: ${(error as Error).message}`);
        continue;
      }
      if (streamed.text !== STREAM_TEXT || streamed.chunks !== STREAM_CHUNKS)
        throw new Error(`${t.name} streamed ${streamed.chunks} chunks, not the upstream's ${STREAM_CHUNKS}`);
      streamingTargets.push(t);
    }

    // BENCH_GATEWAY_ONLY=stream | latency | throughput | workers runs that table alone (quicker before/after rounds).
    const only = process.env.BENCH_GATEWAY_ONLY;
    if (only === undefined || only === 'latency') await latencyAtConcurrencyOne(targets, complete, rounds);
    if (only === undefined || only === 'throughput') await throughput(targets, seconds);
    if (only === undefined || only === 'stream') await streaming(streamingTargets, request, agent, rounds);
    if (only === undefined || only === 'workers') await workersScaling(seconds, 2);
  } finally {
    for (const process of running.reverse()) await process.stop();
    await upstream.close();
    await agent.close();
  }
}

async function latencyAtConcurrencyOne(
  targets: readonly Target[],
  complete: (t: Target) => Promise<unknown>,
  rounds: number,
): Promise<void> {
  const samples = await runInterleaved(
    targets.map((t) => ({ name: t.name, once: () => complete(t) })),
    { warmup: 200, rounds, perRound: 200 },
  );
  const base = samples.get(targets[0]?.name as string) as number[];
  const baseP50 = quantile(base, 0.5);
  const baseP99 = quantile(base, 0.99);
  const rows = [...samples].map(([name, values]) => {
    const p50 = quantile(values, 0.5);
    const p99 = quantile(values, 0.99);
    return [
      name,
      String(values.length),
      p50.toFixed(1),
      p99.toFixed(1),
      (p50 - baseP50).toFixed(1),
      (p99 - baseP99).toFixed(1),
    ];
  });
  printRows(
    `Concurrency 1: ${rounds} rounds x 200 sequential requests per target (rotating order, 200 warm-up each)`,
    ['target', 'runs', 'p50 µs', 'p99 µs', 'added p50 µs', 'added p99 µs'],
    rows,
  );
  const switchboard = samples.get(targets[1]?.name as string) as number[];
  const addedP50 = quantile(switchboard, 0.5) - baseP50;
  const addedP99 = quantile(switchboard, 0.99) - baseP99;
  console.log(
    `Switchboard added p50 ${addedP50.toFixed(1)} µs (target <= ${TARGET_ADDED_P50_US}: ${verdict(addedP50 <= TARGET_ADDED_P50_US)}), ` +
      `added p99 ${addedP99.toFixed(1)} µs (target <= ${TARGET_ADDED_P99_US}: ${verdict(addedP99 <= TARGET_ADDED_P99_US)})`,
  );
  const floor = samples.get(FLOOR_NAME);
  if (floor === undefined) return;
  const floorP50 = quantile(floor, 0.5) - baseP50;
  const floorP99 = quantile(floor, 0.99) - baseP99;
  console.log(
    `Added p50 <= ${TARGET_ADDED_P50_US} µs: ${floorVerdict(floorP50 <= TARGET_ADDED_P50_US, `${floorP50.toFixed(1)} µs`)}; ` +
      `added p99 <= ${TARGET_ADDED_P99_US} µs: ${floorVerdict(floorP99 <= TARGET_ADDED_P99_US, `${floorP99.toFixed(1)} µs`)}`,
  );
}

async function throughput(targets: readonly Target[], seconds: number): Promise<void> {
  const rows: string[][] = [];
  const perConcurrency = new Map<number, Map<string, LoadResult>>();
  const cpuPerRequest = new Map<string, number[]>();
  for (const [index, connections] of [32, 64].entries()) {
    const results = new Map<string, LoadResult>();
    perConcurrency.set(connections, results);
    // Rotate which target goes first, so drift on a shared box does not always hit the same one.
    for (let offset = 0; offset < targets.length; offset++) {
      const t = targets[(index + offset) % targets.length] as Target;
      const options = { url: t.url, connections, headers: t.headers, body: t.body };
      await load({ ...options, durationSeconds: 1 });
      const cpuBefore = processCpuMs(t.pid);
      const result = await load({ ...options, durationSeconds: seconds });
      const cpuAfter = processCpuMs(t.pid);
      results.set(t.name, result);
      if (cpuBefore !== undefined && cpuAfter !== undefined) {
        const list = cpuPerRequest.get(t.name) ?? [];
        list.push(((cpuAfter - cpuBefore) * 1000) / result.requests);
        cpuPerRequest.set(t.name, list);
      }
    }
    const base = results.get(targets[0]?.name as string) as LoadResult;
    for (const t of targets) {
      const result = results.get(t.name) as LoadResult;
      rows.push([
        t.name,
        String(connections),
        result.requestsPerSecond.toFixed(0),
        String(result.latencyP50Ms),
        String(result.latencyP99Ms),
        `${(result.requestsPerSecond / base.requestsPerSecond).toFixed(2)}x`,
        cpuPerRequest.get(t.name)?.[index]?.toFixed(0) ?? '-',
      ]);
    }
  }
  printRows(
    `Throughput, one process each (autocannon, ${seconds} s per run after a 1 s warm-up)`,
    ['target', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'vs direct', 'gateway CPU µs/request'],
    rows,
  );
  for (const [connections, results] of perConcurrency) {
    const ratio =
      (results.get(targets[1]?.name as string) as LoadResult).requestsPerSecond /
      (results.get(targets[2]?.name as string) as LoadResult).requestsPerSecond;
    console.log(
      `Switchboard / Portkey requests/s at ${connections} connections: ${ratio.toFixed(2)}x (target >= ${TARGET_PORTKEY_RATIO}x: ${verdict(ratio >= TARGET_PORTKEY_RATIO)})`,
    );
    const floor = results.get(FLOOR_NAME);
    if (floor === undefined) continue;
    const floorRatio =
      floor.requestsPerSecond / (results.get(targets[2]?.name as string) as LoadResult).requestsPerSecond;
    console.log(
      `  >= ${TARGET_PORTKEY_RATIO}x Portkey at ${connections} connections: ${floorVerdict(floorRatio >= TARGET_PORTKEY_RATIO, `${floorRatio.toFixed(2)}x`)}`,
    );
  }
  // CPU per request caps what one process serves on a core of its own, whatever else runs on the box.
  const switchboardCpu = cpuPerRequest.get(targets[1]?.name as string);
  const portkeyCpu = cpuPerRequest.get(targets[2]?.name as string);
  if (switchboardCpu !== undefined && portkeyCpu !== undefined) {
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const ratio = mean(portkeyCpu) / mean(switchboardCpu);
    console.log(
      `CPU per request, Portkey / Switchboard: ${ratio.toFixed(2)}x (${mean(portkeyCpu).toFixed(0)} vs ${mean(switchboardCpu).toFixed(0)} µs; ` +
        `one core would serve ~${(1e6 / mean(switchboardCpu)).toFixed(0)} vs ~${(1e6 / mean(portkeyCpu)).toFixed(0)} requests/s)`,
    );
    const floorCpu = cpuPerRequest.get(FLOOR_NAME);
    if (floorCpu === undefined) return;
    const floorRatio = mean(portkeyCpu) / mean(floorCpu);
    console.log(
      `CPU per request, Portkey / floor: ${floorRatio.toFixed(2)}x (${mean(portkeyCpu).toFixed(0)} vs ${mean(floorCpu).toFixed(0)} µs); ` +
        `>= ${TARGET_PORTKEY_RATIO}x Portkey on CPU: ${floorVerdict(floorRatio >= TARGET_PORTKEY_RATIO, `${floorRatio.toFixed(2)}x`)}`,
    );
  }
}

async function streaming(
  targets: readonly Target[],
  request: typeof import('undici').request,
  agent: import('undici').Dispatcher,
  rounds: number,
): Promise<void> {
  const perRound = 20;
  const timings = new Map<string, StreamTiming[]>(targets.map((t) => [t.name, []]));
  const once = (t: Target) => timeStream(request, agent, t.url, t.headers, t.streamBody);
  for (const t of targets) for (let i = 0; i < 20; i++) await once(t);
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < targets.length; offset++) {
      const t = targets[(round + offset) % targets.length] as Target;
      const list = timings.get(t.name) as StreamTiming[];
      for (let i = 0; i < perRound; i++) list.push(await once(t));
    }
  }
  const medians = (name: string) => {
    const list = timings.get(name) as StreamTiming[];
    return {
      firstToken: quantile(
        list.map((timing) => timing.firstTokenUs),
        0.5,
      ),
      total: quantile(
        list.map((timing) => timing.totalUs),
        0.5,
      ),
      runs: list.length,
    };
  };
  const base = medians(targets[0]?.name as string);
  const rows = targets.map((t) => {
    const m = medians(t.name);
    return [
      t.name,
      String(m.runs),
      (m.firstToken / 1000).toFixed(3),
      ((m.firstToken - base.firstToken) / 1000).toFixed(3),
      (m.total / 1000).toFixed(2),
      ((m.total - base.total) / STREAM_CHUNKS).toFixed(2),
    ];
  });
  printRows(
    `Streaming, ${STREAM_CHUNKS} content chunks: ${rounds} rounds x ${perRound} streams per target (rotating order, 20 warm-up each), medians`,
    ['target', 'runs', 'first token ms', 'added first token ms', 'whole stream ms', 'added µs per chunk'],
    rows,
  );
  const switchboard = medians(targets[1]?.name as string);
  const addedFirst = switchboard.firstToken - base.firstToken;
  const perChunk = (switchboard.total - base.total) / STREAM_CHUNKS;
  console.log(
    `Switchboard adds ${(addedFirst / 1000).toFixed(3)} ms to the first token (target <= ${TARGET_ADDED_FIRST_TOKEN_US / 1000}: ${verdict(addedFirst <= TARGET_ADDED_FIRST_TOKEN_US)}), ` +
      `${perChunk.toFixed(2)} µs per chunk (target <= ${TARGET_ADDED_PER_CHUNK_US}: ${verdict(perChunk <= TARGET_ADDED_PER_CHUNK_US)})`,
  );
  const floorTarget = targets.find((t) => t.name === FLOOR_NAME);
  if (floorTarget === undefined) return;
  const floor = medians(floorTarget.name);
  const floorFirst = floor.firstToken - base.firstToken;
  const floorPerChunk = (floor.total - base.total) / STREAM_CHUNKS;
  console.log(
    `First token <= ${TARGET_ADDED_FIRST_TOKEN_US / 1000} ms: ${floorVerdict(floorFirst <= TARGET_ADDED_FIRST_TOKEN_US, `${(floorFirst / 1000).toFixed(3)} ms`)}; ` +
      `per chunk <= ${TARGET_ADDED_PER_CHUNK_US} µs: ${floorVerdict(floorPerChunk <= TARGET_ADDED_PER_CHUNK_US, `${floorPerChunk.toFixed(2)} µs`)}`,
  );
}

if (import.meta.main) await main();
