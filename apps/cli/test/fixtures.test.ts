/**
 * `switchboard fixtures clean` through the CLI's own entry (`run`), on a test-cache folder whose
 * last-run manifest says which test files ran and which entries they used.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../src/program.js';

let root: string;
let dir: string;
const ENTRY = (path: string) => join(dir, ...path.split('/'));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchboard-fixtures-clean-'));
  dir = join(root, 'test', 'switchboard-cache');
  for (const path of [
    'openai/test/a.test.ts/used.json',
    'openai/test/a.test.ts/renamed away.json',
    'anthropic/test/b.test.ts/not run.json',
    'openai/test/deleted.test.ts/orphan.json',
  ]) {
    await mkdir(join(ENTRY(path), '..'), { recursive: true });
    await writeFile(ENTRY(path), '[]\n');
  }
  await mkdir(join(root, 'test'), { recursive: true });
  await writeFile(join(root, 'test', 'a.test.ts'), '');
  await writeFile(join(root, 'test', 'b.test.ts'), '');
  await writeFile(
    join(dir, '.last-run.json'),
    JSON.stringify({
      mode: 'replay',
      root,
      testFiles: ['test/a.test.ts'],
      entries: ['openai/test/a.test.ts/used.json'],
      stats: { hits: 1, misses: 0, saves: 0 },
    }),
  );
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const printed: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  const code = await run(['node', 'switchboard', ...args]);
  vi.restoreAllMocks();
  return { code, output: printed.join('') };
}

describe('switchboard fixtures clean', () => {
  it('removes entries of tests that ran without using them and of deleted test files, keeps the rest', async () => {
    const { code, output } = await cli('fixtures', 'clean', '--dir', dir, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(output) as { removed: string[]; kept: number };
    expect(result.removed.sort()).toEqual([
      'openai/test/a.test.ts/renamed away.json',
      'openai/test/deleted.test.ts/orphan.json',
    ]);
    expect(result.kept).toBe(2);
    expect(existsSync(ENTRY('openai/test/a.test.ts/used.json'))).toBe(true);
    expect(existsSync(ENTRY('anthropic/test/b.test.ts/not run.json'))).toBe(true);
    expect(existsSync(ENTRY('openai/test/a.test.ts/renamed away.json'))).toBe(false);
    expect(existsSync(join(dir, 'openai', 'test', 'deleted.test.ts'))).toBe(false);
  });

  it('--dry-run lists without removing', async () => {
    const { code, output } = await cli('fixtures', 'clean', '--dir', dir, '--dry-run');
    expect(code).toBe(0);
    expect(output).toContain('would remove openai/test/deleted.test.ts/orphan.json');
    expect(output).toContain('would remove 2 unused recording(s), kept 2');
    expect(existsSync(ENTRY('openai/test/deleted.test.ts/orphan.json'))).toBe(true);
  });

  it('says what to do when no run was recorded', async () => {
    await rm(join(dir, '.last-run.json'));
    const { code, output } = await cli('fixtures', 'clean', '--dir', dir);
    expect(code).toBe(1);
    expect(output).toContain('No test run is recorded in');
    expect(output).toContain("@switchboard/testing's vitest reporter");
  });
});
