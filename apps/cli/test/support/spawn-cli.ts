import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run as users run it (`./run test` builds first). */
export const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const hideHook = fileURLToPath(new URL('./hide-packages.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment with every provider credential and endpoint removed, plus the given variables. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/(_API_KEY|^AWS_|_BASE_URL$|^OLLAMA_HOST$|_TOKEN)/.test(key)),
  );
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * Runs the CLI; with `installed`, only those provider packages (e.g. `provider-openai`) can be
 * imported, as after `npm install @switchboard/cli @switchboard/provider-openai`.
 */
export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; installed?: readonly string[]; cwd?: string } = {},
): Promise<CliResult> {
  const env = { ...(options.env ?? cleanEnv()) };
  const nodeArgs: string[] = [];
  if (options.installed) {
    env.SWITCHBOARD_TEST_INSTALLED = options.installed.join(',');
    nodeArgs.push('--import', hideHook);
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, bin, ...args],
      { env, ...(options.cwd ? { cwd: options.cwd } : {}) },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
