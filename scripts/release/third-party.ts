/**
 * The third-party packages our published packages need, taken from the repository's own install
 * (node_modules/.pnpm) so the release check runs with no registry on the internet: every dependency
 * a user's `npm install` would fetch is packed from the exact copy our tests ran against and
 * published into the local registry next to our packages.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One installed third-party package: where it lives and its manifest. */
export interface InstalledPackage {
  name: string;
  version: string;
  directory: string;
  manifest: Record<string, unknown>;
}

type DependencyMap = Record<string, string>;

function readManifest(directory: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * Finds `name` the way Node does from `fromDirectory`: the nearest `node_modules/<name>` up the tree
 * (pnpm puts a package's dependencies next to it inside `.pnpm/<id>/node_modules`).
 */
function locate(name: string, fromDirectory: string): string | undefined {
  let directory = fromDirectory;
  for (;;) {
    const candidate = join(directory, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * The dependencies npm installs for a package: `dependencies`, `optionalDependencies` and the peer
 * dependencies that are not marked optional (npm 7+ installs those too).
 */
function installedDependencies(manifest: Record<string, unknown>): { name: string; optional: boolean }[] {
  const dependencies = (manifest.dependencies ?? {}) as DependencyMap;
  const optional = (manifest.optionalDependencies ?? {}) as DependencyMap;
  const peers = (manifest.peerDependencies ?? {}) as DependencyMap;
  const peerMeta = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>;
  const result = new Map<string, boolean>();
  for (const name of Object.keys(dependencies)) result.set(name, false);
  for (const name of Object.keys(optional)) result.set(name, true);
  for (const name of Object.keys(peers)) if (!peerMeta[name]?.optional && !result.has(name)) result.set(name, false);
  return [...result].map(([name, isOptional]) => ({ name, optional: isOptional }));
}

/**
 * Every third-party package (name@version) reachable from the given workspace package directories,
 * through `@switchboard/*` dependencies too, which are left out of the result (published from the
 * workspace itself). An optional dependency that is not
 * installed here (another platform's binary) is skipped; a missing required one is an error.
 */
export function thirdPartyClosure(workspaceDirectories: string[]): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const visitedWorkspace = new Set<string>(workspaceDirectories.map((directory) => realpathSync(directory)));
  const queue: { directory: string; manifest: Record<string, unknown> }[] = workspaceDirectories.map((directory) => ({
    directory,
    manifest: readManifest(directory),
  }));
  while (queue.length > 0) {
    const { directory, manifest } = queue.shift() as (typeof queue)[number];
    for (const { name, optional } of installedDependencies(manifest)) {
      const location = locate(name, directory);
      if (name.startsWith('@switchboard/')) {
        // Published from the workspace, but its own dependencies are needed all the same.
        if (location !== undefined && !visitedWorkspace.has(location)) {
          visitedWorkspace.add(location);
          queue.push({ directory: location, manifest: readManifest(location) });
        }
        continue;
      }
      if (location === undefined) {
        if (optional) continue;
        throw new Error(`${String(manifest.name)} needs ${name}, which is not installed in the repository`);
      }
      const dependencyManifest = readManifest(location);
      const key = `${name}@${String(dependencyManifest.version)}`;
      if (found.has(key)) continue;
      found.set(key, {
        name,
        version: String(dependencyManifest.version),
        directory: location,
        manifest: dependencyManifest,
      });
      queue.push({ directory: location, manifest: dependencyManifest });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
