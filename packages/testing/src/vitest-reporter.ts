/**
 * The test cache's vitest reporter: `reporters: ['default', '@switchboard/testing/vitest-reporter']`.
 * At the end of a run it prints one line (hits, misses, saves) and writes the used-entries manifest
 * (`<cache folder>/.last-run.json`) that `switchboard fixtures clean` reads.
 */
import { relative, sep } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { type LastRun, writeLastRun } from './test-cache/last-run.js';
import { TEST_CACHE_META, type TestCacheMeta } from './test-cache/meta.js';

/** Options of {@link TestCacheReporter}. */
export interface TestCacheReporterOptions {
  /** Where the summary goes (default: vitest's logger). */
  print?: (line: string) => void;
}

/** Adds up the test cache's meta of every test, prints it and writes the manifest. */
export default class TestCacheReporter implements Reporter {
  private root = process.cwd();
  private print: (line: string) => void;

  constructor(private readonly options: TestCacheReporterOptions = {}) {
    this.print = options.print ?? ((line) => process.stdout.write(`${line}\n`));
  }

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    if (this.options.print === undefined) this.print = (line) => vitest.logger.log(line);
  }

  /** The run's totals and the cache folder, or undefined when no test went through the setup file. */
  summarize(testModules: ReadonlyArray<TestModule>): { run: LastRun; dir: string } | undefined {
    let run: LastRun | undefined;
    let dir = '';
    const entries = new Set<string>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = (test.meta() as Record<string, unknown>)[TEST_CACHE_META] as TestCacheMeta | undefined;
        if (meta === undefined) continue;
        run ??= {
          mode: meta.mode,
          root: this.root,
          testFiles: [],
          entries: [],
          stats: { hits: 0, misses: 0, saves: 0 },
        };
        dir = meta.dir;
        run.stats.hits += meta.hits;
        run.stats.misses += meta.misses;
        run.stats.saves += meta.saves;
        for (const entry of meta.entries) entries.add(entry);
      }
    }
    if (run === undefined) return undefined;
    run.testFiles = testModules.map((module) => relative(this.root, module.moduleId).split(sep).join('/')).sort();
    run.entries = [...entries].sort();
    return { run, dir };
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const summary = this.summarize(testModules);
    if (summary === undefined) return;
    const { run, dir } = summary;
    const manifest = writeLastRun(dir, run);
    const { hits, misses, saves } = run.stats;
    this.print(
      `Switchboard test cache (${run.mode}): ${hits} hits, ${misses} misses, ${saves} saves; ${run.entries.length} entries used${manifest === undefined ? '' : ` (${relative(this.root, manifest)})`}`,
    );
  }
}
