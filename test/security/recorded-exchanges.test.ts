/**
 * Recorded exchanges are committed to repositories, so no key may reach a recording in any
 * encoding. `@switchboard/testing`'s recorder runs on the default (undici) transport against the
 * loopback provider that echoes every credential it receives (leak-server.ts: raw, base64,
 * base64url, Basic auth, percent- and form-encoded, JSON-escaped, 20-character prefix,
 * 12-character suffix; in error bodies, a plain-text 500, a 200 body, a stream's error event and a
 * response header), for OpenAI, Anthropic, Gemini (key as `?key=`) and Bedrock (SigV4 with a
 * session token). The saved file is then searched with core's secret forms (secret-patterns.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSwitchboard, defineProvider } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createBedrock } from '@switchboard/provider-bedrock';
import { geminiDescriptor, geminiModelAliases, geminiModels } from '@switchboard/provider-gemini';
import { createOpenAI } from '@switchboard/provider-openai';
import { recordExchanges, scrubBinary } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyLeaksIn } from './leak-forms.js';
import { echoForms, type LeakServer, startLeakServer } from './leak-server.js';

const KEYS = {
  OPENAI_KEY: 'sk-proj-Rc7Kp2Lm9Qr4Tv6Wz8Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef1Gh3Ij5T3BlbkFJ',
  ANTHROPIC_KEY: 'sk-ant-api03-Rd8Kp2Lm9Qr4Tv6Wz8Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5Qr7St9Uv1Wx3Yz5Ab7C-Dq2RtAA',
  GEMINI_KEY: 'AIzaSyRe4x9Kp2Lm7Qr8Tv3Wz6Ab1Cd5Ef0Gh9Ij',
  AWS_ACCESS_KEY: 'AKIAZ7Q4W2E9R1T5RCRD',
  AWS_SECRET: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYRecordedT',
  AWS_SESSION_TOKEN:
    'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD6m+Xk9Qz2Wc8Lp4Rt7Yv1Bn3Mh5Jd0Fs6Ga8Hk2Le4Recorded==',
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
  dir = await mkdtemp(join(tmpdir(), 'switchboard-recorded-keys-'));
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

describe('recorded exchanges hold no key in any encoding', () => {
  it.each(MODELS)(
    '%s: echoing errors, 200 bodies, streams and headers are recorded without any key form',
    async (model) => {
      const recorder = recordExchanges({ enabled: true, secrets: SECRETS });
      const installed = recorder.install();
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
      const file = join(dir, `${model.replace(/[/:]/g, '_')}.json`);
      await recorder.save(file);
      const text = await readFile(file, 'utf8');

      // The provider did receive credentials and echoed them, and every call was recorded.
      const sent = server.received.slice(received);
      expect(sent.length).toBe(recorder.exchanges.length);
      expect(sent.length).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(sent.map((r) => [r.url, r.headers]))).toMatch(
        new RegExp(SECRETS.map((s) => s.slice(0, 12).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')),
      );

      expect(keyLeaksIn(text, KEYS), model).toEqual([]);
      for (const secret of SECRETS)
        for (const [form, value] of Object.entries(echoForms(secret)))
          expect(text.includes(value), `${model}: ${form} form of a key in the recording`).toBe(false);
    },
  );

  it('masks every encoded form of a key inside a binary (event-stream) body, keeping its length', () => {
    const forms = Object.values(echoForms(KEYS.AWS_SECRET)).filter((form) => form.length >= 20);
    const body = Buffer.concat([Buffer.from([0, 0, 0, 99]), ...forms.map((form) => Buffer.from(` ${form} `))]);
    const scrubbed = Buffer.from(scrubBinary(body.toString('base64'), [KEYS.AWS_SECRET]), 'base64');
    expect(scrubbed.length).toBe(body.length);
    for (const form of forms) expect(scrubbed.toString('latin1')).not.toContain(form);
  });
});
