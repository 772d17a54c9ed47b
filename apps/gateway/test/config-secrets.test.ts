/**
 * Keys never sit in the gateway's config: a provider's key comes from the environment variable the
 * config names, or from a `secretsFile` written by core's `saveConfigFile` (encrypted with the
 * secret box, opened with SWITCHBOARD_CONFIG_KEY). An inline key is refused with its line.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveConfigFile } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../src/server.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

let upstream: OpenAIUpstream;
let directory: string;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  directory = await mkdtemp(join(tmpdir(), 'gateway-secrets-'));
});

afterAll(async () => {
  await upstream?.close();
});

async function ask(url: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'key?' }] }),
  });
}

describe('provider keys in the gateway config', () => {
  it('come from the environment variable named by apiKeyEnv', async () => {
    const gateway = await createGateway({
      port: 0,
      env: { TEAM_OPENAI_KEY: 'sk-from-env-0123456789abcdefghij' },
      config: { providers: { openai: { apiKeyEnv: 'TEAM_OPENAI_KEY', baseURL: upstream.baseURL } } },
      switchboard: { retry: false },
    });
    const { url } = await gateway.listen();
    const response = await ask(url);
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)?.authorization).toBe('Bearer sk-from-env-0123456789abcdefghij');
    expect(await response.text()).not.toContain('sk-from-env');
    await gateway.close(0);
  });

  it('come from an encrypted secrets file opened with SWITCHBOARD_CONFIG_KEY', async () => {
    const secrets = join(directory, 'secrets.json');
    await saveConfigFile(
      secrets,
      { openai: { apiKey: 'sk-sealed-0123456789abcdefghijkl' } },
      { encryptionKey: 'correct horse' },
    );
    const configFile = join(directory, 'gateway.yaml');
    await writeFile(configFile, `secretsFile: secrets.json\nproviders:\n  openai:\n    baseURL: ${upstream.baseURL}\n`);
    const gateway = await createGateway({
      port: 0,
      configFile,
      env: { SWITCHBOARD_CONFIG_KEY: 'correct horse' },
      switchboard: { retry: false },
    });
    const { url } = await gateway.listen();
    expect((await ask(url)).status).toBe(200);
    expect(upstream.requests.at(-1)?.authorization).toBe('Bearer sk-sealed-0123456789abcdefghijkl');
    await gateway.close(0);

    await expect(
      createGateway({ configFile, env: { SWITCHBOARD_CONFIG_KEY: 'wrong' }, switchboard: { retry: false } }),
    ).rejects.toThrow(/passphrase|decrypt|key/i);
  });

  it('refuse an inline key, naming its line', async () => {
    const configFile = join(directory, 'inline.yaml');
    await writeFile(configFile, 'providers:\n  openai:\n    apiKey: sk-inline-0123456789abcdefghij\n');
    const failure = (await createGateway({ configFile }).then(
      () => new Error('createGateway accepted an inline key'),
      (error: unknown) => error,
    )) as Error;
    expect(failure.name).toBe('GatewayConfigError');
    expect(failure.message).toContain(`${configFile}:3:13: providers.openai.apiKey: inline keys are refused`);
    expect(failure.message).not.toContain('sk-inline');
  });
});
