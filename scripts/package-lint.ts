/**
 * Lints every publishable package as the registry would receive it: packs the whole workspace once
 * (`pnpm -r pack`, the tarballs npm would publish, `workspace:` ranges rewritten), then checks each
 * tarball with publint (package.json against the files shipped), are-the-types-wrong (types resolve for
 * every entry point under node10, node16 and bundler resolution) and the rules of issue 13 that neither
 * tool knows: built (`dist/` shipped), README and LICENSE shipped, repository/homepage/bugs/keywords,
 * `engines.node` equal to core's `MINIMUM_NODE`, a `prepack` that builds, no source map pointing at a
 * source not shipped, no README link leaving the package.
 *
 * `./run test` runs it after the build (packing skips `prepack`: everything is built already). Alone:
 * `./run node scripts/package-lint.ts` after `./run pnpm -s turbo run build`. Exits 1 on any problem.
 *
 * are-the-types-wrong's `cjs-resolves-to-esm` is not a problem here: every package needs Node >= 22.19,
 * where `require()` of an ES module works without a flag (since 22.12), and the release check proves a
 * CommonJS consumer works.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { MINIMUM_NODE } from '../packages/core/src/node-version.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_URL = 'https://github.com/switchboard-dev/switchboard';
const ENGINES = `>=${MINIMUM_NODE}`;

export interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  engines?: { node?: string };
  scripts?: Record<string, string>;
  exports?: unknown;
  main?: string;
  types?: string;
}

/** The part of are-the-types-wrong's core API used here (loaded through its CLI, the installed package). */
export interface AttwPackage {
  listFiles(): string[];
  readFile(path: string): string;
}
interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}
interface AttwCore {
  createPackageFromTarballData(tarball: Uint8Array): AttwPackage;
  /** `problems` is absent when the package ships no types at all. */
  checkPackage(pkg: AttwPackage): Promise<{ types: unknown; problems?: AttwProblem[] }>;
}

/** `@arethetypeswrong/core`, resolved from the root's `@arethetypeswrong/cli` (which depends on it). */
async function loadAttw(): Promise<AttwCore> {
  // From the CLI's real folder (pnpm links it): its own dependencies resolve from there.
  const cli = createRequire(realpathSync(join(ROOT, 'node_modules/@arethetypeswrong/cli/package.json')));
  return (await import(pathToFileURL(cli.resolve('@arethetypeswrong/core')).href)) as AttwCore;
}

/** Workspace package folders by package name (packages/*, apps/*). */
function workspaceFolders(): Map<string, { directory: string; manifest: Manifest }> {
  const folders = new Map<string, { directory: string; manifest: Manifest }>();
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(ROOT, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const directory = `${parent}/${entry.name}`;
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(ROOT, directory, 'package.json'), 'utf8')) as Manifest;
      } catch {
        continue;
      }
      folders.set(manifest.name, { directory, manifest });
    }
  }
  return folders;
}

/** package.json fields issue 13 requires of every published package. */
export function manifestProblems(manifest: Manifest, directory: string): string[] {
  const problems: string[] = [];
  if (manifest.license !== 'MIT') problems.push(`license is ${JSON.stringify(manifest.license)}, not "MIT"`);
  if (manifest.engines?.node !== ENGINES)
    problems.push(`engines.node is ${JSON.stringify(manifest.engines?.node)}, not "${ENGINES}" (core's MINIMUM_NODE)`);
  if (manifest.repository?.url !== `git+${REPOSITORY_URL}.git`)
    problems.push(`repository.url is ${JSON.stringify(manifest.repository?.url)}, not "git+${REPOSITORY_URL}.git"`);
  if (manifest.repository?.directory !== directory)
    problems.push(`repository.directory is ${JSON.stringify(manifest.repository?.directory)}, not "${directory}"`);
  if (!manifest.homepage?.startsWith(REPOSITORY_URL)) problems.push('homepage is missing or not the repository');
  if (manifest.bugs?.url !== `${REPOSITORY_URL}/issues`) problems.push('bugs.url is missing or not the issues page');
  if (!manifest.keywords || manifest.keywords.length === 0) problems.push('keywords are missing');
  if (!manifest.scripts?.prepack) problems.push('no prepack script: packing an unbuilt tree would ship no dist/');
  return problems;
}

