import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { type CatalogTools, loadCatalogTools } from './catalog-tools.js';

interface SyncCommandOptions {
  catalog?: string;
  upstream?: string[];
  fromModelsDev?: string;
  fromLitellm?: string;
  provider?: string[];
  write?: boolean;
  json?: boolean;
  timeout?: string;
  since?: string;
}

/** The nearest `catalog/providers` walking up from the working directory: sync edits the checkout you are in. */
function findProvidersDir(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'catalog', 'providers');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * `switchboard catalog sync`: downloads models.dev and LiteLLM (or reads --from-* / --upstream),
 * compares them with the provider YAMLs and prints a review report; --write applies the edits that
 * follow an upstream source.
 */
export function registerCatalogSync(catalogCommand: Command): void {
  catalogCommand
    .command('sync')
    .description(
      'compare the provider YAMLs with models.dev and LiteLLM; --write applies the edits that follow upstream',
    )
    .option(
      '--catalog <dir>',
      'folder of the provider YAMLs (default: catalog/providers found from the working directory)',
    )
    .option(
      '--upstream <dir...>',
      'snapshot folders (models.dev/, litellm/, models.dev-* TOML trees) instead of downloading',
    )
    .option('--from-models-dev <url|file>', "models.dev's api.json (default https://models.dev/api.json)")
    .option('--from-litellm <url|file>', "LiteLLM's model_prices_and_context_window.json (default: its GitHub raw URL)")
    .option('-p, --provider <id...>', 'only these providers')
    .option('--since <date>', "models released after this date count as new (default: each YAML's newest model)")
    .option('--write', 'write the YAML edits (values that follow an upstream, new models)')
    .option('--timeout <ms>', 'download timeout in milliseconds', '30000')
    .addOption(jsonOption())
    .action(async (options: SyncCommandOptions) => {
      const { syncCatalog, syncReportMarkdown } = await loadCatalogTools('catalog sync');
      const out = createOutput(Boolean(options.json));
      const providersDir = options.catalog ? resolve(options.catalog) : findProvidersDir(process.cwd());
      if (!providersDir || !existsSync(providersDir))
        throw new UsageError('catalog folder not found: pass --catalog <dir> (the folder of the provider YAMLs).');
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
        throw new UsageError('--timeout must be a positive number of milliseconds.');
      if (options.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.since))
        throw new UsageError('--since must be a date, YYYY-MM-DD.');
      let result: Awaited<ReturnType<CatalogTools['syncCatalog']>>;
      try {
        result = await syncCatalog({
          providersDir,
          write: Boolean(options.write),
          timeoutMs,
          ...(options.upstream ? { dirs: options.upstream.map((dir) => resolve(dir)) } : {}),
          ...(options.fromModelsDev ? { modelsDev: options.fromModelsDev } : {}),
          ...(options.fromLitellm ? { litellm: options.fromLitellm } : {}),
          ...(options.provider ? { providers: options.provider } : {}),
          ...(options.since ? { newSince: options.since } : {}),
        });
      } catch (error) {
        throw new UsageError(
          `${(error as Error).message}${/download/.test((error as Error).message) ? ' (offline? pass --upstream <dir> or --from-models-dev/--from-litellm <file>)' : ''}`,
        );
      }
      if (out.json) return out.printJson(result);
      out.print(syncReportMarkdown(result));
    });
}
