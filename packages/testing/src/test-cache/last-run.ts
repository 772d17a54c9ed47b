/**
 * The used-entries manifest of the last test run, and `clean`, which removes the recordings no test
 * used. The manifest lists the test files that ran and the entries they used, so a partial run
 * (`vitest run one.test.ts`) only ever cleans the entries of the files it ran; entries of a test
 * file that no longer exists are removed too.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestCacheMode } from './cache-mode.js';
import type { TestCacheStats } from './test-cache.js';

/** The manifest's name inside the cache folder. */
export const LAST_RUN_FILE = '.last-run.json';

/** The environment variable naming the cache folder (default {@link DEFAULT_TEST_CACHE_DIR}). */
export const TEST_CACHE_DIR_VARIABLE = 'SWITCHBOARD_TEST_CACHE_DIR';

/** Where recordings live when nothing else is said, relative to the working directory. */
export const DEFAULT_TEST_CACHE_DIR = 'test/switchboard-cache';

/** The cache folder: an explicit one, else `SWITCHBOARD_TEST_CACHE_DIR`, else the default (absolute). */
export function testCacheDir(dir?: string): string {
  return resolve(dir ?? process.env[TEST_CACHE_DIR_VARIABLE] ?? DEFAULT_TEST_CACHE_DIR);
}

/** What one run did, written by the vitest reporter. */
export interface LastRun {
  mode: TestCacheMode;
  /** The folder test files are named from (the vitest root). */
  root: string;
  /** Test files that ran, relative to `root`, `/`-separated. */
  testFiles: string[];
  /** Entries that served or recorded something, relative to the cache folder. */
  entries: string[];
  stats: TestCacheStats;
}

/** Writes the manifest into the cache folder (when the folder exists: a run that recorded nothing leaves no trace). */
export function writeLastRun(dir: string, run: LastRun): string | undefined {
  if (!existsSync(dir)) return undefined;
  const file = join(dir, LAST_RUN_FILE);
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}

/** Reads the manifest; a clear error when no run has written one. */
export function readLastRun(dir: string): LastRun {
  const file = join(dir, LAST_RUN_FILE);
  if (!existsSync(file))
    throw new Error(
      `No test run is recorded in ${file}: run the tests once with @switchboard/testing's vitest reporter, then clean.`,
    );
  return JSON.parse(readFileSync(file, 'utf8')) as LastRun;
}

function entryFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const item of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? item.name : `${prefix}/${item.name}`;
    if (item.isDirectory()) out.push(...entryFiles(dir, path));
    else if (item.name.endsWith('.json') && path !== LAST_RUN_FILE) out.push(path);
  }
  return out;
}

function removeEmptyFolders(dir: string, prefix: string): void {
  const parts = prefix.split('/');
  for (let depth = parts.length; depth > 0; depth -= 1) {
    const folder = join(dir, ...parts.slice(0, depth));
    if (readdirSync(folder).length > 0) return;
    rmdirSync(folder);
  }
}

/** What `cleanTestCache` removed and kept. */
export interface CleanResult {
  removed: string[];
  kept: number;
}

/**
 * Removes every entry no test used in the last run: entries of test files that ran but did not use
 * them, and entries of test files that no longer exist. With `dryRun`, only lists them.
 */
export function cleanTestCache(dir: string, options: { dryRun?: boolean } = {}): CleanResult {
  const run = readLastRun(dir);
  const used = new Set(run.entries);
  const ran = new Set(run.testFiles);
  const removed: string[] = [];
  let kept = 0;
  for (const entry of entryFiles(dir)) {
    const testFile = entry.split('/').slice(1, -1).join('/');
    const unused = !used.has(entry) && (ran.has(testFile) || !existsSync(join(run.root, testFile)));
    if (!unused) {
      kept += 1;
      continue;
    }
    removed.push(entry);
    if (options.dryRun) continue;
    rmSync(join(dir, ...entry.split('/')));
    removeEmptyFolders(dir, entry.split('/').slice(0, -1).join('/'));
  }
  return { removed, kept };
}
