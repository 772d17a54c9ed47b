/**
 * The one-line vitest integration for real: a nested vitest run (vitest's own `startVitest`) of a
 * user's test file with `setupFiles: [vitest-setup]` and the reporter, against a local node:http
 * server standing in for OpenAI. Record mode records, replay mode (server closed) answers with
 * `fromCache: 'test'`, the reporter's line counts hits, misses and saves, and its manifest lets
 * `cleanTestCache` remove the entry of a test that no longer ran. A local server's recordings go in
 * a folder named after its host (known API hosts get their provider's id).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { cleanTestCache, LAST_RUN_FILE } from './test-cache/last-run.js';
import TestCacheReporter from './vitest-reporter.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KEY = 'sk-proj-NestedRunKey0123456789abcdefghijklmnopqrstu';
let dir: string;
let requests = 0;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    requests += 1;
    const question = (JSON.parse(body) as { messages: { content: string }[] }).messages.at(-1)?.content;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-x',
        model: 'gpt-4o-mini',
        choices: [
          { index: 0, message: { role: 'assistant', content: `answer to ${question}` }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  });
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-vitest-setup-'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.CASE_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  process.env.SWITCHBOARD_TEST_CACHE_DIR = dir;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the user's test file in a nested vitest; returns the reporter's line and whether every test passed. */
async function nestedRun(mode: string, key: string, skipSecond = false) {
  process.env.SWITCHBOARD_TEST_CACHE = mode;
  process.env.CASE_OPENAI_KEY = key;
  process.env.CASE_SKIP_SECOND = skipSecond ? '1' : '0';
  const lines: string[] = [];
  const vitest = await startVitest(
    'test',
    [],
    {
      root: ROOT,
      config: false,
      watch: false,
      include: ['packages/testing/test/cache-run/*.case.ts'],
      setupFiles: [fileURLToPath(new URL('./vitest-setup.ts', import.meta.url))],
      reporters: [new TestCacheReporter({ print: (line) => lines.push(line) })],
      pool: 'forks',
    },
    { resolve: { conditions: ['@switchboard/source'] }, ssr: { resolve: { conditions: ['@switchboard/source'] } } },
  );
  const passed = vitest.state.getCountOfFailedTests() === 0;
  await vitest.close();
  return { line: lines.join('\n'), passed };
}

describe('setupFiles: vitest-setup, reporters: vitest-reporter', () => {
  it('records, replays, counts, and lets clean remove what the last run did not use', async () => {
    const recorded = await nestedRun('record', KEY);
    expect(recorded.passed).toBe(true);
    expect(requests).toBe(3);
    expect(recorded.line).toMatch(/^Switchboard test cache \(record\): 0 hits, 0 misses, 3 saves; 2 entries used/);
    const greets = join(dir, '127.0.0.1', 'packages/testing/test/cache-run/app.case.ts', 'app - greets.json');
    expect(existsSync(greets)).toBe(true);
    expect(await readFile(greets, 'utf8')).not.toContain(KEY);

    const replayed = await nestedRun('replay', 'sk-no-real-key');
    expect(replayed.passed).toBe(true);
    expect(requests).toBe(3);
    expect(replayed.line).toMatch(/^Switchboard test cache \(replay\): 3 hits, 0 misses, 0 saves; 2 entries used/);

    // The second test is gone from the last run: its entry is what clean removes.
    const partial = await nestedRun('replay', 'sk-no-real-key', true);
    expect(partial.line).toMatch(/1 hits, 0 misses, 0 saves; 1 entries used/);
    const manifest = JSON.parse(await readFile(join(dir, LAST_RUN_FILE), 'utf8')) as { entries: string[] };
    expect(manifest.entries).toEqual(['127.0.0.1/packages/testing/test/cache-run/app.case.ts/app - greets.json']);
    expect(cleanTestCache(dir)).toEqual({
      removed: ['127.0.0.1/packages/testing/test/cache-run/app.case.ts/app - counts.json'],
      kept: 1,
    });
    expect(existsSync(greets)).toBe(true);
  });
});
