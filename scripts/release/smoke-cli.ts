/**
 * Smoke test (b): `@switchboard/cli` installed with `@switchboard/provider-openai` only, in a fresh
 * folder; `models`, `recommend`, `cost` and `chat` run through the installed `switchboard` binary,
 * chat against the fake OpenAI server. Reports what the CLI pulled in (which providers came along).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mustRun } from './command.ts';
import type { FakeOpenAI } from './fake-openai.ts';
import { createFreshProject, footprint, type InstallFootprint, npmInstall } from './fresh-project.ts';

export interface CliSmokeResult {
  footprint: InstallFootprint;
  /** `@switchboard/*` packages npm installed, the CLI's own choice included. */
  switchboardPackages: string[];
}

export async function smokeCli(
  folder: string,
  registryUrl: string,
  cacheFolder: string,
  version: string,
  fake: FakeOpenAI,
): Promise<CliSmokeResult> {
  const project = createFreshProject(folder, registryUrl, cacheFolder);
  await npmInstall(project, [`@switchboard/cli@${version}`, `@switchboard/provider-openai@${version}`]);
  const binary = join(folder, 'node_modules/.bin/switchboard');
  const env = { ...process.env, OPENAI_API_KEY: 'release-check-key', OPENAI_BASE_URL: fake.baseURL, NO_COLOR: '1' };
  const cli = async (...args: string[]): Promise<string> =>
    (await mustRun(binary, args, { cwd: folder, env, timeoutMs: 60_000 })).stdout;

  const models = JSON.parse(await cli('models', '--provider', 'openai', '--json')) as { id: string }[];
  assert.ok(
    models.some((model) => model.id === 'gpt-4o'),
    'switchboard models --provider openai lists gpt-4o',
  );

  const picks = JSON.parse(await cli('recommend', '--features', 'tools', '--limit', '3', '--json')) as {
    ref: string;
  }[];
  assert.equal(picks.length, 3, 'switchboard recommend --limit 3 gives 3 models');

  const cost = JSON.parse(await cli('cost', 'openai/gpt-4o', '--input', '12000', '--output', '800', '--json')) as {
    cost: { total: number };
  };
  assert.ok(cost.cost.total > 0, 'switchboard cost prices openai/gpt-4o');

  const before = fake.requests.length;
  const chat = await cli('chat', 'cli chat', '--model', 'openai/gpt-4o-mini');
  assert.match(chat, /echo: cli chat/, 'switchboard chat prints the fake server answer');
  assert.equal(fake.requests.length, before + 1, 'switchboard chat called the fake OpenAI server once');

  const installed = await footprint(project);
  return {
    footprint: installed,
    switchboardPackages: installed.names.filter((name) => name.startsWith('@switchboard/')),
  };
}
