import type { ChatResponse, Message } from '@switchboard/core';
import type { Command } from 'commander';
import { parseInteger, parseNumber } from '../arguments.js';
import { loadCatalog } from '../catalog.js';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';
import { chooseDefaultModel, loadSwitchboard, mockModel, providerOf } from '../switchboard.js';
import { formatInteger } from '../table.js';

interface ChatOptions {
  model?: string;
  system?: string;
  stream?: boolean;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
  offline?: boolean;
}

/** `switchboard chat "<prompt>"`: one chat call, streamed to the terminal, with usage and cost. */
export function registerChat(program: Command): void {
  program
    .command('chat')
    .description(
      'send one prompt to the first configured provider (a key in the environment, else a local server); --offline for the mock',
    )
    .argument('<prompt>', 'what to ask')
    .option('-m, --model <provider/model>', "the model (default: the first configured provider's default model)")
    .option('-s, --system <text>', 'system message')
    .option('--stream', 'print the answer as it arrives')
    .option('-t, --temperature <value>', 'sampling temperature', parseNumber)
    .option('--max-tokens <count>', 'limit the answer length', parseInteger)
    .option('--offline', 'answer from the offline mock provider (no key, no network)')
    .addOption(jsonOption())
    .action(async (prompt: string, options: ChatOptions) => {
      const out = createOutput(Boolean(options.json));
      if (options.offline && options.model && providerOf(options.model) !== 'mock')
        throw new UsageError(
          `--offline answers from the mock provider; it cannot be combined with --model ${options.model}.`,
        );
      const choice = options.model
        ? { model: options.model, reason: '' }
        : options.offline
          ? { model: await mockModel(), reason: '--offline: this is the offline mock provider' }
          : await chooseDefaultModel();
      if (!options.json && choice.reason) out.error(`using ${choice.model}: ${choice.reason}`);
      // Fail on a typo before any request, with the closest match.
      const providerId = providerOf(choice.model);
      const catalog = await loadCatalog();
      catalog.requireProvider(providerId);
      const messages: Message[] = [];
      if (options.system) messages.push({ role: 'system', content: options.system });
      messages.push({ role: 'user', content: prompt });
      const request = { model: choice.model, messages, temperature: options.temperature, maxTokens: options.maxTokens };
      const sb = await loadSwitchboard([providerId]);

      let response: ChatResponse;
      if (options.stream) {
        const stream = sb.stream(request);
        for await (const event of stream) {
          if (event.type === 'text-delta' && !out.json) process.stdout.write(event.text);
          if (event.type === 'error') {
            if (!out.json) process.stdout.write('\n');
            throw event.error;
          }
        }
        response = await stream.response;
        if (!out.json) process.stdout.write('\n');
      } else {
        response = await sb.chat(request);
        if (!out.json) out.print(response.text);
      }
      if (out.json) {
        const { raw: _raw, ...rest } = response;
        return out.printJson(rest);
      }
      const usage = response.usage;
      const cost = response.cost ? catalog.formatCost(response.cost.total) : 'no price in the catalog';
      out.error(
        `\n${response.provider}/${response.model}: ${formatInteger(usage.inputTokens)} in, ${formatInteger(usage.outputTokens)} out, ` +
          `${cost}, ${Math.round(response.latencyMs)} ms, finish ${response.finishReason}`,
      );
      for (const warning of response.warnings) out.error(`warning: ${warning}`);
    });
}
