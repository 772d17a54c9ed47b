/**
 * The oldest Node the packages claim to support (the root package.json's `engines.node`, `>=X.Y.Z`),
 * installed from npm the way scripts/bootstrap.sh installs Node 24 (`npm install node@<version>`),
 * so the smoke test runs on exactly the version users are promised. The install is kept in
 * .toolchain/release-check/ (git-ignored) and reused by later runs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './command.ts';

/** `>=22.19.0` -> `22.19.0`, `>=22.19` -> `22.19.0`; anything else is refused (the check needs one exact version). */
export function minimumNodeVersion(repositoryRoot: string): string {
  const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    engines?: { node?: string };
  };
  const range = manifest.engines?.node ?? '';
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (match === null) {
    throw new Error(`package.json engines.node must be ">=MAJOR.MINOR.PATCH" for the release check, not "${range}"`);
  }
  return `${match[1]}.${match[2] ?? 0}.${match[3] ?? 0}`;
}

/** The path of a `node` binary of exactly `version`, installed from the public npm registry when missing. */
export async function installNode(repositoryRoot: string, version: string): Promise<string> {
  const folder = join(repositoryRoot, '.toolchain', 'release-check', `node-${version}`);
  const binary = join(folder, 'node_modules', '.bin', 'node');
  if (existsSync(binary)) {
    const { stdout } = await mustRun(binary, ['--version'], { cwd: folder, timeoutMs: 10_000 });
    if (stdout.trim() === `v${version}`) return binary;
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), '{"name":"release-check-node","private":true}\n');
  await mustRun(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--registry=https://registry.npmjs.org/',
      `node@${version}`,
    ],
    { cwd: folder, timeoutMs: 240_000 },
  );
  const { stdout } = await mustRun(binary, ['--version'], { cwd: folder, timeoutMs: 10_000 });
  if (stdout.trim() !== `v${version}`) throw new Error(`npm installed node ${stdout.trim()}, not v${version}`);
  return binary;
}
