/**
 * The release check's own parts (scripts/release/), tested apart from the full `./run release-check`:
 * the engines minimum it installs, the third-party closure it mirrors, and a mirrored package that
 * npm installs complete from a real Verdaccio on 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshProject, footprint, npmInstall } from '../../scripts/release/fresh-project.ts';
import { minimumNodeVersion } from '../../scripts/release/minimum-node.ts';
import { publishAllInstalled } from '../../scripts/release/publish-tarball.ts';
import { type LocalRegistry, startRegistry } from '../../scripts/release/registry.ts';
import { thirdPartyClosure } from '../../scripts/release/third-party.ts';

const execFileAsync = promisify(execFile);
const repositoryRoot = resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'switchboard-release-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function rootWithEngines(engines: string): string {
  const folder = mkdtempSync(join(temp, 'engines-'));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'x', engines: { node: engines } }));
  return folder;
}

describe('minimumNodeVersion', () => {
  it('turns >=MAJOR.MINOR[.PATCH] into one exact version', () => {
    expect(minimumNodeVersion(rootWithEngines('>=22.19.0'))).toBe('22.19.0');
    expect(minimumNodeVersion(rootWithEngines('>=22.19'))).toBe('22.19.0');
  });

  it('refuses a range it cannot turn into one version, naming engines.node', () => {
    expect(() => minimumNodeVersion(rootWithEngines('^22.19.0 || >=24'))).toThrow(
      /engines\.node.*\^22\.19\.0 \|\| >=24/,
    );
  });
});

describe('thirdPartyClosure', () => {
  it("finds core's dependencies and theirs, never a workspace package", () => {
    // redis -> ioredis -> denque (a dependency's dependency), and core -> undici, eventsource-parser.
    const names = thirdPartyClosure([join(repositoryRoot, 'packages/redis')]).map((entry) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['ioredis', 'denque', 'undici', 'eventsource-parser']));
    // Optional peers (ajv, zod, pino...) are not pulled in.
    expect(names).not.toContain('ajv');
    expect(names.filter((name) => name.startsWith('@switchboard/'))).toEqual([]);
  });

  it('names the package and the missing dependency when one is not installed', () => {
    const folder = join(temp, 'needs-missing');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'needs-missing', dependencies: { 'no-such-package-xyz': '1' } }),
    );
    expect(() => thirdPartyClosure([folder])).toThrow(
      'needs-missing needs no-such-package-xyz, which is not installed',
    );
  });
});

describe('a mirrored package installed from the local registry', () => {
  let registry: LocalRegistry;
  beforeAll(async () => {
    registry = await startRegistry(repositoryRoot, join(temp, 'registry'));
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('arrives complete: every file of zod as the repository installed it, and it imports', async () => {
    const zodDirectory = realpathSync(join(repositoryRoot, 'apps/gateway/node_modules/zod'));
    const manifest = JSON.parse(readFileSync(join(zodDirectory, 'package.json'), 'utf8')) as { version: string };
    await publishAllInstalled(registry, [
      { name: 'zod', version: manifest.version, directory: zodDirectory, manifest },
    ]);
    const project = createFreshProject(join(temp, 'zod-project'), registry.url, join(temp, 'npm-cache'));
    await npmInstall(project, [`zod@${manifest.version}`]);
    const files = (directory: string) =>
      readdirSync(directory, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules', directory.length))
        .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
        .sort();
    const installedFiles = files(join(project.folder, 'node_modules/zod'));
    expect(installedFiles.length).toBeGreaterThan(100);
    expect(installedFiles).toEqual(files(zodDirectory));
    const { stdout } = await execFileAsync(
      process.execPath,
      ['-e', "import('zod').then((z) => console.log(typeof z.object))"],
      {
        cwd: project.folder,
      },
    );
    expect(stdout.trim()).toBe('function');
    const installed = await footprint(project);
    expect(installed.names).toEqual(['zod']);
    expect(installed.bytes).toBeGreaterThan(0);
  });

  it('is a 404 for a package nobody published (no uplink to the internet)', async () => {
    const response = await fetch(`${registry.url}left-pad`);
    expect(response.status).toBe(404);
  });
});
