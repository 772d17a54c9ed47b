import { resolve } from 'node:path';
import type { ProviderSpec } from '@switchboard/core';
import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { renderTable } from '../table.js';
import { registerCatalogSync } from './catalog-sync.js';
import { type CatalogTools, loadCatalogTools } from './catalog-tools.js';

interface CheckOptions {
  upstream?: string[];
  fromModelsDev?: string;
  fromLitellm?: string;
  provider?: string[];
  verbose?: boolean;
  json?: boolean;
}

/**
 * `switchboard catalog check`: the catalog against the upstream snapshots (models.dev, LiteLLM):
 * coverage and disagreements on prices and limits, per provider.
 */
export function registerCatalogCheck(program: Command): void {
  const catalogCommand = program
    .command('catalog')
    .description('maintain the catalog (maintainers: runs in a checkout of the Switchboard repository)');
  catalogCommand
    .command('check')
    .description('compare the catalog with the upstream snapshots: coverage and price or limit disagreements')
    .option(
      '--upstream <dir...>',
      'snapshot folders: models.dev/, litellm/ and models.dev-* TOML trees (default: $SWITCHBOARD_UPSTREAM_DIR, else download)',
    )
    .option('--from-models-dev <url|file>', "models.dev's api.json instead of https://models.dev/api.json")
    .option('--from-litellm <url|file>', "LiteLLM's cost map instead of its GitHub raw URL")
    .option('-p, --provider <id...>', 'only these providers')
    .option('-v, --verbose', 'list every missing model and disagreement')
    .addOption(jsonOption())
    .action(async (options: CheckOptions) => {
      const { compareWithUpstream, crossCheck, describeSource, loadUpstream, priceAgreement } =
        await loadCatalogTools('catalog check');
      const out = createOutput(Boolean(options.json));
      // Never a path relative to this installation: --upstream, the environment, or the public URLs.
      const dirs =
        options.upstream ?? (process.env.SWITCHBOARD_UPSTREAM_DIR ? [process.env.SWITCHBOARD_UPSTREAM_DIR] : []);
      let upstream: Awaited<ReturnType<CatalogTools['loadUpstream']>>;
      try {
        upstream = await loadUpstream({
          dirs: dirs.map((dir) => resolve(dir)),
          ...(options.fromModelsDev ? { modelsDev: options.fromModelsDev } : {}),
          ...(options.fromLitellm ? { litellm: options.fromLitellm } : {}),
        });
      } catch (error) {
        throw new UsageError(
          `${(error as Error).message}. Pass --upstream <dir> (a folder with models.dev/ and litellm/ snapshots) or --from-models-dev/--from-litellm <url|file>.`,
        );
      }
      const catalog = await loadCatalog();
      const providers = (options.provider ?? catalog.compareProviders().providers.map((p) => p.id)).map((id) =>
        catalog.requireProvider(id),
      );
      const specs: ProviderSpec[] = providers.map((p) => ({ ...p.descriptor, models: [...p.models] }));
      const report = crossCheck(specs, { modelsDev: upstream.modelsDev, litellm: upstream.litellm });
      const changes = compareWithUpstream(specs, upstream);
      const priced = new Set(
        [...upstream.modelsDev, ...upstream.litellm]
          .filter((model) => model.pricing)
          .map((model) => `${model.source}|${model.key ?? model.id}`),
      );
      const agreements = priceAgreement(specs, report, (_provider, source, id) => priced.has(`${source}|${id}`));
      const agreementOf = (provider: string) => agreements.find((a) => a.provider === provider);
      const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`);
      const statusOf = (provider: string) => changes.find((c) => c.provider === provider);
      if (out.json)
        return out.printJson({
          upstream: upstream.locations,
          upstreamSource: describeLocations(upstream.locations),
          providers: report.map((r) => ({
            ...r,
            coverage: agreementOf(r.provider)?.coverage,
            priceAgreement: {
              modelsDev: agreementOf(r.provider)?.modelsDev,
              litellm: agreementOf(r.provider)?.litellm,
            },
            statusChanges: statusOf(r.provider)?.statusChanges ?? [],
            expiringPrices: statusOf(r.provider)?.expiringPrices ?? [],
          })),
        });
      out.print(`upstream: ${describeLocations(upstream.locations)}\n`);
      out.print(
        renderTable(report, [
          { header: 'PROVIDER', value: (r) => r.provider },
          { header: 'MODELS', value: (r) => String(r.found.length + r.notFound.length), align: 'right' },
          { header: 'FOUND UPSTREAM', value: (r) => String(r.found.length), align: 'right' },
          {
            header: 'COVERAGE',
            value: (r) => percent(r.found.length, r.found.length + r.notFound.length),
            align: 'right',
          },
          {
            header: 'PRICE = MODELS.DEV',
            value: (r) => {
              const a = agreementOf(r.provider)?.modelsDev ?? { agreeing: 0, compared: 0 };
              return `${a.agreeing}/${a.compared} ${percent(a.agreeing, a.compared)}`;
            },
            align: 'right',
          },
          {
            header: 'PRICE = LITELLM',
            value: (r) => {
              const a = agreementOf(r.provider)?.litellm ?? { agreeing: 0, compared: 0 };
              return `${a.agreeing}/${a.compared} ${percent(a.agreeing, a.compared)}`;
            },
            align: 'right',
          },
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
          {
            header: 'STATUS CHANGES',
            value: (r) => String(statusOf(r.provider)?.statusChanges.length ?? 0),
            align: 'right',
          },
          {
            header: 'PRICES ENDING',
            value: (r) => String(statusOf(r.provider)?.expiringPrices.length ?? 0),
            align: 'right',
          },
        ]),
      );
      const notices = changes.flatMap((c) => [
        ...c.statusChanges.map((s) => {
          const extra = [s.date && `on ${s.date}`, s.replacedBy && `replaced by ${s.replacedBy}`]
            .filter(Boolean)
            .join(', ');
          const source = s.source === 'yaml' ? "the YAML's own dates" : describeSource(s.source);
          return `  ${c.provider}/${s.model}: ${s.kind}${extra ? ` (${extra})` : ''}, YAML says ${s.yamlStatus} (${source})`;
        }),
        ...c.expiringPrices.map(
          (p) =>
            `  ${c.provider}/${p.model}: ${p.kind ? `${p.kind} price` : 'price'} at ${p.path} ends ${p.until} (within 30 days)`,
        ),
      ]);
      if (notices.length > 0) out.print(`\nstatus changes and prices ending soon:\n${notices.join('\n')}`);
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
  registerCatalogSync(catalogCommand);
}

/** Says where the upstream facts came from: folders and files read, or URLs downloaded. */
export function describeLocations(locations: readonly string[]): string {
  const downloaded = locations.filter((location) => /^https?:\/\//.test(location));
  const read = locations.filter((location) => !downloaded.includes(location));
  return [
    ...(read.length > 0 ? [`read from ${read.join(', ')}`] : []),
    ...(downloaded.length > 0 ? [`downloaded from ${downloaded.join(', ')}`] : []),
  ].join('; ');
}
