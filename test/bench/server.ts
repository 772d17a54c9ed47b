/**
 * The local OpenAI-compatible server the HTTP benchmarks talk to: `POST /v1/chat/completions`
 * answers a fixed chat completion, or with `"stream": true` a 1,000-chunk SSE stream (realistic
 * `chat.completion.chunk` JSON, a finish chunk, a usage-only chunk, `data: [DONE]`).
 *
 * It runs in a worker thread so its own CPU time stays off the event loop being measured, binds
 * 127.0.0.1 on port 0, writes pre-built buffers (the stream in a few writes) so client cost dominates,
 * and stops by itself: `close()`, or after `lifetimeMs` (default 15 min) whatever happens.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Content-delta chunks in the stream (plus a role chunk, a finish chunk and a usage chunk). */
export const STREAM_CHUNKS = 1000;
/** The assistant text of the non-streamed completion. */
export const CHAT_TEXT = 'Hello! How can I help you today? Ask me anything about the weather, code or cooking.';
/** The text the stream spells out, chunk by chunk. */
export const STREAM_TEXT = Array.from({ length: STREAM_CHUNKS }, (_, index) => streamToken(index)).join('');
export const MODEL = 'gpt-4o-mini';

function streamToken(index: number): string {
  const words = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', '.'];
  return index === 0 ? 'Once' : (words[index % words.length] as string);
}

export interface BenchServer {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  port: number;
  close(): Promise<void>;
}

const CREATED = 1_733_000_000;
const FINGERPRINT = 'fp_0ba0d124f1';

function completionBody(): string {
  return JSON.stringify({
    id: 'chatcmpl-BenchFixedCompletion000000001',
    object: 'chat.completion',
    created: CREATED,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: CHAT_TEXT, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 21,
      total_tokens: 40,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  });
}

function streamBody(): string {
  const base = {
    id: 'chatcmpl-BenchFixedStream00000000000001',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  };
  const event = (chunk: object) => `data: ${JSON.stringify({ ...base, ...chunk })}\n\n`;
  let out = event({
    choices: [
      { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
    ],
    usage: null,
  });
  for (let index = 0; index < STREAM_CHUNKS; index++)
    out += event({
      choices: [{ index: 0, delta: { content: streamToken(index) }, logprobs: null, finish_reason: null }],
      usage: null,
    });
  out += event({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null });
  out += event({
    choices: [],
    usage: {
      prompt_tokens: 19,
      completion_tokens: STREAM_CHUNKS,
      total_tokens: 19 + STREAM_CHUNKS,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  });
  return `${out}data: [DONE]\n\n`;
}

/** Runs the HTTP server in this thread; resolves with its port. */
async function serve(lifetimeMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const completion = Buffer.from(completionBody());
  const stream = Buffer.from(streamBody());
  const WRITES = 4;
  const slice = Math.ceil(stream.length / WRITES);
  const streamParts = Array.from({ length: WRITES }, (_, index) => stream.subarray(index * slice, (index + 1) * slice));
  let requestCounter = 0;

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      requestCounter++;
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      let wantsStream = false;
      try {
        wantsStream = JSON.parse(Buffer.concat(parts).toString('utf8')).stream === true;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"bad json","type":"invalid_request_error"}}');
        return;
      }
      const common = {
        'x-request-id': `req_${requestCounter}`,
        'openai-processing-ms': '1',
        'openai-version': '2020-10-01',
      };
      if (wantsStream) {
        res.writeHead(200, {
          ...common,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
        });
        for (const part of streamParts) res.write(part);
        res.end();
      } else {
        res.writeHead(200, { ...common, 'content-type': 'application/json', 'content-length': completion.length });
        res.end(completion);
      }
    });
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  setTimeout(() => void close(), lifetimeMs).unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return { port: address.port, close };
}

