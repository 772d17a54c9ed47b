import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { formatInteger, formatPrice, renderTable } from '../table.js';

/** `switchboard compare a b ...`: models side by side. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare models side by side: limits, prices, capabilities, quality and speed')
    .argument('<models...>', 'two or more provider/model references')
    .addOption(jsonOption())
    .action(async (references: string[], options: { json?: boolean }) => {
      if (references.length < 2) throw new UsageError('compare needs at least two models.');
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      for (const reference of references) catalog.requireModel(reference);
      const comparison = catalog.compareModels(references);
      if (out.json) return out.printJson(comparison);
      type Row = { label: string; values: string[] };
      const entries = comparison.models;
      const rows: Row[] = [
        { label: 'context', values: entries.map((e) => formatInteger(e.context)) },
        { label: 'max output', values: entries.map((e) => formatInteger(e.maxOutput)) },
        { label: 'input $/1M', values: entries.map((e) => formatPrice(e.inputPrice)) },
        { label: 'output $/1M', values: entries.map((e) => formatPrice(e.outputPrice)) },
        { label: 'blended $/1M', values: entries.map((e) => formatPrice(e.blendedPricePer1M)) },
        {
          label: 'quality',
          values: entries.map((e) => `${Math.round(e.quality.score)}${e.quality.derived ? ' (derived)' : ''}`),
        },
        { label: 'speed', values: entries.map((e) => e.speed.tier) },
      ];
      for (const [capability, byRef] of Object.entries(comparison.capabilities)) {
        rows.push({ label: capability, values: entries.map((e) => (byRef?.[e.ref] ? 'yes' : '-')) });
      }
      out.print(
        renderTable(rows, [
          { header: '', value: (row) => row.label },
          ...entries.map((entry, index) => ({ header: entry.ref, value: (row: Row) => row.values[index] ?? '' })),
        ]),
      );
      if (comparison.cheapest) out.print(`\ncheapest: ${comparison.cheapest}`);
      if (comparison.largestContext) out.print(`largest context: ${comparison.largestContext}`);
    });
}
