/**
 * `--workers 2` against one worker (issue 11: >= 1.7x requests/s), and what a 2-core box can show
 * of it. On two cores the load generator, the fake upstream and the kernel's loopback work share
 * the cores with the gateway workers, so the requests/s ratio alone says little. Every process
 * here is its own, and its CPU per request is read from `/proc/<pid>/stat`:
 *
 * - G: the gateway workers (sum over the cluster's workers; the primary separately, it should be ~0);
 * - O: everything else a request costs: autocannon (gateway-workers-load.ts), the fake upstream
 *   (gateway-workers-upstream.ts, a canned `node:net` answer, the cheapest there is), the primary,
 *   and the machine's busy time no process is charged for (kernel softirq; and other sessions on a shared box).
 *
 * One worker saturating one core serves 1/G requests/s; two workers on 2 cores serve at most
 * 2/(G+O). So the ratio this box allows is 2G/(G+O), and 1.7x needs O <= 0.18 G. That G does not
 * grow with 2 workers (no shared state serializing them) is what scaling on a bigger box rests on:
 * with free cores for the workers, 2 workers give 2 x G1/G2 x one worker.
 *
 * Configurations, each alternated over rounds: `--workers 1`; `--workers 2` with the cluster's
 * round-robin scheduling (`NODE_CLUSTER_SCHED_POLICY=rr`, the default off Windows) and with
 * `none` (the kernel spreads accepts); with `taskset`, one worker on core 0 with the load generator
 * and upstream on core 1 (a clean 1/G reading), and two workers with one core each.
 *
 * `node test/bench/gateway-workers.ts [seconds per run] [rounds]` (after the build); also the
 * `--workers` part of gateway.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { childPids, machineBusyMs, processCpuMs } from './gateway-cpu.ts';
import { type GatewayProcess, startSwitchboardGateway } from './gateway-processes.ts';
import { type LoadProcess, startLoadProcess } from './gateway-workers-load.ts';
import { CHAT_TEXT, checkBuilt, MODEL, printRows, quantile } from './server.ts';

const CONNECTIONS = 64;
const TARGET_WORKERS_SCALING = 1.7;
/** The equal-load runs offer each worker this share of what one saturated worker served. */
const EQUAL_LOAD_SHARE = 0.35;
const BODY = JSON.stringify({ model: `openai/${MODEL}`, messages: [{ role: 'user', content: 'Hi' }] });

/** One way to run the gateway for a load run. */
interface Configuration {
  name: string;
  workers: number;
  schedulingPolicy?: 'rr' | 'none';
  /** taskset core lists: the gateway's workers (one list per worker, reused in turn) and the load side. */
  pin?: { workers: string[]; load: string };
}

/** CPU microseconds per request of each part, for one load run. */
interface Reading {
  requestsPerSecond: number;
  gateway: number;
  primary: number;
  loadGenerator: number;
  upstream: number;
  /** Machine busy time not charged to the processes above (kernel, other work on the box). */
  unattributed: number;
  /** The least busy worker's CPU over the busiest one's (1 = evenly spread). */
  workerBalance: number;
}

