/**
 * Runs a command for the release check: bounded in time (killed, with its whole process group,
 * when it overruns), output captured, and a failure that says which command failed, where, and the
 * end of what it printed.
 */
import { spawn } from 'node:child_process';

export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Killed after this long; default 120 s. */
  timeoutMs?: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Runs `command args` and resolves with its output whatever the exit code. */
export function runCommand(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${options.cwd}) took more than ${timeoutMs} ms:\n${tail(stdout, stderr)}`,
          ),
        );
      } else {
        resolve({ stdout, stderr, exitCode });
      }
    });
  });
}

function tail(stdout: string, stderr: string): string {
  return `${stdout.slice(-3000)}\n${stderr.slice(-3000)}`.trim();
}

/** Runs `command args` and rejects unless it exits 0. */
export async function mustRun(command: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.exitCode !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) exited with ${result.exitCode}:\n${tail(result.stdout, result.stderr)}`,
    );
  }
  return result;
}