/** Shipped files: built, README and LICENSE, maps to shipped sources, README links inside the package. */
export function contentProblems(pkg: AttwPackage, name: string): string[] {
  const prefix = `/node_modules/${name}/`;
  const files = new Set(pkg.listFiles().map((file) => file.slice(prefix.length)));
  const problems: string[] = [];
  if (![...files].some((file) => file.startsWith('dist/'))) problems.push('no dist/ shipped: build before packing');
  for (const required of ['README.md', 'LICENSE']) if (!files.has(required)) problems.push(`${required} not shipped`);
  for (const file of files) {
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(pkg.readFile(prefix + file)) as { sources?: string[]; sourceRoot?: string };
    for (const source of map.sources ?? []) {
      const shipped = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!files.has(shipped)) problems.push(`${file} points at ${shipped}, which is not shipped`);
    }
  }
  if (files.has('README.md')) {
    for (const [, target] of pkg.readFile(`${prefix}README.md`).matchAll(/\]\((\.\.\/[^)]*)\)/g))
      problems.push(`README.md links to ${target}, outside the package (it is read on npm)`);
  }
  return problems;
}

async function main(): Promise<void> {
  const started = performance.now();
  const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const failures: string[] = [];
  if (rootManifest.engines?.node !== ENGINES)
    failures.push(`package.json: engines.node is ${JSON.stringify(rootManifest.engines?.node)}, not "${ENGINES}"`);
  const folders = workspaceFolders();
  const destination = mkdtempSync(join(tmpdir(), 'switchboard-pack-'));
  try {
    // One pnpm process packs every package; scripts off: `./run test` has built everything already.
    const packed = JSON.parse(
      execFileSync(
        'pnpm',
        [
          '--config.ignore-scripts=true',
          '-r',
          '--reporter=silent',
          'pack',
          '--pack-destination',
          destination,
          '--json',
        ],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      ),
    ) as { name: string; filename: string }[];
    const attw = await loadAttw();
    let checked = 0;
    for (const { name, filename } of packed) {
      const folder = folders.get(name);
      if (folder === undefined || folder.manifest.private === true) continue;
      checked += 1;
      const problems = manifestProblems(folder.manifest, folder.directory);
      const tarball = readFileSync(filename);
      const lint = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, level: 'warning', strict: true });
      for (const message of lint.messages)
        problems.push(`publint: ${formatMessage(message, lint.pkg, { color: false })}`);
      const pkg = attw.createPackageFromTarballData(new Uint8Array(tarball));
      problems.push(...contentProblems(pkg, name));
      // A command-only package (the CLI) or static files (the explorer) declares no types to check.
      const declaresTypes =
        folder.manifest.types !== undefined || JSON.stringify(folder.manifest.exports ?? {}).includes('"types"');
      if (declaresTypes) {
        const result = await attw.checkPackage(pkg);
        if (result.problems === undefined) problems.push('are-the-types-wrong: no type declarations found');
        for (const problem of result.problems ?? []) {
          if (problem.kind === 'CJSResolvesToESM') continue;
          const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(' under ');
          problems.push(`are-the-types-wrong: ${problem.kind}${where ? ` (${where})` : ''}`);
        }
      }
      for (const problem of problems) failures.push(`${name} (${folder.directory}): ${problem}`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (failures.length > 0) {
      console.error(`package lint: ${failures.length} problem(s) in ${checked} packages (${seconds} s):`);
      for (const failure of failures) console.error(`  ${failure}`);
      process.exitCode = 1;
    } else {
      console.log(`package lint: ${checked} packages clean (publint, are-the-types-wrong, metadata; ${seconds} s)`);
    }
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

if (dirname(fileURLToPath(import.meta.url)) === join(ROOT, 'scripts') && import.meta.main) await main();
