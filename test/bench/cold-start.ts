/**
 * Cold start: a fresh `node` process importing `@switchboard/core` + `@switchboard/provider-openai`
 * (built dist, resolved the way an installed package is) against one importing `openai`, spawned
 * alternately (rotating order) with an empty `node` process as the floor. Reports the import time
 * measured inside the process and the whole process's wall time. Target: Switchboard no slower.
 *
 * Run it alone with `node test/bench/cold-start.ts [runs]`, or through `node test/bench/run.ts cold-start`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkBuilt, printRows, quantile, runInChild } from './server.ts';

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

const CASES: { name: string; imports: string[] }[] = [
  { name: 'empty node process', imports: [] },
  {
    name: "import('@switchboard/core') + provider-openai",
    imports: ['@switchboard/core', '@switchboard/provider-openai'],
  },
  { name: "import('openai')", imports: ['openai'] },
];

function script(imports: readonly string[]): string {
  const body = imports.map((specifier) => `await import(${JSON.stringify(specifier)});`).join(' ');
  return `const t = performance.now(); ${body} process.stdout.write(String(performance.now() - t));`;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  await checkBuilt(['packages/core', 'packages/provider-openai']);
  // Bare specifiers in `-e` code resolve from the working directory: test/ has all three installed.
  const cwd = fileURLToPath(new URL('../', import.meta.url));
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_OPTIONS;
  const importMs = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const wallMs = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const spawnCase = (c: (typeof CASES)[number]) => {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(c.imports)], {
      cwd,
      env,
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`${c.name} failed: ${child.stderr}`);
    return { wall, imported: Number(child.stdout) };
  };
  for (const c of CASES) spawnCase(c); // warm the OS file cache
  for (let i = 0; i < runs; i++) {
    for (let offset = 0; offset < CASES.length; offset++) {
      const c = CASES[(i + offset) % CASES.length] as (typeof CASES)[number];
      const { wall, imported } = spawnCase(c);
      (wallMs.get(c.name) as number[]).push(wall);
      (importMs.get(c.name) as number[]).push(imported);
    }
  }
  const reference = CASES[2]?.name as string;
  const floor = quantile(wallMs.get(CASES[0]?.name as string) as number[], 0.5);
  const refImport = quantile(importMs.get(reference) as number[], 0.5);
  const refWall = quantile(wallMs.get(reference) as number[], 0.5);
  const rows = CASES.map((c) => {
    const imported = quantile(importMs.get(c.name) as number[], 0.5);
    const wall = quantile(wallMs.get(c.name) as number[], 0.5);
    const first = c.imports.length === 0;
    return [
      c.name,
      String(runs),
      first ? '-' : imported.toFixed(1),
      first ? '-' : `${(imported / refImport).toFixed(2)}x`,
      wall.toFixed(1),
      first ? '-' : (wall - floor).toFixed(1),
      first ? '-' : `${((wall - floor) / (refWall - floor)).toFixed(2)}x`,
    ];
  });
  printRows(
    `Cold start in a fresh process, medians of ${runs} alternating spawns (ratios: vs openai)`,
    ['process', 'runs', 'import ms', 'import ratio', 'wall ms', 'wall - empty ms', 'wall - empty ratio'],
    rows,
  );
}

if (import.meta.main) await main();
