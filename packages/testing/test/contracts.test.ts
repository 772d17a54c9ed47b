/**
 * The README's contract-test example, run in this repository's CI: the user's code (`describeCity`)
 * against every recording in ./contracts, through the undici and fetch transports. It checks what
 * the code sends (each request matches its recording, nothing recorded goes unasked) and what it
 * gets back (./contracts/__results__, the same file for both transports).
 */
import { createOpenAI } from '@switchboard/provider-openai';
import { defineContractTests } from '@switchboard/testing/vitest';

// Your code under test.
async function describeCity(sb: import('@switchboard/core').Switchboard, city: string, stream: boolean) {
  const request = {
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user' as const, content: `Describe ${city} in five words.` }],
    maxTokens: 20,
  };
  const res = stream ? await sb.stream(request).response : await sb.chat(request);
  return { text: res.text, finishReason: res.finishReason, usage: res.usage, cost: res.cost };
}

defineContractTests(new URL('./contracts', import.meta.url), {
  providers: [createOpenAI({ apiKey: 'sk-test' })],
  run: (sb, { name }) => {
    const [, city = '', streamed] = /describe-(\w+)(-streamed)?$/.exec(name) ?? [];
    return describeCity(sb, city[0]?.toUpperCase() + city.slice(1), streamed !== undefined);
  },
});
