/**
 * Publishes a package directory that is already installed (a third-party package from the
 * repository's node_modules) to the local registry, the way `npm publish` does (one PUT with the
 * manifest and the tarball attached) but without starting npm once per package: the release check
 * mirrors about a hundred dependencies, and one npm process each would cost minutes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { LocalRegistry } from './registry.ts';
import type { InstalledPackage } from './third-party.ts';

const execFileAsync = promisify(execFile);

/**
 * A gzipped tarball of `directory` with every entry under `package/`, as npm packs it (nested
 * node_modules left out). `--hard-dereference` writes pnpm's hard-linked files (its store links
 * identical files) as plain files, as `npm pack` would, rather than tar link entries.
 */
async function pack(directory: string): Promise<Buffer> {
  const { stdout } = await execFileAsync(
    'tar',
    [
      '-czf',
      '-',
      '--hard-dereference',
      '-C',
      directory,
      '--exclude=./node_modules',
      '--transform',
      's,^\\.,package,',
      '.',
    ],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
  );
  return stdout;
}

/** PUTs one installed package version into the registry, tagged `latest`. */
export async function publishInstalled(registry: LocalRegistry, installed: InstalledPackage): Promise<void> {
  const tarball = await pack(installed.directory);
  const { name, version } = installed;
  const fileName = `${name}-${version}.tgz`;
  const body = {
    _id: name,
    name,
    description: installed.manifest.description ?? '',
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...installed.manifest,
        _id: `${name}@${version}`,
        dist: {
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
          shasum: createHash('sha1').update(tarball).digest('hex'),
          tarball: `${registry.url}${name}/-/${name.split('/').pop()}-${version}.tgz`,
        },
      },
    },
    access: null,
    _attachments: {
      [fileName]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  };
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${registry.token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) {
    throw new Error(
      `publishing ${name}@${version} to the local registry failed: ${response.status} ${await response.text()}`,
    );
  }
}

/** Publishes every package, a few at a time (tar and the registry both take a moment per package). */
export async function publishAllInstalled(
  registry: LocalRegistry,
  packages: InstalledPackage[],
  concurrency = 4,
): Promise<void> {
  const queue = [...packages];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await publishInstalled(registry, next);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
