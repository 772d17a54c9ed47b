import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { createOutput } from '../output.js';
import { jsonOption } from '../program.js';
import { formatInteger, formatPrice } from '../table.js';

/** `switchboard model <provider/model>`: everything the catalog knows about one model. */
export function registerModel(program: Command): void {
  program
    .command('model')
    .description('show one model: limits, prices, capabilities, dates and sources')
    .argument('<model>', 'provider/model (aliases and dated snapshots accepted)')
    .addOption(jsonOption())
    .action((reference: string, options: { json?: boolean }) => {
      const catalog = loadCatalog();
      const out = createOutput(Boolean(options.json));
      const model = catalog.requireModel(reference);
      if (out.json) return out.printJson(model);
      const pricing = model.pricing;
      const lines: [string, string | undefined][] = [
        ['model', model.ref],
        ['name', model.name],
        ['type', model.type],
        [
          'status',
          [
            model.status,
            model.deprecated && `deprecated ${model.deprecated}`,
            model.retires && `retires ${model.retires}`,
          ]
            .filter(Boolean)
            .join(', '),
        ],
        ['aliases', model.aliases?.join(', ')],
        ['family', model.family],
        ['released', model.released],
        ['knowledge', model.knowledge],
        ['context', formatInteger(model.limits.context)],
        ['max input', model.limits.input === undefined ? undefined : formatInteger(model.limits.input)],
        ['max output', formatInteger(model.limits.output)],
        ['input', model.modalities.input.join(', ')],
        ['output', model.modalities.output.join(', ')],
        ['capabilities', model.capabilities.join(', ')],
        ['price in', pricing && `${formatPrice(pricing.input)} / 1M tokens`],
        ['price out', pricing && `${formatPrice(pricing.output)} / 1M tokens`],
        ['cache read', pricing?.cacheRead === undefined ? undefined : `${formatPrice(pricing.cacheRead)} / 1M tokens`],
        [
          'cache write',
          pricing?.cacheWrite === undefined ? undefined : `${formatPrice(pricing.cacheWrite)} / 1M tokens`,
        ],
        [
          'price tiers',
          pricing?.tiers
            ?.map((t) => `above ${formatInteger(t.above)}: in ${formatPrice(t.input)}, out ${formatPrice(t.output)}`)
            .join('; '),
        ],
        ['embedding', model.embedding && `${model.embedding.dimensions} dimensions`],
        ['open weights', model.openWeights === undefined ? undefined : model.openWeights ? 'yes' : 'no'],
        [
          'source',
          model.source &&
            [model.source.follows && `follows ${model.source.follows}`, model.source.notes].filter(Boolean).join('; '),
        ],
      ];
      const width = Math.max(...lines.map(([label]) => label.length));
      for (const [label, value] of lines) if (value) out.print(`${label.padEnd(width)}  ${value}`);
    });
}
