#!/usr/bin/env node
/**
 * `switchboard-gateway`: starts the gateway and prints exactly one line, `listening on
 * http://HOST:PORT`, once it (every worker, with `--workers`) accepts requests. SIGTERM (or SIGINT)
 * stops accepting, drains in-flight requests and streams until the drain deadline, then exits 0.
 * Errors (a bad config file, a refused host) go to stderr with exit code 1.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { registerKeysCommand } from './keys/command.js';
import { createGateway } from './server.js';

interface Flags {
  host: string;
  port: number;
  config?: string;
  workers: number;
  drainTimeout?: number;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be 0-65535');
  return port;
}

function parseWorkers(value: string): number {
  if (value === 'auto') return availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('must be a positive integer or auto');
  return count;
}

function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new InvalidArgumentError('must be a non-negative integer (ms)');
  return ms;
}

/** Runs one gateway in this process; resolves with its URL. `onStop` runs after a signal drained it. */
async function serve(flags: Flags, onReady: (url: string) => void): Promise<void> {
  const gateway = await createGateway({
    host: flags.host,
    port: flags.port,
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
  });
  const { url } = await gateway.listen();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.close(flags.drainTimeout).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`switchboard-gateway: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  onReady(url);
}

/** The primary of `--workers n`: forks the workers, prints the line once all listen, forwards SIGTERM. */
function supervise(flags: Flags): void {
  let ready = 0;
  let stopping = false;
  let announced = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== 'listening' || message.url === undefined) return;
      ready += 1;
      if (ready === flags.workers && !announced) {
        announced = true;
        process.stdout.write(`listening on ${message.url}\n`);
      }
    });
  };
  for (let i = 0; i < flags.workers; i += 1) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!announced) {
      // A worker that cannot start (bad config, refused host) ends the whole command with its error.
      process.exitCode = code === 0 ? 1 : (code ?? 1);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode);
      return;
    }
    process.stderr.write(`switchboard-gateway: worker ${worker.process.pid} exited (${code}); starting another\n`);
    fork();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function fail(error: unknown): never {
  process.stderr.write(`switchboard-gateway: ${(error as Error).message}\n`);
  process.exit(1);
}

const program = new Command('switchboard-gateway')
  .description('An OpenAI- and Anthropic-compatible HTTP gateway over every Switchboard provider')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0: a free port)', parsePort, 4000)
  .option('--config <file>', 'YAML config file (also SWITCHBOARD_GATEWAY_CONFIG)')
  .option('--workers <n>', 'worker processes (node:cluster), or auto for one per core', parseWorkers, 1)
  .option('--drain-timeout <ms>', 'how long SIGTERM waits for in-flight requests and streams', parseMilliseconds)
  .action(async (options: Flags) => {
    const flags: Flags = { ...options };
    const configFile = options.config ?? process.env.SWITCHBOARD_GATEWAY_CONFIG;
    if (configFile !== undefined && configFile !== '') flags.config = configFile;
    else delete flags.config;
    try {
      if (cluster.isPrimary && flags.workers > 1) {
        supervise(flags);
        return;
      }
      await serve(flags, (url) => {
        if (cluster.isWorker) process.send?.({ type: 'listening', url });
        else process.stdout.write(`listening on ${url}\n`);
      });
    } catch (error) {
      fail(error);
    }
  });

registerKeysCommand(program);

await program.parseAsync(process.argv);