/** Starts the server in a worker thread; it stops on `close()` or after `lifetimeMs`. */
export async function startServer(options: { lifetimeMs?: number } = {}): Promise<BenchServer> {
  const lifetimeMs = options.lifetimeMs ?? 15 * 60_000;
  const worker = new Worker(new URL(import.meta.url), { workerData: { benchServer: true, lifetimeMs } });
  const [message] = (await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => Promise.reject(error)),
  ])) as [{ port: number }];
  worker.unref();
  const timer = setTimeout(() => void worker.terminate(), lifetimeMs + 1000);
  timer.unref();
  return {
    port: message.port,
    baseURL: `http://127.0.0.1:${message.port}/v1`,
    async close() {
      clearTimeout(timer);
      worker.ref();
      worker.postMessage('close');
      await Promise.race([once(worker, 'exit'), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      await worker.terminate();
    },
  };
}

if (!isMainThread && (workerData as { benchServer?: boolean } | null)?.benchServer === true) {
  const { lifetimeMs } = workerData as { lifetimeMs: number };
  const running = await serve(lifetimeMs);
  parentPort?.on('message', (message) => {
    if (message === 'close') void running.close().then(() => process.exit(0));
  });
  parentPort?.postMessage({ port: running.port });
}

// ---- shared by http.ts, stream.ts and cold-start.ts ---------------------------------------------

/** One contender of an interleaved benchmark: `prepare` once (untimed), then `once` per timed iteration. */
export interface Contender {
  name: string;
  once(): Promise<unknown>;
}

/** Every contender's per-iteration times in microseconds, in order of `contenders`. */
export type Samples = Map<string, number[]>;

/**
 * Runs `warmup` untimed iterations of each contender, then `rounds` rounds of `perRound` timed
 * iterations each, rotating which contender goes first every round, so machine drift (other
 * processes on a shared 2-core box) hits every contender alike.
 */
export async function runInterleaved(
  contenders: readonly Contender[],
  options: { warmup: number; rounds: number; perRound: number },
): Promise<Samples> {
  const samples: Samples = new Map(contenders.map((contender) => [contender.name, []]));
  for (const contender of contenders) for (let i = 0; i < options.warmup; i++) await contender.once();
  for (let round = 0; round < options.rounds; round++) {
    for (let offset = 0; offset < contenders.length; offset++) {
      const contender = contenders[(round + offset) % contenders.length] as Contender;
      const list = samples.get(contender.name) as number[];
      for (let i = 0; i < options.perRound; i++) {
        const start = process.hrtime.bigint();
        await contender.once();
        list.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
  }
  return samples;
}

/** The q-quantile (0..1) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] as number;
}

/** Prints an aligned table (first column left-aligned, others right-aligned). */
export function printRows(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  console.log(`\n${title}`);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number),
      )
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Median / p99 table with ratios to the first contender (the baseline). */
export function printLatencyTable(title: string, samples: Samples, unit: 'µs' | 'ms' = 'µs'): void {
  const scale = unit === 'ms' ? 1000 : 1;
  const digits = unit === 'ms' ? 2 : 1;
  const entries = [...samples];
  const [, baseline] = entries[0] as [string, number[]];
  const baseMedian = quantile(baseline, 0.5);
  const baseP99 = quantile(baseline, 0.99);
  const rows = entries.map(([name, values]) => {
    const median = quantile(values, 0.5);
    const p99 = quantile(values, 0.99);
    return [
      name,
      String(values.length),
      (median / scale).toFixed(digits),
      (p99 / scale).toFixed(digits),
      `${(median / baseMedian).toFixed(2)}x`,
      `${(p99 / baseP99).toFixed(2)}x`,
    ];
  });
  printRows(title, ['client', 'runs', `median ${unit}`, `p99 ${unit}`, 'median ratio', 'p99 ratio'], rows);
}

/**
 * The HTTP benches measure the built packages (what users install), not the sources `run.ts` maps
 * workspace imports to, so `run.ts` starts each of them as a plain `node <file>` child process.
 */
export async function runInChild(fileUrl: string, args: readonly string[] = []): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const child = spawn(process.execPath, [fileURLToPath(fileUrl), ...args], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${fileUrl} exited with code ${code}`);
}

/** Fails with a clear message when the packages are not built, warns when a source is newer than the build. */
export async function checkBuilt(packageDirs: readonly string[]): Promise<void> {
  const { existsSync, statSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = new URL('../../', import.meta.url).pathname;
  const newest = (dir: string, ext: string): number => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) latest = Math.max(latest, newest(path, ext));
      else if (entry.name.endsWith(ext) && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
        latest = Math.max(latest, statSync(path).mtimeMs);
    }
    return latest;
  };
  for (const dir of packageDirs) {
    const dist = join(root, dir, 'dist/index.js');
    if (!existsSync(dist)) throw new Error(`${dir} is not built: run \`pnpm -s turbo run build\` first`);
    if (newest(join(root, dir, 'src'), '.ts') > newest(join(root, dir, 'dist'), '.js'))
      console.warn(
        `warning: ${dir}/src has changes newer than its dist; run \`pnpm -s turbo run build\` to measure them`,
      );
  }
}
