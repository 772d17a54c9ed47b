import type { Command } from 'commander';
import { jsonOption } from '../json-option.js';
import { createOutput, UsageError } from '../output.js';

interface CleanOptions {
  dir?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `switchboard fixtures clean`: removes the test-cache recordings no test used in the last run
 * (read from the manifest `@switchboard/testing`'s vitest reporter writes). Entries of test files
 * the last run did not include are kept, so a partial run never deletes other tests' recordings.
 */
export function registerFixtures(program: Command): void {
  const fixtures = program.command('fixtures').description("maintain @switchboard/testing's test-cache recordings");
  fixtures
    .command('clean')
    .description('remove recordings no test used in the last test run (see the .last-run.json manifest)')
    .option('--dir <dir>', 'the test-cache folder (default: $SWITCHBOARD_TEST_CACHE_DIR or test/switchboard-cache)')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .addOption(jsonOption())
    .action(async (options: CleanOptions) => {
      const out = createOutput(Boolean(options.json));
      // Loaded here: the testing package (MSW, undici) is not part of any other command's start-up.
      const { cleanTestCache, testCacheDir } = await import('@switchboard/testing');
      const dir = testCacheDir(options.dir);
      let result: ReturnType<typeof cleanTestCache>;
      try {
        result = cleanTestCache(dir, { dryRun: Boolean(options.dryRun) });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (out.json) return out.printJson({ dir, dryRun: Boolean(options.dryRun), ...result });
      const verb = options.dryRun ? 'would remove' : 'removed';
      for (const entry of result.removed) out.print(`${verb} ${entry}`);
      out.print(`${verb} ${result.removed.length} unused recording(s), kept ${result.kept} in ${dir}`);
    });
}
