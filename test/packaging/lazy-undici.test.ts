/**
 * Cold start (issue 13): importing core, creating a switchboard and querying the catalog load no HTTP
 * client; undici is loaded by the first request, which then works. Runs the built dist in a fresh
 * process (the way an installed package is loaded; vitest's own process has undici loaded already)
 * against a real local server. `./run test` builds before testing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.ts';

const execFileAsync = promisify(execFile);
const coreEntry = fileURLToPath(new URL('../../packages/core/dist/index.js', import.meta.url));
const openaiEntry = fileURLToPath(new URL('../../packages/provider-openai/dist/index.js', import.meta.url));

/** The child: each step, then whether undici's files are in the CommonJS cache (undici is CommonJS). */
function childScript(baseURL: string): string {
  return `
    import { createRequire } from 'node:module';
    import { sep } from 'node:path';
    const undiciLoaded = () =>
      Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(sep + 'node_modules' + sep + 'undici' + sep));
    const steps = {};
    const { createSwitchboard } = await import(${JSON.stringify(coreEntry)});
    const { createOpenAI } = await import(${JSON.stringify(openaiEntry)});
    steps.afterImport = undiciLoaded();
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'sk-test', baseURL: ${JSON.stringify(baseURL)} })] });
    steps.afterCreate = undiciLoaded();
    const picks = sb.catalog.recommendModels({ features: ['tool_use'] });
    steps.afterCatalogQuery = undiciLoaded();
    const first = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    steps.afterFirstRequest = undiciLoaded();
    const second = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Again' }] });
    process.stdout.write(JSON.stringify({ ...steps, picks: picks.length, texts: [first.text, second.text], origins: sb.dispatcherStats().origins }));
    await sb.close?.();
  `;
}

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer([{ type: 'ok', text: 'hello from the local server' }]);
});
afterAll(async () => {
  await server.close();
});

describe('undici is loaded on the first request, not at import or creation', () => {
  it('import, createSwitchboard and a catalog query load no undici; the first chat loads it and answers', async () => {
    for (const entry of [coreEntry, openaiEntry])
      if (!existsSync(entry)) throw new Error(`build first (${entry} is missing): ./run pnpm -s turbo run build`);
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--input-type=module', '-e', childScript(server.baseURL)],
      {
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      afterImport: false,
      afterCreate: false,
      afterCatalogQuery: false,
      afterFirstRequest: true,
      texts: ['hello from the local server', 'hello from the local server'],
      origins: 1,
    });
    expect(result.picks).toBeGreaterThan(0);
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(2);
  });
});
