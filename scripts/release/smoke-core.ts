/**
 * Smoke test (a): `@switchboard/core` + `@switchboard/provider-openai` alone in a fresh folder,
 * used from an ES module, from CommonJS (`require`) and from type-checked TypeScript, against the
 * fake OpenAI server; then the same on the minimum Node version. Asserts the installed size.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './command.ts';
import type { FakeOpenAI } from './fake-openai.ts';
import { createFreshProject, footprint, type InstallFootprint, megabytes, npmInstall } from './fresh-project.ts';

/**
 * The issue's target for core + one provider, counted as the installed files' contents (what npm's
 * `unpackedSize` and packagephobia's install size count). The `du` figure is printed next to it: it
 * also counts the filesystem's block rounding, which depends on the disk, not on what we ship.
 */
export const CORE_SIZE_LIMIT_BYTES = 5 * 1024 * 1024;
/** Core + one provider pull in four packages today (core, the provider, undici, eventsource-parser); more is a regression. */
export const CORE_PACKAGE_LIMIT = 6;

/** The install's size and package count against the limits: one message per limit exceeded. */
export function coreFootprintProblems(installed: InstallFootprint): string[] {
  const problems: string[] = [];
  const largest = installed.largest.map((entry) => `${entry.name} ${megabytes(entry.bytes)}`).join(', ');
  if (installed.apparentBytes > CORE_SIZE_LIMIT_BYTES) {
    problems.push(
      `core + provider-openai take ${megabytes(installed.apparentBytes)} of file contents (${megabytes(installed.bytes)} on disk), over the ${megabytes(CORE_SIZE_LIMIT_BYTES)} target; largest: ${largest}`,
    );
  }
  if (installed.packages > CORE_PACKAGE_LIMIT) {
    problems.push(
      `core + provider-openai pull in ${installed.packages} packages, over ${CORE_PACKAGE_LIMIT}: ${installed.names.join(', ')}`,
    );
  }
  return problems;
}

const SMOKE_FILES = ['core-esm.mjs', 'core-cjs.cjs', 'core-ts.ts'];

export interface CoreSmokeProject {
  folder: string;
  footprint: InstallFootprint;
}

/** Installs the two packages and measures them; the smoke files are copied next to them. */
export async function installCoreProject(
  repositoryRoot: string,
  folder: string,
  registryUrl: string,
  cacheFolder: string,
  version: string,
): Promise<CoreSmokeProject> {
  const project = createFreshProject(folder, registryUrl, cacheFolder);
  await npmInstall(project, [`@switchboard/core@${version}`, `@switchboard/provider-openai@${version}`]);
  for (const file of SMOKE_FILES) copyFileSync(join(repositoryRoot, 'scripts/release/smoke', file), join(folder, file));
  const installed = await footprint(project);
  return { folder, footprint: installed };
}

/**
 * Type-checks core-ts.ts against the installed declarations with the repository's own TypeScript
 * (the local registry holds only our packages and their dependencies, not typescript), strict, with
 * Node's module resolution, and `skipLibCheck` off so our shipped .d.ts files are checked too.
 */
export async function typeCheckCoreProject(repositoryRoot: string, folder: string): Promise<void> {
  const tsconfig = {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      types: ['node'],
      typeRoots: [join(repositoryRoot, 'node_modules/@types')],
    },
    files: ['core-ts.ts'],
  };
  writeFileSync(join(folder, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  await mustRun(process.execPath, [join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: folder,
    timeoutMs: 120_000,
  });
}

/** Runs the three smoke files with `node` (a path); returns what they printed. */
export async function runCoreSmoke(node: string, folder: string, fake: FakeOpenAI): Promise<string[]> {
  const env = { ...process.env, FAKE_OPENAI_BASE_URL: fake.baseURL, NODE_NO_WARNINGS: '1' };
  const before = fake.requests.length;
  const lines: string[] = [];
  for (const file of SMOKE_FILES) {
    const args = file.endsWith('.ts') ? ['--experimental-strip-types', file] : [file];
    const { stdout } = await mustRun(node, args, { cwd: folder, env, timeoutMs: 60_000 });
    lines.push(stdout.trim());
  }
  const calls = fake.requests.slice(before);
  assert.equal(calls.length, 6, `the smoke files should make 6 requests to the fake server, made ${calls.length}`);
  assert.ok(calls.every((call) => call.authorization === 'Bearer release-check-key'));
  return lines;
}
