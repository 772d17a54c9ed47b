import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bin, type CliResult, cleanEnv } from './support/spawn-cli.ts';

// `catalog check` / `catalog sync` need the private @switchboard/catalog-tools package. In a checkout
// it is a devDependency; a user's `npm install @switchboard/cli` never has it. A module hook makes it
// absent exactly as Node reports a package that is not installed, and the built CLI runs as users run it.
const hideCatalogTools = fileURLToPath(new URL('./support/hide-catalog-tools.mjs', import.meta.url));
const cliPackage = fileURLToPath(new URL('../package.json', import.meta.url));

function runWithoutTools(args: readonly string[], hide = true): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(hide ? ['--import', hideCatalogTools] : []), bin, ...args],
      { env: cleanEnv() },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const expectedLine = (command: string) =>
  `error: \`switchboard ${command}\` is a maintainer command: it needs @switchboard/catalog-tools, which is not published; run it from a checkout of the Switchboard repository (https://github.com/switchboard-dev/switchboard).\n`;

describe('catalog check and sync without the maintainer tooling installed', () => {
  it('catalog check exits 2 with one line naming the package and the repository checkout', async () => {
    const result = await runWithoutTools(['catalog', 'check', '--upstream', '/nonexistent']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(expectedLine('catalog check'));
  });

  it('catalog sync exits 2 with the same line, before it looks for a catalog folder', async () => {
    const result = await runWithoutTools(['catalog', 'sync', '--catalog', '/nonexistent', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(expectedLine('catalog sync'));
  });

  it('with the tooling present (the checkout), the same command gets past loading it', async () => {
    // The usage error for the missing catalog folder comes from the command body, after the import.
    const result = await runWithoutTools(['catalog', 'sync', '--catalog', '/nonexistent'], false);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: catalog folder not found: pass --catalog <dir> (the folder of the provider YAMLs).\n',
    );
  });

  it('the published CLI does not depend on the tooling (a devDependency only)', () => {
    const manifest = JSON.parse(readFileSync(cliPackage, 'utf8')) as Record<string, Record<string, string>>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      expect(Object.keys(manifest[field] ?? {})).not.toContain('@switchboard/catalog-tools');
    }
    expect(manifest.devDependencies?.['@switchboard/catalog-tools']).toBeDefined();
  });
});
