import type { Command } from 'commander';
import { collectFeatures, parseInteger, parseNumber } from '../arguments.js';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { formatInteger, formatPrice } from '../table.js';

interface RecommendOptions {
  features?: string[];
  minContext?: number;
  maxCost?: number;
  minQuality?: number;
  speed?: 'fast' | 'balanced' | 'any';
  preferLocal?: boolean;
  preferOpenWeights?: boolean;
  preferFree?: boolean;
  exclude?: string[];
  provider?: string[];
  limit: number;
  json?: boolean;
}

/** `switchboard recommend`: the best models for a set of requirements, with the reasons. */
export function registerRecommend(program: Command): void {
  program
    .command('recommend')
    .description('recommend models for required features, context and budget, with a score and reasons')
    .option(
      '-f, --features <names>',
      'required capabilities, comma-separated or repeated (aliases accepted)',
      collectFeatures,
    )
    .option('--min-context <tokens>', 'minimum context window (100000 or 100k)', parseInteger)
    .option('--max-cost <usd>', 'maximum blended price per 1M tokens, (3 x input + output) / 4', parseNumber)
    .option('--min-quality <score>', 'minimum quality score, 0-100', parseNumber)
    .option('--speed <preference>', 'fast, balanced or any', 'any')
    .option('--prefer-local', 'rank models that run on this machine higher')
    .option('--prefer-open-weights', 'rank open-weights models higher')
    .option('--prefer-free', 'rank free models higher')
    .option('-p, --provider <id...>', 'only these providers')
    .option('--exclude <refs...>', 'leave out models, providers or globs (openai/*, *-preview)')
    .option('-n, --limit <count>', 'how many to show', parseInteger, 5)
    .addOption(jsonOption())
    .action(async (options: RecommendOptions) => {
      if (!['fast', 'balanced', 'any'].includes(options.speed ?? 'any')) {
        throw new UsageError(`--speed must be fast, balanced or any, not "${options.speed}".`);
      }
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      const results = catalog.recommendModels({
        features: options.features,
        minContext: options.minContext,
        maxCostPer1M: options.maxCost,
        minQuality: options.minQuality,
        speed: options.speed,
        preferLocal: options.preferLocal,
        preferOpenWeights: options.preferOpenWeights,
        preferFree: options.preferFree,
        provider: options.provider,
        exclude: options.exclude,
        limit: options.limit,
      });
      if (out.json) {
        return out.printJson(
          results.map((r) => ({
            ref: r.model.ref,
            score: r.score,
            reasons: r.reasons,
            quality: r.quality,
            speed: r.speed,
            blendedPricePer1M: r.blendedPricePer1M,
            model: r.model,
          })),
        );
      }
      if (results.length === 0)
        throw new UsageError('no model meets these requirements; relax --max-cost, --min-context or --features.');
      results.forEach((r, index) => {
        out.print(
          `${index + 1}. ${r.model.ref}  score ${r.score.toFixed(1)}  context ${formatInteger(r.model.limits.context)}  ` +
            `${r.model.pricing ? `${formatPrice(r.model.pricing.input)} in / ${formatPrice(r.model.pricing.output)} out per 1M` : 'no price listed'}`,
        );
        for (const reason of r.reasons) out.print(`     - ${reason}`);
      });
    });
}
