/**
 * What the vitest setup file hands the reporter for each test, through vitest's task meta (the
 * channel vitest itself serialises from its workers to the main process).
 */
import type { TestCacheMode } from './cache-mode.js';

/** The task-meta key. */
export const TEST_CACHE_META = 'switchboardTestCache';

/** One test's share of the test cache's work. */
export interface TestCacheMeta {
  mode: TestCacheMode;
  /** The absolute cache folder. */
  dir: string;
  hits: number;
  misses: number;
  saves: number;
  /** Entries used so far in this test file (relative to `dir`). */
  entries: string[];
}
