/**
 * The test cache in one line of vitest config: `setupFiles: ['@switchboard/testing/vitest-setup']`.
 * Every switchboard on the default transport in every test then goes through the test cache
 * (`SWITCHBOARD_TEST_CACHE`: `replay` by default, `record`, `refresh`; folder
 * `SWITCHBOARD_TEST_CACHE_DIR`, default `test/switchboard-cache`), keyed by the running test's file
 * and name. Each test's hits, misses, saves and used entries go into its task meta, where
 * `@switchboard/testing/vitest-reporter` adds them up at the end of the run.
 */
import { afterAll, afterEach, expect } from 'vitest';
import { testCacheDir } from './test-cache/last-run.js';
import { TEST_CACHE_META, type TestCacheMeta } from './test-cache/meta.js';
import { createTestCache } from './test-cache/test-cache.js';

const cache = createTestCache({
  dir: testCacheDir(),
  currentTest: () => {
    const state = expect.getState();
    return { file: state.testPath ?? 'unknown-test-file', name: state.currentTestName };
  },
});
const installation = cache.install();
const counted = { hits: 0, misses: 0, saves: 0 };

afterEach(({ task }) => {
  const { hits, misses, saves } = cache.stats;
  const meta: TestCacheMeta = {
    mode: cache.mode,
    dir: cache.dir,
    hits: hits - counted.hits,
    misses: misses - counted.misses,
    saves: saves - counted.saves,
    entries: cache.usedEntries(),
  };
  Object.assign(counted, cache.stats);
  (task.meta as Record<string, unknown>)[TEST_CACHE_META] = meta;
});

afterAll(() => installation.uninstall());
