/**
 * autocannon in a process of its own, for the `--workers` bench: on a 2-core box the load
 * generator's CPU is part of what the gateway workers compete with, so it must be measurable
 * (`/proc/<pid>/stat` of this process) rather than hidden in the bench's own process.
 *
 * Forked by gateway-workers.ts with an IPC channel: each message is a `LoadOptions`, each answer
 * `{ result }` (a `LoadResult`) or `{ error }`. It exits when the parent disconnects.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { type LoadOptions, type LoadResult, load } from './gateway-load.ts';

type Answer = { result: LoadResult } | { error: string };

/** A load generator child; `run` is one autocannon run, `pid` the process whose CPU it costs. */
export interface LoadProcess {
  pid: number;
  run(options: LoadOptions): Promise<LoadResult>;
  stop(): Promise<void>;
}

/** Forks this file as the load generator child and waits until it can take a run. */
export async function startLoadProcess(): Promise<LoadProcess> {
  const child = fork(new URL(import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(child, 'spawn');
  if (child.pid === undefined) throw new Error('the load generator did not start');
  return {
    pid: child.pid,
    async run(options) {
      child.send(options);
      const [answer] = (await once(child, 'message')) as [Answer];
      if ('error' in answer) throw new Error(answer.error);
      return answer.result;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

if (import.meta.main) {
  process.on('message', (options: LoadOptions) => {
    load(options).then(
      (result) => process.send?.({ result } satisfies Answer),
      (error: unknown) => process.send?.({ error: (error as Error).message } satisfies Answer),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
