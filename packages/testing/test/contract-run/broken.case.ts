// The README example with the user's code broken one way (CASE_VARIANT), run by a nested vitest in
// src/vitest.test.ts: each break must fail the generated contract tests.
import { createOpenAI } from '@switchboard/provider-openai';
import { defineContractTests } from '@switchboard/testing/vitest';

const variant = process.env.CASE_VARIANT;

defineContractTests(new URL('../contracts', import.meta.url), {
  providers: [createOpenAI({ apiKey: 'sk-test' })],
  transports: ['undici'],
  run: async (sb, { name }) => {
    if (variant === 'sends-nothing') return { text: 'made up' };
    const city = name.includes('paris') ? 'Paris' : 'Amsterdam';
    const content = variant === 'sends-other' ? `Describe ${city} in six words.` : `Describe ${city} in five words.`;
    const request = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user' as const, content }], maxTokens: 20 };
    const res = name.includes('streamed') ? await sb.stream(request).response : await sb.chat(request);
    const text = variant === 'other-result' ? res.text.toUpperCase() : res.text;
    return { text, finishReason: res.finishReason, usage: res.usage, cost: res.cost };
  },
});
