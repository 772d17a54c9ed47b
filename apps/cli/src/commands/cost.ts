import type { Command } from 'commander';
import { parseInteger } from '../arguments.js';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { formatInteger } from '../table.js';

interface CostOptions {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  json?: boolean;
}

/** `switchboard cost <model> --input N --output N`: what a call would cost, part by part. */
export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('price a call: input, output, cache and reasoning tokens, with context tiers')
    .argument('<model>', 'provider/model')
    .requiredOption('-i, --input <tokens>', 'input tokens, cached ones included', parseInteger)
    .requiredOption('-o, --output <tokens>', 'output tokens, reasoning included', parseInteger)
    .option('--cache-read <tokens>', 'input tokens read from the prompt cache', parseInteger)
    .option('--cache-write <tokens>', 'input tokens written to the prompt cache', parseInteger)
    .option('--reasoning <tokens>', 'output tokens spent on reasoning', parseInteger)
    .addOption(jsonOption())
    .action(async (reference: string, options: CostOptions) => {
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      const model = catalog.requireModel(reference);
      const usage = {
        inputTokens: options.input,
        outputTokens: options.output,
        cacheReadTokens: options.cacheRead,
        cacheWriteTokens: options.cacheWrite,
        reasoningTokens: options.reasoning,
      };
      if ((usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0) > usage.inputTokens) {
        throw new UsageError(
          '--cache-read plus --cache-write cannot exceed --input (input tokens include cached ones).',
        );
      }
      if ((usage.reasoningTokens ?? 0) > usage.outputTokens) {
        throw new UsageError('--reasoning cannot exceed --output (output tokens include reasoning).');
      }
      const cost = catalog.calculateCost(model.ref, usage);
      if (!cost) throw new UsageError(`the catalog has no price for ${model.ref}.`);
      if (out.json) return out.printJson({ model: model.ref, usage, cost });
      out.print(`${model.ref}: ${formatInteger(usage.inputTokens)} in, ${formatInteger(usage.outputTokens)} out`);
      const parts: [string, number][] = [
        ['input', cost.input],
        ['cache read', cost.cacheRead],
        ['cache write', cost.cacheWrite],
        ['output', cost.output],
        ['reasoning', cost.reasoning],
      ];
      for (const [label, value] of parts) if (value) out.print(`  ${label.padEnd(11)} ${catalog.formatCost(value)}`);
      out.print(`  ${'total'.padEnd(11)} ${catalog.formatCost(cost.total)} ${cost.currency}`);
    });
}
