/**
 * A fresh folder outside the repository where packages are installed the way a user installs them:
 * npm, with an `.npmrc` naming only the local registry (the user's own npm config and any
 * `npm_config_*` variable are ignored), and a private npm cache.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './command.ts';

export interface FreshProject {
  folder: string;
  env: NodeJS.ProcessEnv;
}

/** The environment for npm in `folder`: PATH and HOME kept, every npm setting replaced by ours. */
function npmEnvironment(folder: string, cacheFolder: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && !/^pnpm_/i.test(key)) env[key] = value;
  }
  env.npm_config_userconfig = join(folder, '.npmrc');
  env.npm_config_cache = cacheFolder;
  env.npm_config_update_notifier = 'false';
  return env;
}

/** Creates `folder` with a private ES-module package.json and an `.npmrc` pointing at `registryUrl` only. */
export function createFreshProject(folder: string, registryUrl: string, cacheFolder: string): FreshProject {
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: 'release-check-project', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(folder, '.npmrc'), `registry=${registryUrl}\naudit=false\nfund=false\n`);
  return { folder, env: npmEnvironment(folder, cacheFolder) };
}

/** `npm install <specs>` in the project (more npm flags in `flags`). */
export async function npmInstall(project: FreshProject, specs: string[], flags: string[] = []): Promise<void> {
  await mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...flags, ...specs], {
    cwd: project.folder,
    env: project.env,
    timeoutMs: 180_000,
  });
}

export interface InstallFootprint {
  /** Packages npm installed (entries of package-lock.json present on disk, the project itself left out). */
  packages: number;
  /** `du -sk node_modules` (disk usage, what a user sees), in bytes. */
  bytes: number;
  /** `du -sk --apparent-size node_modules` (the files' contents), in bytes. */
  apparentBytes: number;
  /** The four largest top-level entries of node_modules (a scope counts as one), by disk usage. */
  largest: { name: string; bytes: number }[];
  /** Names of the installed packages, for the report. */
  names: string[];
}

/** How much an install pulled in. */
export async function footprint(project: FreshProject): Promise<InstallFootprint> {
  const lock = JSON.parse(readFileSync(join(project.folder, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  // The lockfile also lists what --omit left out: count what is on disk.
  const names = Object.keys(lock.packages)
    .filter((key) => key !== '' && existsSync(join(project.folder, key, 'package.json')))
    .map((key) => key.replace(/^.*node_modules\//, ''));
  /** `du -sk <paths>` (plus `flags`), one entry per path, in bytes. */
  const diskUsage = async (paths: string[], flags: string[] = []): Promise<{ name: string; bytes: number }[]> => {
    const { stdout } = await mustRun('du', ['-sk', ...flags, '--', ...paths], {
      cwd: project.folder,
      timeoutMs: 30_000,
    });
    return stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [size, path] = line.split('\t');
        return { name: (path ?? '').replace(/^node_modules\//, ''), bytes: Number(size) * 1024 };
      });
  };
  const entries = readdirSync(join(project.folder, 'node_modules'))
    .filter((name) => !name.startsWith('.'))
    .map((name) => join('node_modules', name));
  const [total] = await diskUsage(['node_modules']);
  const [apparent] = await diskUsage(['node_modules'], ['--apparent-size']);
  return {
    packages: names.length,
    bytes: total?.bytes ?? 0,
    apparentBytes: apparent?.bytes ?? 0,
    largest: (await diskUsage(entries)).sort((a, b) => b.bytes - a.bytes).slice(0, 4),
    names,
  };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
