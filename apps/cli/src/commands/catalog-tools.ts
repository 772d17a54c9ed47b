import { CommanderError } from 'commander';

/** The maintainer tooling's module: upstream-catalog readers, cross-check and sync. */
export type CatalogTools = typeof import('@switchboard/catalog-tools');

/** The package that holds the tooling: private to the repository, never installed with the published CLI. */
export const CATALOG_TOOLS_PACKAGE = '@switchboard/catalog-tools';

/** The one line a user of the published CLI sees for a maintainer command. */
export function catalogToolsAbsentMessage(command: string): string {
  return `error: \`switchboard ${command}\` is a maintainer command: it needs ${CATALOG_TOOLS_PACKAGE}, which is not published; run it from a checkout of the Switchboard repository (https://github.com/switchboard-dev/switchboard).`;
}

/**
 * Loads the maintainer tooling for `catalog check` / `catalog sync`. It lives in a private
 * workspace package so the published core and CLI do not ship it; in a checkout it resolves as a
 * devDependency, after `npm install @switchboard/cli` it does not. Absent, the command prints one
 * line naming the package and exits 2 (a CommanderError, which the CLI's runner turns into its exit
 * code without printing anything more). Any other failure to load it is a real error and is rethrown.
 */
export async function loadCatalogTools(command: string): Promise<CatalogTools> {
  try {
    return await import('@switchboard/catalog-tools');
  } catch (error) {
    if (!isPackageAbsent(error)) throw error;
    const message = catalogToolsAbsentMessage(command);
    process.stderr.write(`${message}\n`);
    throw new CommanderError(2, 'switchboard.catalogToolsAbsent', message);
  }
}

/** Node's error for the tooling package itself not being installed (not for something it imports). */
function isPackageAbsent(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${CATALOG_TOOLS_PACKAGE}'`)
  );
}
