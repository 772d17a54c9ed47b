import { effectiveStatus, nextPriceChange, priceInForce } from '@switchboard/core';
import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput } from '../output.js';
import { formatInteger, formatPrice } from '../table.js';

/** `switchboard model <provider/model>`: everything the catalog knows about one model. */
export function registerModel(program: Command): void {
  program
    .command('model')
    .description('show one model: limits, prices, capabilities, dates and sources')
    .argument('<model>', 'provider/model (aliases and dated snapshots accepted)')
    .addOption(jsonOption())
    .action(async (reference: string, options: { json?: boolean }) => {
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      const model = catalog.requireModel(reference);
      const pricing = model.pricing;
      const change = nextPriceChange(pricing);
      if (out.json) return out.printJson(change === undefined ? model : { ...model, priceChange: change });
      const status = effectiveStatus(model);
      const now = pricing && priceInForce(pricing);
      const lines: [string, string | undefined][] = [
        ['model', model.ref],
        ['name', model.name],
        ['type', model.type],
        [
          'status',
          [
            status,
            model.deprecated && `deprecated ${model.deprecated}`,
            model.retires && `${status === 'retired' ? 'retired' : 'retires'} ${model.retires}`,
            model.replacedBy && `replaced by ${model.provider}/${model.replacedBy}`,
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
          'price now',
          now && now.kind !== 'regular'
            ? `${formatPrice(now.pricing.input)} in / ${formatPrice(now.pricing.output)} out per 1M (${now.window ?? now.kind}${now.source ? `, source: ${now.source}` : ''})`
            : undefined,
        ],
        ['price change', change && `${change.at.slice(0, 16).replace('T', ' ')} UTC: ${change.description}`],
        [
          'time-bound',
          pricing?.timeBound
            ?.map(
              (price) =>
                `${price.kind} ${price.from ?? '…'} to ${price.until ?? '…'}: in ${formatPrice(price.input)}, out ${formatPrice(price.output)}`,
            )
            .join('; '),
        ],
        [
          'time of day',
          pricing?.timeOfDay &&
            `${pricing.timeOfDay.windows
              .map(
                (window) =>
                  `${window.name} ${window.start}-${window.end}${window.days ? ` ${window.days.join(',')}` : ''}: in ${formatPrice(window.input)}, out ${formatPrice(window.output)}`,
              )
              .join('; ')} (${pricing.timeOfDay.timeZone})`,
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
