/**
 * Smoke test (c): `@switchboard/gateway` with two providers (openai and groq, both pointed at the
 * fake OpenAI server), in a fresh folder, called with the official `openai` SDK. The gateway's
 * optional provider dependencies are omitted so only the two named providers are installed; the
 * SDK comes from the local registry too (mirrored from the repository's own copy, like every other
 * third-party package).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from './command.ts';
import type { FakeOpenAI } from './fake-openai.ts';
import { createFreshProject, footprint, type InstallFootprint, npmInstall } from './fresh-project.ts';

export interface GatewaySmokeResult {
  footprint: InstallFootprint;
  switchboardPackages: string[];
  output: string;
}

/** Starts the installed gateway on a free port and resolves with its URL once it says it listens. */
async function startGateway(folder: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(join(folder, 'node_modules/.bin/switchboard-gateway'), ['--port', '0', '--host', '127.0.0.1'], {
    cwd: folder,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 30 s:\n${printed}`)), 30_000);
    const read = (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(printed);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code} before listening:\n${printed}`));
    });
  });
  return { url, child };
}

async function stopGateway(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function smokeGateway(
  repositoryRoot: string,
  folder: string,
  registryUrl: string,
  cacheFolder: string,
  version: string,
  openaiSdkVersion: string,
  fake: FakeOpenAI,
): Promise<GatewaySmokeResult> {
  const project = createFreshProject(folder, registryUrl, cacheFolder);
  await npmInstall(
    project,
    [
      `@switchboard/gateway@${version}`,
      `@switchboard/provider-openai@${version}`,
      `@switchboard/provider-groq@${version}`,
      `openai@${openaiSdkVersion}`,
    ],
    ['--omit=optional'],
  );
  copyFileSync(join(repositoryRoot, 'scripts/release/smoke/gateway-client.mjs'), join(folder, 'gateway-client.mjs'));
  const env = {
    ...process.env,
    OPENAI_API_KEY: 'release-check-key',
    OPENAI_BASE_URL: fake.baseURL,
    GROQ_API_KEY: 'release-check-key',
    GROQ_BASE_URL: fake.baseURL,
  };
  const { url, child } = await startGateway(folder, env);
  try {
    const before = fake.requests.length;
    const { stdout } = await mustRun(process.execPath, ['gateway-client.mjs'], {
      cwd: folder,
      env: { ...process.env, GATEWAY_URL: url },
      timeoutMs: 60_000,
    });
    const models = fake.requests.slice(before).map((request) => request.model);
    assert.deepEqual(
      models,
      ['gpt-4o-mini', 'llama-3.3-70b-versatile', 'gpt-4o-mini'],
      'the gateway called each provider',
    );
    const installed = await footprint(project);
    return {
      footprint: installed,
      switchboardPackages: installed.names.filter((name) => name.startsWith('@switchboard/')),
      output: stdout.trim(),
    };
  } finally {
    await stopGateway(child);
  }
}
