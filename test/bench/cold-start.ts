/**
 * Cold start: fresh `node` processes doing what a program does first, against the same first steps
 * with the official `openai` SDK, spawned alternately (rotating order) with an empty `node` process as
 * the floor. Each process loads the built dist, resolved the way an installed package is:
 *
 * - Switchboard: `import('@switchboard/core')` + `@switchboard/provider-openai`, `createSwitchboard`,
 *   and a first catalog query (`sb.catalog.recommendModels`); undici must not load in any of these
 *   (it is loaded on the first request), which the child checks and reports.
 * - openai: `import('openai')` + `new OpenAI()`.
 *
 * Reports the time measured inside the process and the whole process's wall time, with their ratios to
 * openai. Target (issue 13): Switchboard no slower (ratio <= 1.00).
 *
 * Run it alone with `node test/bench/cold-start.ts [runs]`, or through `node test/bench/run.ts cold-start`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkBuilt, printRows, quantile, runInChild } from './server.ts';

export async function run(): Promise<void> {
  await runInChild(import.meta.url);
}

/** A child's measured steps, as a script body run between `t = performance.now()` and the report. */
interface ColdStartCase {
  name: string;
  /** Module code measured from its first line to its last (empty for the floor). */
  steps: string;
}

const CASES: ColdStartCase[] = [
  { name: 'empty node process', steps: '' },
  {
    name: 'switchboard: import core + provider-openai, createSwitchboard, first catalog query',
    steps: [
      "const { createSwitchboard } = await import('@switchboard/core');",
      "const { openai } = await import('@switchboard/provider-openai');",
      'const sb = createSwitchboard({ providers: [openai] });',
      "if (sb.catalog.recommendModels({ features: ['tool_use'] }).length === 0) throw new Error('no model');",
    ].join(' '),
  },
  {
    name: "openai: import('openai'), new OpenAI()",
    steps: "const { default: OpenAI } = await import('openai'); new OpenAI({ apiKey: 'sk-cold-start' });",
  },
];

/**
 * The child prints `<ms> <undici loaded>`: a regression that loads undici (a CommonJS package, so it
 * shows in `require.cache`) before the first request shows in the table, not only as a slower number.
 */
function script(steps: string): string {
  return [
    'const t = performance.now();',
    steps,
    'const ms = performance.now() - t;',
    "const { createRequire } = await import('node:module');",
    'const cache = createRequire(import.meta.url).cache;',
    "const { sep } = await import('node:path');",
    // undici's own files, not a pnpm folder whose name merely mentions it (openai's does).
    "const undici = Object.keys(cache).some((file) => file.includes(['node_modules', 'undici', ''].join(sep)));",
    "process.stdout.write(ms + ' ' + undici);",
  ].join(' ');
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 20);
  await checkBuilt(['packages/core', 'packages/provider-openai']);
  // Bare specifiers in `-e` code resolve from the working directory: test/ has all three installed.
  const cwd = fileURLToPath(new URL('../', import.meta.url));
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_OPTIONS;
  const undiciLoaded = new Set<string>();
  const importMs = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const wallMs = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const spawnCase = (c: (typeof CASES)[number]) => {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(c.steps)], {
      cwd,
      env,
      encoding: 'utf8',
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`${c.name} failed: ${child.stderr}`);
    const [measured, undici] = child.stdout.split(' ');
    if (undici === 'true') undiciLoaded.add(c.name);
    return { wall, imported: Number(measured) };
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
    const first = c.steps === '';
    return [
      c.name,
      String(runs),
      first ? '-' : imported.toFixed(1),
      first ? '-' : `${(imported / refImport).toFixed(2)}x`,
      wall.toFixed(1),
      first ? '-' : (wall - floor).toFixed(1),
      first ? '-' : `${((wall - floor) / (refWall - floor)).toFixed(2)}x`,
      undiciLoaded.has(c.name) ? 'yes' : 'no',
    ];
  });
  printRows(
    `Cold start in a fresh process (first steps to a catalog answer), medians of ${runs} alternating spawns (ratios: vs openai)`,
    ['process', 'runs', 'in-process ms', 'ratio', 'wall ms', 'wall - empty ms', 'wall - empty ratio', 'undici loaded'],
    rows,
  );
}

if (import.meta.main) await main();
