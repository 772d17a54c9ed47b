import type { ModelInfo, ModelType } from '@switchboard/core';
import type { Command } from 'commander';
import { collectFeatures, parseInteger, parseNumber } from '../arguments.js';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, type Output, UsageError } from '../output.js';
import { loadSwitchboard } from '../switchboard.js';
import { formatInteger, formatPrice, renderTable } from '../table.js';

interface ModelsOptions {
  provider?: string[];
  feature?: string[];
  maxCost?: number;
  minContext?: number;
  type?: ModelType | 'any';
  live?: string;
  json?: boolean;
}

/** `switchboard models`: the catalog's models, filtered. */
export function registerModels(program: Command): void {
  program
    .command('models')
    .description('list models, optionally filtered by provider, features, price and context')
    .option('-p, --provider <id...>', 'only these providers')
    .option(
      '-f, --feature <name>',
      'required capability (repeatable, or comma-separated; aliases accepted)',
      collectFeatures,
    )
    .option('--max-cost <usd>', 'maximum blended price per 1M tokens, (3 x input + output) / 4', parseNumber)
    .option('--min-context <tokens>', 'minimum context window (100000 or 100k)', parseInteger)
    .option('--type <type>', 'chat, embedding, ... or any', 'any')
    .option(
      '--live <provider>',
      "ask the provider's server which models it has (Ollama, LM Studio, vLLM, OpenRouter, ...)",
    )
    .addOption(jsonOption())
    .action(async (options: ModelsOptions) => {
      const catalog = await loadCatalog();
      const out = createOutput(Boolean(options.json));
      if (options.live) return listLive(options.live, out);
      for (const id of options.provider ?? []) catalog.requireProvider(id);
      const models = catalog.findModels({
        provider: options.provider,
        features: options.feature,
        maxCostPer1M: options.maxCost,
        minContext: options.minContext,
        type: options.type,
      });
      if (out.json) return out.printJson(models);
      if (models.length === 0) throw new UsageError('no model matches these filters.');
      out.print(modelTable(models));
      out.print(`\n${models.length} models`);
    });
}

/** `models --live <provider>`: what the provider's models endpoint reports right now. */
async function listLive(providerId: string, out: Output): Promise<void> {
  (await loadCatalog()).requireProvider(providerId);
  const listed = await (await loadSwitchboard([providerId])).listModels(providerId);
  if (out.json) return out.printJson(listed.map(({ raw: _raw, ...rest }) => rest));
  if (listed.length === 0) throw new UsageError(`${providerId} reports no models.`);
  out.print(
    renderTable(listed, [
      { header: 'MODEL', value: (m) => `${providerId}/${m.id}` },
      { header: 'NAME', value: (m) => m.name ?? '' },
      { header: 'CONTEXT', value: (m) => formatInteger(m.contextWindow), align: 'right' },
      { header: 'IN $/1M', value: (m) => formatPrice(m.pricing?.input), align: 'right' },
      { header: 'OUT $/1M', value: (m) => formatPrice(m.pricing?.output), align: 'right' },
    ]),
  );
  out.print(`\n${listed.length} models reported by ${providerId}`);
}

/** The table `models` prints; prices are USD per 1M tokens. */
export function modelTable(models: readonly ModelInfo[]): string {
  return renderTable(models, [
    { header: 'MODEL', value: (m) => m.ref },
    { header: 'TYPE', value: (m) => m.type },
    { header: 'STATUS', value: (m) => m.status },
    { header: 'CONTEXT', value: (m) => formatInteger(m.limits.context), align: 'right' },
    { header: 'OUTPUT', value: (m) => formatInteger(m.limits.output), align: 'right' },
    { header: 'IN $/1M', value: (m) => formatPrice(m.pricing?.input), align: 'right' },
    { header: 'OUT $/1M', value: (m) => formatPrice(m.pricing?.output), align: 'right' },
    { header: 'CAPABILITIES', value: (m) => m.capabilities.join(',') },
  ]);
}
