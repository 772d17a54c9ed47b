/**
 * The release, tested end to end (issue 13): builds everything, gives every public package a
 * snapshot version with changesets in a copy of the tree, starts Verdaccio on 127.0.0.1 (temp
 * storage, no uplinks), publishes our packages with `changeset publish` and mirrors their
 * third-party dependencies from the repository's install, then installs from that registry only,
 * in fresh folders, the way a user does:
 *   (a) core + provider-openai: ESM, CommonJS and type-checked TypeScript smoke tests against a fake
 *       OpenAI server, on Node 24 and on the exact minimum Node of `engines`; size <= 5 MB;
 *   (b) the CLI with provider-openai: models, recommend, cost, chat;
 *   (c) the gateway with two providers, called with the official openai SDK.
 * Prints sizes, package counts and timings; exits non-zero on any failure. Every server listens on
 * 127.0.0.1 and is stopped at the end; the temp folder is removed (kept with --keep).
 *
 *   ./run release-check [--keep] [--skip-build]
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mustRun } from './release/command.ts';
import { type FakeOpenAI, startFakeOpenAI } from './release/fake-openai.ts';
import { megabytes } from './release/fresh-project.ts';
import { installNode, minimumNodeVersion } from './release/minimum-node.ts';
import { publishAllInstalled } from './release/publish-tarball.ts';
import { type LocalRegistry, startRegistry } from './release/registry.ts';
import { smokeCli } from './release/smoke-cli.ts';
import { coreFootprintProblems, installCoreProject, runCoreSmoke, typeCheckCoreProject } from './release/smoke-core.ts';
import { smokeGateway } from './release/smoke-gateway.ts';
import { type InstalledPackage, thirdPartyClosure } from './release/third-party.ts';
import { addReleaseEverythingChangeset, copyWorkspace, workspacePackages } from './release/workspace-copy.ts';

const repositoryRoot = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
/** For a run right after `./run test` or a build: the packages' dist/ folders are current. */
const skipBuild = process.argv.includes('--skip-build');
const changesetBin = join(repositoryRoot, 'node_modules/@changesets/cli/bin.js');
const timings: { name: string; seconds: number }[] = [];
const started = performance.now();

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const begin = performance.now();
  process.stdout.write(`release-check: ${name}\n`);
  const result = await work();
  const seconds = (performance.now() - begin) / 1000;
  timings.push({ name, seconds });
  process.stdout.write(`release-check:   done in ${seconds.toFixed(1)} s\n`);
  return result;
}

/** The `openai` SDK the repository's tests use, to be mirrored for the gateway smoke test. */
function openaiSdk(): InstalledPackage {
  const directory = realpathSync(join(repositoryRoot, 'test/node_modules/openai'));
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Record<string, unknown>;
  return { name: 'openai', version: String(manifest.version), directory, manifest };
}