/** The upstream child: a canned answer over `node:net`. */
async function startUpstream(): Promise<{ baseURL: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [new URL('./gateway-workers-upstream.ts', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fake upstream exited (${code}) before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
  });
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sets the cores every thread of `pid` may run on. */
function pin(pid: number, cores: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', cores, String(pid)], { stdio: 'ignore' });
}

/** One warm-up and one measured autocannon run against `gateway`, with every part's CPU per request. */
async function measure(
  configuration: Configuration,
  gateway: GatewayProcess,
  loadProcess: LoadProcess,
  upstreamPid: number,
  run: { seconds: number; connections: number; overallRate?: number },
): Promise<Reading> {
  const workers = configuration.workers > 1 ? childPids(gateway.pid) : [gateway.pid as number];
  if (workers.length !== configuration.workers)
    throw new Error(`${configuration.name}: found ${workers.length} worker processes`);
  const allCores = `0-${cpus().length - 1}`;
  if (configuration.pin !== undefined) {
    const { workers: workerCores, load: loadCores } = configuration.pin;
    for (const [index, pid] of workers.entries()) pin(pid, workerCores[index % workerCores.length] as string);
    pin(loadProcess.pid, loadCores);
    pin(upstreamPid, loadCores);
  }
  try {
    const options = {
      url: `${gateway.url}/v1/chat/completions`,
      connections: run.connections,
      headers: {},
      body: BODY,
      ...(run.overallRate === undefined ? {} : { overallRate: run.overallRate }),
    };
    await loadProcess.run({ ...options, durationSeconds: 1 });
    const cpu = () => ({
      workers: workers.map((pid) => processCpuMs(pid) ?? Number.NaN),
      primary: configuration.workers > 1 ? (processCpuMs(gateway.pid) ?? Number.NaN) : 0,
      load: processCpuMs(loadProcess.pid) ?? Number.NaN,
      upstream: processCpuMs(upstreamPid) ?? Number.NaN,
      machine: machineBusyMs() ?? Number.NaN,
      self: processCpuMs(process.pid) ?? Number.NaN,
    });
    const before = cpu();
    const result = await loadProcess.run({ ...options, durationSeconds: run.seconds });
    const after = cpu();
    const perRequest = (ms: number) => (ms * 1000) / result.requests;
    const workerMs = after.workers.map((value, index) => value - (before.workers[index] as number));
    const gatewayMs = workerMs.reduce((sum, value) => sum + value, 0);
    const primaryMs = after.primary - before.primary;
    const loadMs = after.load - before.load;
    const upstreamMs = after.upstream - before.upstream;
    const selfMs = after.self - before.self;
    const machineMs = after.machine - before.machine;
    return {
      requestsPerSecond: result.requestsPerSecond,
      gateway: perRequest(gatewayMs),
      primary: perRequest(primaryMs),
      loadGenerator: perRequest(loadMs),
      upstream: perRequest(upstreamMs),
      unattributed: perRequest(Math.max(0, machineMs - gatewayMs - primaryMs - loadMs - upstreamMs - selfMs)),
      workerBalance: Math.min(...workerMs) / Math.max(...workerMs),
    };
  } finally {
    if (configuration.pin !== undefined) {
      for (const pid of [...workers, loadProcess.pid, upstreamPid]) pin(pid, allCores);
    }
  }
}

function median(readings: readonly Reading[], field: keyof Reading): number {
  return quantile(
    readings.map((reading) => reading[field]),
    0.5,
  );
}

/**
 * Runs the configurations in alternating rounds and prints the table, the requests/s ratio and the
 * bound this machine allows. Starts (and stops) its own upstream, load generator and gateways.
 */
export async function workersScaling(seconds: number, rounds: number): Promise<void> {
  const configurations: Configuration[] = [
    { name: '--workers 1', workers: 1 },
    { name: '--workers 2 (rr)', workers: 2, schedulingPolicy: 'rr' },
    { name: '--workers 2 (none)', workers: 2, schedulingPolicy: 'none' },
  ];
  if (hasTaskset()) {
    configurations.push(
      { name: '--workers 1, core 0; load+upstream core 1', workers: 1, pin: { workers: ['0'], load: '1' } },
      {
        name: '--workers 2 (rr), a core each',
        workers: 2,
        schedulingPolicy: 'rr',
        pin: { workers: ['0', '1'], load: '0-1' },
      },
    );
  }
  const upstream = await startUpstream();
  const loadProcess = await startLoadProcess();
  const gateways = new Map<Configuration, GatewayProcess>();
  try {
    for (const configuration of configurations) {
      gateways.set(
        configuration,
        await startSwitchboardGateway({
          upstreamBaseURL: upstream.baseURL,
          workers: configuration.workers,
          ...(configuration.schedulingPolicy === undefined
            ? {}
            : { env: { NODE_CLUSTER_SCHED_POLICY: configuration.schedulingPolicy } }),
        }),
      );
    }
    // Each gateway answers the upstream's completion before anything is timed.
    for (const gateway of gateways.values()) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`gateway: HTTP ${response.status}: ${text.slice(0, 300)}`);
      const content = (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
      if (content !== CHAT_TEXT) throw new Error(`gateway returned ${JSON.stringify(content)}`);
    }
    const readings = new Map<Configuration, Reading[]>(configurations.map((configuration) => [configuration, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order, so drift on a shared box does not always hit the same configuration.
      for (let offset = 0; offset < configurations.length; offset++) {
        const configuration = configurations[(round + offset) % configurations.length] as Configuration;
        const reading = await measure(
          configuration,
          gateways.get(configuration) as GatewayProcess,
          loadProcess,
          upstream.pid,
          { seconds, connections: CONNECTIONS },
        );
        readings.get(configuration)?.push(reading);
      }
    }
    report(configurations, readings, seconds, rounds);
    await equalLoadPerWorker(
      configurations,
      gateways,
      loadProcess,
      upstream.pid,
      median(readings.get(configurations[0] as Configuration) as Reading[], 'requestsPerSecond'),
      seconds,
      rounds,
    );
  } finally {
    for (const gateway of gateways.values()) await gateway.stop();
    await loadProcess.stop();
    await upstream.stop();
  }
}

/**
 * The gateway's CPU per request with the same load on each worker, below saturation: one worker
 * at `rate` requests/s over 32 connections against two workers at twice that over 64 (so 32 and
 * `rate` each). Two workers that serialize on anything shared would spend more per request; equal
 * figures mean each worker's cost does not depend on the other, which is what scaling on a machine
 * with a free core per worker rests on. (Saturated runs are not comparable: a saturated event loop
 * serves several requests per wake-up, so its cost per request falls as its load rises.)
 */
async function equalLoadPerWorker(
  configurations: readonly Configuration[],
  gateways: Map<Configuration, GatewayProcess>,
  loadProcess: LoadProcess,
  upstreamPid: number,
  saturatedOneWorker: number,
  seconds: number,
  rounds: number,
): Promise<void> {
  const rate = Math.max(100, Math.round((saturatedOneWorker * EQUAL_LOAD_SHARE) / 100) * 100);
  const runs = [
    { configuration: configurations[0] as Configuration, connections: CONNECTIONS / 2, overallRate: rate },
    { configuration: configurations[1] as Configuration, connections: CONNECTIONS, overallRate: 2 * rate },
  ];
  const readings = runs.map((): Reading[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < runs.length; offset++) {
      const index = (round + offset) % runs.length;
      const { configuration, connections, overallRate } = runs[index] as (typeof runs)[number];
      const gateway = gateways.get(configuration) as GatewayProcess;
      readings[index]?.push(
        await measure(configuration, gateway, loadProcess, upstreamPid, { seconds, connections, overallRate }),
      );
    }
  }
  printRows(
    `Same load per worker, below saturation (${rate} requests/s and ${CONNECTIONS / 2} connections per worker; ${rounds} rounds x ${seconds} s; µs per request, medians)`,
    ['configuration', 'requests/s (runs)', 'G gateway workers', 'worker balance'],
    runs.map(({ configuration, overallRate }, index) => {
      const list = readings[index] as Reading[];
      return [
        `${configuration.name} at ${overallRate}/s`,
        list.map((reading) => reading.requestsPerSecond.toFixed(0)).join(', '),
        median(list, 'gateway').toFixed(0),
        median(list, 'workerBalance').toFixed(2),
      ];
    }),
  );
  const one = median(readings[0] as Reading[], 'gateway');
  const two = median(readings[1] as Reading[], 'gateway');
  console.log(
    `gateway CPU per request at the same load per worker, 2 workers / 1 worker: ${(two / one).toFixed(2)}x ` +
      `(with a free core per worker, 2 workers would serve ~${((2 * one) / two).toFixed(2)}x one worker)`,
  );
}

function report(
  configurations: readonly Configuration[],
  readings: Map<Configuration, Reading[]>,
  seconds: number,
  rounds: number,
): void {
  const rows = configurations.map((configuration) => {
    const list = readings.get(configuration) as Reading[];
    const other =
      median(list, 'primary') + median(list, 'loadGenerator') + median(list, 'upstream') + median(list, 'unattributed');
    return [
      configuration.name,
      list.map((reading) => reading.requestsPerSecond.toFixed(0)).join(', '),
      median(list, 'gateway').toFixed(0),
      median(list, 'primary').toFixed(1),
      median(list, 'loadGenerator').toFixed(0),
      median(list, 'upstream').toFixed(0),
      median(list, 'unattributed').toFixed(0),
      other.toFixed(0),
      median(list, 'workerBalance').toFixed(2),
    ];
  });
  printRows(
    `Gateway --workers (autocannon in its own process, ${CONNECTIONS} connections, ${rounds} rounds x ${seconds} s, rotating; CPU in µs per request, medians)`,
    [
      'configuration',
      'requests/s (runs)',
      'G gateway workers',
      'primary',
      'autocannon',
      'upstream',
      'unattributed',
      'O = all but G',
      'worker balance',
    ],
    rows,
  );
  const one = readings.get(configurations[0] as Configuration) as Reading[];
  const two = readings.get(configurations[1] as Configuration) as Reading[];
  const rps1 = median(one, 'requestsPerSecond');
  const rps2 = median(two, 'requestsPerSecond');
  const gateway1 = median(one, 'gateway');
  const gateway2 = median(two, 'gateway');
  const other2 =
    median(two, 'primary') + median(two, 'loadGenerator') + median(two, 'upstream') + median(two, 'unattributed');
  const bound = (2 * gateway2) / (gateway2 + other2);
  console.log(
    `--workers 2 (rr) / --workers 1 requests/s: ${(rps2 / rps1).toFixed(2)}x (target >= ${TARGET_WORKERS_SCALING}x: ` +
      `${rps2 / rps1 >= TARGET_WORKERS_SCALING ? 'met' : 'MISSED'})\n` +
      `bound on 2 cores, 2G/(G+O) with G = ${gateway2.toFixed(0)} µs, O = ${other2.toFixed(0)} µs: ${bound.toFixed(2)}x ` +
      `(1.7x needs O <= ${(0.176 * gateway2).toFixed(0)} µs); O without the unattributed part: ` +
      `${(other2 - median(two, 'unattributed')).toFixed(0)} µs -> ${((2 * gateway2) / (gateway2 + other2 - median(two, 'unattributed'))).toFixed(2)}x\n` +
      `gateway CPU per request when saturated, 2 workers / 1 worker: ${(gateway2 / gateway1).toFixed(2)}x ` +
      '(two workers sharing 2 cores with the load are each less busy, so batch less: see the same-load table)',
  );
}

if (import.meta.main) {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 3);
  if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1)
    throw new Error('usage: node test/bench/gateway-workers.ts [seconds per run > 0] [rounds >= 1]');
  await checkBuilt(['packages/core', 'packages/provider-openai', 'apps/gateway']);
  const load = () =>
    loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
  console.log(`node ${process.version}; ${cpus().length} cores; load average before: ${load()}`);
  await workersScaling(seconds, rounds);
  console.log(`load average after: ${load()} (other work on the box shows up as 'unattributed')`);
}
