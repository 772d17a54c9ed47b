import { existsSync } from 'node:fs';
import type { ProviderSpec } from '@switchboard/core';
import { crossCheck, defaultUpstreamDir, loadLiteLLM, loadModelsDev, upstreamPaths } from '@switchboard/core/upstream';
import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { createOutput, UsageError } from '../output.js';
import { jsonOption } from '../program.js';
import { renderTable } from '../table.js';

interface CheckOptions {
  upstream?: string;
  provider?: string[];
  verbose?: boolean;
  json?: boolean;
}

/**
 * `switchboard catalog check`: the catalog against the upstream snapshots (models.dev, LiteLLM):
 * coverage and disagreements on prices and limits, per provider.
 */
export function registerCatalogCheck(program: Command): void {
  const catalogCommand = program.command('catalog').description('maintain the catalog');
  catalogCommand
    .command('check')
    .description('compare the catalog with the upstream snapshots: coverage and price or limit disagreements')
    .option(
      '--upstream <dir>',
      'folder holding models.dev/ and litellm/ (default: $SWITCHBOARD_UPSTREAM_DIR or ../shared/upstream-catalogs)',
    )
    .option('-p, --provider <id...>', 'only these providers')
    .option('-v, --verbose', 'list every missing model and disagreement')
    .addOption(jsonOption())
    .action((options: CheckOptions) => {
      const out = createOutput(Boolean(options.json));
      const dir = options.upstream ?? defaultUpstreamDir(process.cwd()) ?? defaultUpstreamDir(import.meta.dirname);
      if (!dir || !existsSync(dir)) {
        throw new UsageError('upstream catalogs not found: pass --upstream <dir> or set SWITCHBOARD_UPSTREAM_DIR.');
      }
      const paths = upstreamPaths(dir);
      const catalog = loadCatalog();
      const providers = (options.provider ?? catalog.compareProviders().providers.map((p) => p.id)).map((id) =>
        catalog.requireProvider(id),
      );
      const specs: ProviderSpec[] = providers.map((p) => ({ ...p.descriptor, models: [...p.models] }));
      const report = crossCheck(specs, {
        modelsDev: loadModelsDev(paths.modelsDev),
        litellm: loadLiteLLM(paths.litellm),
      });
      if (out.json) return out.printJson({ upstream: dir, providers: report });
      out.print(`upstream: ${dir}\n`);
      out.print(
        renderTable(report, [
          { header: 'PROVIDER', value: (r) => r.provider },
          { header: 'MODELS', value: (r) => String(r.found.length + r.notFound.length), align: 'right' },
          { header: 'FOUND UPSTREAM', value: (r) => String(r.found.length), align: 'right' },
          { header: 'NOT UPSTREAM', value: (r) => String(r.notFound.length), align: 'right' },
          { header: 'MISSING HERE', value: (r) => String(r.missing.length), align: 'right' },
          {
            header: 'PRICE DIFFS',
            value: (r) => String(r.disagreements.filter((d) => d.field.startsWith('pricing')).length),
            align: 'right',
          },
          {
            header: 'LIMIT DIFFS',
            value: (r) => String(r.disagreements.filter((d) => d.field.startsWith('limits')).length),
            align: 'right',
          },
          {
            header: 'UNEXPLAINED',
            value: (r) => String(r.disagreements.filter((d) => d.follows === 'neither').length),
            align: 'right',
          },
        ]),
      );
      if (!options.verbose) {
        out.print('\nrun with --verbose for every missing model and disagreement');
        return;
      }
      for (const r of report) {
        if (r.disagreements.length === 0 && r.missing.length === 0 && r.notFound.length === 0) continue;
        out.print(`\n${r.provider}`);
        for (const d of r.disagreements) {
          out.print(
            `  ${d.model} ${d.field}: yaml ${d.yaml ?? '-'}, models.dev ${d.modelsDev ?? '-'}, litellm ${d.litellm ?? '-'} (follows ${d.follows})`,
          );
        }
        for (const id of r.notFound) out.print(`  ${id}: in neither upstream catalog`);
        for (const m of r.missing) out.print(`  ${m.id} (${m.type}, ${m.source}): upstream, not in the YAML`);
      }
    });
}