async function main(): Promise<void> {
  if (Number(process.versions.node.split('.')[0]) !== 24)
    throw new Error(`run through ./run (Node 24), not ${process.version}`);
  const minimumNode = minimumNodeVersion(repositoryRoot);
  const temp = mkdtempSync(join(realpathSync(tmpdir()), 'switchboard-release-'));
  const workspace = join(temp, 'workspace');
  const cache = join(temp, 'npm-cache');
  let registry: LocalRegistry | undefined;
  let fake: FakeOpenAI | undefined;
  try {
    if (!skipBuild) {
      await step('build every package (turbo)', () =>
        mustRun('pnpm', ['-s', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
          cwd: repositoryRoot,
          timeoutMs: 300_000,
        }),
      );
    }

    const version = await step('changeset version --snapshot check, in a copy of the tree', async () => {
      copyWorkspace(repositoryRoot, workspace);
      // pnpm publish resolves `workspace:^` from the installed links: link the copy from the store, offline.
      await mustRun('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts', '--reporter=silent'], {
        cwd: workspace,
        timeoutMs: 120_000,
      });
      const config = JSON.parse(readFileSync(join(workspace, '.changeset/config.json'), 'utf8')) as {
        ignore?: string[];
      };
      addReleaseEverythingChangeset(workspace, workspacePackages(workspace), config.ignore ?? []);
      await mustRun(process.execPath, [changesetBin, 'version', '--snapshot', 'check'], {
        cwd: workspace,
        timeoutMs: 60_000,
      });
      const versions = new Set(
        workspacePackages(workspace)
          .filter((entry) => !entry.private)
          .map((entry) => entry.version),
      );
      assert.equal(
        versions.size,
        1,
        `every public package should share the snapshot version, got ${[...versions].join(', ')}`,
      );
      return [...versions][0] as string;
    });
    process.stdout.write(`release-check:   version ${version}\n`);

    registry = await step('start Verdaccio on 127.0.0.1 (temp storage, no uplinks)', () =>
      startRegistry(repositoryRoot, join(temp, 'registry')),
    );
    const activeRegistry = registry;

    const sdk = openaiSdk();
    const mirrored = await step('mirror third-party dependencies from the repository install', async () => {
      const publicDirectories = workspacePackages(repositoryRoot)
        .filter((entry) => !entry.private)
        .map((entry) => entry.directory);
      const packages = [...thirdPartyClosure(publicDirectories), ...thirdPartyClosure([sdk.directory]), sdk];
      await publishAllInstalled(activeRegistry, packages);
      return packages.length;
    });
    process.stdout.write(`release-check:   ${mirrored} third-party package versions\n`);

    await step('changeset publish (pnpm publish of every public package)', async () => {
      writeFileSync(join(workspace, '.npmrc'), activeRegistry.npmrc);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CI: 'true',
        npm_config_registry: activeRegistry.url,
        // dist/ was built above and copied; the copy's prepack would only build it again.
        npm_config_ignore_scripts: 'true',
        npm_config_git_checks: 'false',
      };
      await mustRun(process.execPath, [changesetBin, 'publish', '--tag', 'check', '--no-git-tag'], {
        cwd: workspace,
        env,
        timeoutMs: 240_000,
      });
      for (const entry of workspacePackages(workspace).filter((item) => !item.private)) {
        const response = await fetch(`${activeRegistry.url}${entry.name.replace('/', '%2f')}`);
        const document = (await response.json()) as { versions?: Record<string, unknown> };
        assert.ok(document.versions?.[version], `${entry.name}@${version} is in the local registry`);
      }
    });

    fake = await startFakeOpenAI();
    const activeFake = fake;

    const core = await step('(a) install core + provider-openai', () =>
      installCoreProject(repositoryRoot, join(temp, 'core'), activeRegistry.url, cache, version),
    );
    await step('(a) type-check the TypeScript smoke test against the installed .d.ts', () =>
      typeCheckCoreProject(repositoryRoot, core.folder),
    );
    const node24 = await step(`(a) ESM, CommonJS, TypeScript smoke on Node ${process.version}`, () =>
      runCoreSmoke(process.execPath, core.folder, activeFake),
    );
    const minimumBinary = await step(`install Node ${minimumNode} (engines minimum) from npm`, () =>
      installNode(repositoryRoot, minimumNode),
    );
    const nodeMinimum = await step(`(a) ESM, CommonJS, TypeScript smoke on Node v${minimumNode}`, () =>
      runCoreSmoke(minimumBinary, core.folder, activeFake),
    );
    const cli = await step('(b) install the CLI with provider-openai; models, recommend, cost, chat', () =>
      smokeCli(join(temp, 'cli'), activeRegistry.url, cache, version, activeFake),
    );
    const gateway = await step('(c) install the gateway with openai + groq; call it with the openai SDK', () =>
      smokeGateway(repositoryRoot, join(temp, 'gateway'), activeRegistry.url, cache, version, sdk.version, activeFake),
    );

    // The size target is checked last so a failure still comes with every other figure.
    const problems = coreFootprintProblems(core.footprint);
    const total = (performance.now() - started) / 1000;
    const lines = [
      '',
      `release-check: smoke tests passed in ${total.toFixed(1)} s (version ${version})`,
      ...node24.map((line) => `  ${line}`),
      ...nodeMinimum.map((line) => `  ${line}`),
      ...gateway.output.split('\n').map((line) => `  ${line}`),
      `  core + provider-openai: ${core.footprint.packages} packages, ${megabytes(core.footprint.bytes)} on disk, ${megabytes(core.footprint.apparentBytes)} of files (target 5 MB): ${core.footprint.names.join(', ')}`,
      `    largest: ${core.footprint.largest.map((entry) => `${entry.name} ${megabytes(entry.bytes)}`).join(', ')}`,
      `  cli + provider-openai: ${cli.footprint.packages} packages, ${megabytes(cli.footprint.bytes)}; ${cli.switchboardPackages.length} @switchboard packages: ${cli.switchboardPackages.join(', ')}`,
      `  gateway + openai + groq (+ openai SDK): ${gateway.footprint.packages} packages, ${megabytes(gateway.footprint.bytes)}; @switchboard: ${gateway.switchboardPackages.join(', ')}`,
      '  timings:',
      ...timings.map((timing) => `    ${timing.seconds.toFixed(1).padStart(6)} s  ${timing.name}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } finally {
    await fake?.close();
    await registry?.stop();
    if (keep) process.stdout.write(`release-check: kept ${temp}\n`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`release-check: FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
