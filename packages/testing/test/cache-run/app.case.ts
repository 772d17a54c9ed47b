// A user's test file, run by a nested vitest in vitest-setup.test.ts: it never mentions the test cache.
import { createSwitchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { describe, expect, it } from 'vitest';

const sb = createSwitchboard({
  providers: [createOpenAI({ apiKey: process.env.CASE_OPENAI_KEY, baseURL: process.env.CASE_BASE_URL })],
  retry: false,
  cache: false,
});
const ask = (content: string) => sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }] });

describe('app', () => {
  it('greets', async () => {
    const res = await ask('Hello');
    expect(res.text).toBe('answer to Hello');
    expect(res.fromCache).toBe(process.env.SWITCHBOARD_TEST_CACHE === 'replay' ? 'test' : undefined);
  });

  it.skipIf(process.env.CASE_SKIP_SECOND === '1')('counts', async () => {
    expect((await ask('2+2')).text).toBe('answer to 2+2');
    expect((await ask('3+3')).text).toBe('answer to 3+3');
  });
});
