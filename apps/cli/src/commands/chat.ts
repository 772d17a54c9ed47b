import type { ChatResponse, Message } from '@switchboard/core';
import type { Command } from 'commander';
import { parseInteger, parseNumber } from '../arguments.js';
import { loadCatalog } from '../catalog.js';
import { createOutput, UsageError } from '../output.js';
import { jsonOption } from '../program.js';
import { chooseDefaultModel, loadSwitchboard } from '../switchboard.js';
import { formatInteger } from '../table.js';

interface ChatOptions {
  model?: string;
  system?: string;
  stream?: boolean;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
}

/** `switchboard chat "<prompt>"`: one chat call, streamed to the terminal, with usage and cost. */
export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('send one prompt; with no key set it uses a local server if one runs, else the offline mock provider')
    .argument('<prompt>', 'what to ask')
    .option('-m, --model <provider/model>', "the model (default: the first configured provider's default model)")
    .option('-s, --system <text>', 'system message')
    .option('--stream', 'print the answer as it arrives')
    .option('-t, --temperature <value>', 'sampling temperature', parseNumber)
    .option('--max-tokens <count>', 'limit the answer length', parseInteger)
    .addOption(jsonOption())
    .action(async (prompt: string, options: ChatOptions) => {
      const out = createOutput(Boolean(options.json));
      const choice = options.model ? { model: options.model, reason: '' } : await chooseDefaultModel();
      if (!options.json && choice.reason) out.error(`using ${choice.model}: ${choice.reason}`);
      if (options.model) {
        // Fail on a typo before any request, with the closest match.
        const catalog = loadCatalog();
        const slash = options.model.indexOf('/');
        if (slash <= 0)
          throw new UsageError(`--model must be provider/model, e.g. openai/gpt-4o, not "${options.model}".`);
        catalog.requireProvider(options.model.slice(0, slash));
      }
      const messages: Message[] = [];
      if (options.system) messages.push({ role: 'system', content: options.system });
      messages.push({ role: 'user', content: prompt });
      const request = { model: choice.model, messages, temperature: options.temperature, maxTokens: options.maxTokens };
      const sb = loadSwitchboard();

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
      const cost = response.cost ? loadCatalog().formatCost(response.cost.total) : 'no price in the catalog';
      out.error(
        `\n${response.provider}/${response.model}: ${formatInteger(usage.inputTokens)} in, ${formatInteger(usage.outputTokens)} out, ` +
          `${cost}, ${Math.round(response.latencyMs)} ms, finish ${response.finishReason}`,
      );
      for (const warning of response.warnings) out.error(`warning: ${warning}`);
    });
}
