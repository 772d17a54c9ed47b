/**
 * The test cache's mode, from `SWITCHBOARD_TEST_CACHE` or an option. Unset means replay-only, so CI
 * (where no key is set) never calls a provider: a request without a recording is an error there.
 */

/** The environment variable that chooses the mode. */
export const TEST_CACHE_VARIABLE = 'SWITCHBOARD_TEST_CACHE';

/**
 * - `replay` (default): answer from the files only; a request without a recording fails.
 * - `record`: answer from the files, and send what they do not hold to the provider, recording it.
 * - `refresh`: send every request to the provider and rewrite each test's file from scratch.
 */
export type TestCacheMode = 'replay' | 'record' | 'refresh';

const MODES: readonly TestCacheMode[] = ['replay', 'record', 'refresh'];

/** The mode an explicit option or the environment asks for; a misspelt value is an error naming the variable. */
export function testCacheMode(value: string | undefined = process.env[TEST_CACHE_VARIABLE]): TestCacheMode {
  if (value === undefined || value === '') return 'replay';
  if ((MODES as readonly string[]).includes(value)) return value as TestCacheMode;
  throw new Error(`${TEST_CACHE_VARIABLE} must be one of ${MODES.join(', ')} (got ${JSON.stringify(value)})`);
}
