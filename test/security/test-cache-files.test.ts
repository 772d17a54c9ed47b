/**
 * The test cache's files are committed like any recording, so no key may reach them in any
 * encoding. `@switchboard/testing`'s test cache records (record mode, default undici transport)
 * against the loopback provider that echoes every credential it receives in every encoding
 * (leak-server.ts), for OpenAI, Anthropic, Gemini (`?key=`) and Bedrock (SigV4 with a session
 * token); streams are re-cut into one string per event before saving, which must not put a split
 * key back together. Every file under the cache folder is then searched with core's secret forms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard, defineProvider } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { geminiDescriptor, geminiModelAliases, geminiModels } from '@switchboard/provider-gemini';
import { createOpenAI } from '@switchboard/provider-openai';
import { createTestCache } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyLeaksIn } from './leak-forms.js';
import { echoForms, type LeakServer, startLeakServer } from './leak-server.js';

const KEYS = {
  OPENAI_KEY: 'sk-proj-Tc7Kp2Lm9Qr4Tv6Wz8Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef1Gh3Ij5T3BlbkFJ',
  ANTHROPIC_KEY: 'sk-ant-api03-Td8Kp2Lm9Qr4Tv6Wz8Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7C-Dq2RtAA',
  GEMINI_KEY: 'AIzaSyTe4x9Kp2Lm7Qr8Tv3Wz6Ab1Cd5Ef0Gh9Ij',
  AWS_ACCESS_KEY: 'AKIAZ7Q4W2E9R1T5TCCH',
  AWS_SECRET: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYTestCache',
  AWS_SESSION_TOKEN:
    'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m+Xk9Qz2Wc8Lp4Rt7Yv1Bn3Mh5Jd0Fs6Ga8Hk2Le4TestCache==',
};
const SECRETS = Object.values(KEYS);
const MODELS = [
  'openai/gpt-4o-mini',
  'anthropic/claude-sonnet-4-5',
  'gemini/gemini-2.5-flash',
  'bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0',
];

let server: LeakServer;
let dir: string;
beforeAll(async () => {
  server = await startLeakServer();
  dir = await mkdtemp(join(tmpdir(), 'switchboard-test-cache-keys-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function switchboard() {
  return createSwitchboard({
    providers: [
      createOpenAI({ apiKey: KEYS.OPENAI_KEY, baseURL: `${server.url}/openai/v1` }),
      createAnthropic({ apiKey: KEYS.ANTHROPIC_KEY, baseURL: `${server.url}/anthropic/v1` }),
      defineProvider(
        {
          descriptor: { ...geminiDescriptor, auth: { ...geminiDescriptor.auth, type: 'query', queryParam: 'key' } },
          models: geminiModels,
          aliases: geminiModelAliases,
        },
        { apiKey: KEYS.GEMINI_KEY, baseURL: `${server.url}/gemini/v1beta` },
      ),
      createBedrock(),
    ],
    env: {
      AWS_ACCESS_KEY_ID: KEYS.AWS_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: KEYS.AWS_SECRET,
      AWS_SESSION_TOKEN: KEYS.AWS_SESSION_TOKEN,
      AWS_REGION: 'us-east-1',
      BEDROCK_BASE_URL: `${server.url}/bedrock`,
    },
    retry: false,
    breaker: false,
    cache: false,
  });
}

const settle = (run: () => Promise<unknown>) =>
  run().then(
    () => undefined,
    () => undefined,
  );

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((item) => item.isFile())
    .map((item) => join(item.parentPath, item.name));
}

describe('test-cache files hold no key in any encoding', () => {
  it.each(MODELS)('%s: errors, 200 bodies, streams and headers are saved without any key form', async (model) => {
    const cache = createTestCache({
      dir,
      mode: 'record',
      secrets: SECRETS,
      currentTest: () => ({ file: 'test/security/app.test.ts', name: model }),
      // The leak server serves every provider under its own path prefix.
      providerOf: (url) => url.pathname.split('/')[1] ?? 'unknown',
    });
    const installed = cache.install();
    const sb = switchboard();
    const received = server.received.length;
    try {
      server.script('echo-error');
      await settle(() => sb.chat({ model, messages: [{ role: 'user', content: 'one' }] }));
      server.script('echo-text');
      await settle(() => sb.chat({ model, messages: [{ role: 'user', content: 'two' }] }));
      server.script('echo-ok');
      await sb.chat({ model, messages: [{ role: 'user', content: 'three' }] });
      if (model.startsWith('openai/') || model.startsWith('gemini/')) {
        server.script('echo-stream');
        await settle(() => sb.stream({ model, messages: [{ role: 'user', content: 'four' }] }).response);
      }
    } finally {
      await installed.uninstall();
    }
    const sent = server.received.slice(received);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(cache.stats.saves).toBe(sent.length);
    expect(cache.usedEntries()).toHaveLength(1);

    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(keyLeaksIn(text, KEYS), file).toEqual([]);
      for (const secret of SECRETS)
        for (const [form, value] of Object.entries(echoForms(secret)))
          expect(text.includes(value), `${file}: ${form} form of a key`).toBe(false);
    }
  });
});
