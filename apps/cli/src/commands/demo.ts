import type { Command } from 'commander';
import { loadCatalog } from '../catalog.js';
import { createOutput } from '../output.js';
import { chooseDefaultModel, loadSwitchboard, providerOf } from '../switchboard.js';
import { formatInteger, formatPrice } from '../table.js';

/**
 * `switchboard demo`: the README's main job. Needs no API key: a streamed chat on the first configured
 * provider (a local server when one runs, else the offline mock provider), then the catalog: what is
 * installed, a recommendation with its reasons, and the price of a call.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('a streamed chat and a tour of the catalog; no API key needed')
    .option('--prompt <text>', 'what to ask', 'In one sentence: why does one API over many LLM providers help?')
    .action(async (options: { prompt: string }) => {
      const catalog = await loadCatalog();
      const out = createOutput(false);
      // The demo needs no key: with nothing configured it falls back to the mock provider and says so here.
      const choice = await chooseDefaultModel({ fallbackToMock: true });
      out.print(`Chat with ${choice.model} (${choice.reason})\n> ${options.prompt}`);
      const stream = (await loadSwitchboard([providerOf(choice.model)])).stream({
        model: choice.model,
        messages: [{ role: 'user', content: options.prompt }],
        maxTokens: 200,
      });
      for await (const event of stream) {
        if (event.type === 'text-delta') process.stdout.write(event.text);
        if (event.type === 'error') throw event.error;
      }
      const response = await stream.response;
      out.print(
        `\n[${formatInteger(response.usage.inputTokens)} tokens in, ${formatInteger(response.usage.outputTokens)} out, ` +
          `${response.cost ? catalog.formatCost(response.cost.total) : 'no price listed'}, finish ${response.finishReason}]\n`,
      );

      const providers = catalog.compareProviders().providers;
      const modelCount = providers.reduce((sum, p) => sum + p.modelCount, 0);
      out.print(`Switchboard catalog: ${providers.length} providers, ${modelCount} models.\n`);

      const request = { features: ['vision', 'tool_use'], minContext: 100_000, maxCostPer1M: 5, limit: 3 };
      out.print('Recommend: vision + tools, context >= 100,000, blended price <= $5 per 1M tokens');
      for (const [index, r] of catalog.recommendModels(request).entries()) {
        out.print(`  ${index + 1}. ${r.model.ref} (score ${r.score.toFixed(1)}): ${r.reasons.slice(0, 3).join('; ')}`);
      }

      const ref = catalog.defaultModel('openai')?.ref ?? catalog.listModels()[0]?.ref;
      if (ref) {
        const model = catalog.requireModel(ref);
        const cost = catalog.calculateCost(ref, { inputTokens: 12_000, outputTokens: 800, cacheReadTokens: 8_000 });
        out.print(
          `\nA call to ${ref} (${formatPrice(model.pricing?.input)} in / ${formatPrice(model.pricing?.output)} out per 1M) ` +
            `with 12,000 input tokens (8,000 cached) and 800 output tokens costs ${cost ? catalog.formatCost(cost) : 'an unknown amount'}.`,
        );
      }
      out.print(
        '\nTry: switchboard models --feature vision --max-cost 1 | switchboard recommend --features tools --prefer-local',
      );
    });
}
