/**
 * A copy of the working tree (built `dist/` folders included, `node_modules` and `.git` left out)
 * in which the release check may version and publish: `changeset version` rewrites package.json
 * files, changelogs and deletes changesets, none of which may touch the repository itself.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** Folders never copied: installs, git, caches and local output. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.toolchain',
  '.turbo',
  '.test-results',
  '.switchboard-cache',
  'coverage',
]);

/** One workspace package as pnpm sees it. */
export interface WorkspacePackage {
  name: string;
  version: string;
  directory: string;
  private: boolean;
}

/** Copies the tree at `repositoryRoot` into `target` (which must not exist yet). */
export function copyWorkspace(repositoryRoot: string, target: string): void {
  cpSync(repositoryRoot, target, {
    recursive: true,
    filter: (source) => source === repositoryRoot || !SKIPPED.has(basename(source)),
  });
}

/** The packages of the workspace (pnpm-workspace.yaml's `dir/*` and `dir` entries, the only forms it uses). */
export function workspacePackages(root: string): WorkspacePackage[] {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...text.matchAll(/^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/gm)].map((match) => match[1] as string);
  const directories = patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(root, pattern.slice(0, -2), entry.name))
      : [join(root, pattern)],
  );
  return directories
    .filter((directory) => existsSync(join(directory, 'package.json')))
    .map((directory) => {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        private?: boolean;
      };
      return { name: manifest.name, version: manifest.version, directory, private: manifest.private === true };
    });
}

/**
 * Adds a changeset that releases every public package (a patch), so a snapshot version gives each of
 * them a fresh version and every one is published: the CLI depends on most of the others.
 */
export function addReleaseEverythingChangeset(root: string, packages: WorkspacePackage[], ignored: string[]): void {
  const lines = packages
    .filter((entry) => !entry.private && !ignored.includes(entry.name))
    .map((entry) => `'${entry.name}': patch`);
  writeFileSync(
    join(root, '.changeset', 'release-check-everything.md'),
    `---\n${lines.join('\n')}\n---\n\nRelease check: every public package, published to a local registry.\n`,
  );
}

/** `relative(root, directory)` for messages. */
export function shortPath(root: string, directory: string): string {
  return relative(root, directory) || '.';
}
