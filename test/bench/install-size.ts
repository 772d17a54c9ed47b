/**
 * Installed size of `@switchboard/core` + `@switchboard/provider-openai` with their runtime
 * dependencies, the way a user gets them: `pnpm pack` both packages (built dist), `npm install` the two
 * tarballs into a fresh temporary project, and measure its node_modules. The `openai` SDK is installed
 * the same way for comparison. Target: <= 5 MB. Needs the npm registry.
 *
 * Run it alone with `node test/bench/install-size.ts`, or through `node test/bench/run.ts install-size`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuilt, printRows, runInChild } from './server.ts';

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1024 * 1024;

/** Apparent size (sum of file sizes) and file count of a directory tree. */
function treeSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = treeSize(path);
      bytes += sub.bytes;
      files += sub.files;
    } else if (entry.isFile()) {
      bytes += statSync(path).size;
      files++;
    }
  }
  return { bytes, files };
}

/** Disk usage in bytes as `du -sk` reports it (block-rounded). */
function diskUsage(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/** Top-level packages by apparent size, largest first. */
function largest(nodeModules: string, limit: number): string {
  const sizes: [string, number][] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = entry.name.startsWith('@')
      ? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`)
      : [entry.name];
    for (const name of names) sizes.push([name, treeSize(join(nodeModules, name)).bytes]);
  }
  return sizes
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, bytes]) => `${name} ${(bytes / MB).toFixed(2)}`)
    .join(', ');
}

function npmInstall(dir: string, specs: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'size-probe', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--loglevel=error', ...specs],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

async function main(): Promise<void> {
  await checkBuilt(['packages/core', 'packages/provider-openai']);
  const work = mkdtempSync(join(tmpdir(), 'sb-install-size-'));
  try {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const dir of ['packages/core', 'packages/provider-openai'])
      execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(ROOT, dir), stdio: 'ignore' });
    const packed = readdirSync(tarballs).map((name) => join(tarballs, name));
    const testManifest = JSON.parse(readFileSync(join(ROOT, 'test/package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const openaiVersion = testManifest.devDependencies.openai as string;

    const probes = [
      { name: '@switchboard/core + provider-openai', dir: join(work, 'switchboard'), specs: packed },
      { name: `openai@${openaiVersion}`, dir: join(work, 'openai'), specs: [`openai@${openaiVersion}`] },
    ];
    const rows: string[][] = [];
    const details: string[] = [];
    let reference = 0;
    for (const probe of probes) {
      npmInstall(probe.dir, probe.specs);
      const nodeModules = join(probe.dir, 'node_modules');
      const { bytes, files } = treeSize(nodeModules);
      if (reference === 0) reference = bytes;
      const packages = readdirSync(nodeModules)
        .filter((name) => !name.startsWith('.'))
        .reduce((count, name) => count + (name.startsWith('@') ? readdirSync(join(nodeModules, name)).length : 1), 0);
      rows.push([
        probe.name,
        (bytes / MB).toFixed(2),
        (diskUsage(nodeModules) / MB).toFixed(2),
        String(files),
        String(packages),
        probe === probes[0] ? (bytes <= 5 * MB ? 'yes' : 'NO') : '-',
      ]);
      details.push(`${probe.name}: largest top-level entries (MB): ${largest(nodeModules, 6)}`);
    }
    printRows(
      'Installed size: npm install of the packed tarballs into a fresh project (MB = 2^20 bytes)',
      ['install', 'apparent MB', 'du -sk MB', 'files', 'packages', '<= 5 MB'],
      rows,
    );
    for (const line of details) console.log(line);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
