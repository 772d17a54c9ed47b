import { SwitchboardError } from '@switchboard/core';
import { Command, CommanderError } from 'commander';
import { registerCatalogCheck } from './commands/catalog-check.js';
import { registerChat } from './commands/chat.js';
import { registerCompare } from './commands/compare.js';
import { registerCost } from './commands/cost.js';
import { registerDemo } from './commands/demo.js';
import { registerFixtures } from './commands/fixtures.js';
import { registerModel } from './commands/model.js';
import { registerModels } from './commands/models.js';
import { registerProviderFile } from './commands/provider-file.js';
import { registerProviders } from './commands/providers.js';
import { registerRecommend } from './commands/recommend.js';
import { ReportedFailure, UsageError } from './output.js';

/** Builds the `switchboard` command tree. Exported for tests that want to parse without spawning. */
export function buildProgram(): Command {
  const program = new Command('switchboard')
    .description(
      'One client for every LLM provider: chat, and query the model catalog (providers, models, recommendations, prices).',
    )
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (text, write) => write(text) });
  registerProviders(program);
  registerProviderFile(program);
  registerModels(program);
  registerModel(program);
  registerRecommend(program);
  registerCompare(program);
  registerCost(program);
  registerCatalogCheck(program);
  registerChat(program);
  registerDemo(program);
  registerFixtures(program);
  return program;
}

/** Runs the CLI and returns the exit code; errors become one clear line, never a stack trace. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (with "Did you mean ...?" for near misses).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof ReportedFailure) return 1;
    if (error instanceof UsageError || error instanceof SwitchboardError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
