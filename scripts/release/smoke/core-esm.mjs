// Smoke test of the installed @switchboard/core + @switchboard/provider-openai as an ES module:
// a chat and a stream against the fake OpenAI server, a catalog query and a cost. Run by
// scripts/release-check.ts in a fresh folder; FAKE_OPENAI_BASE_URL names the server.
import assert from 'node:assert/strict';
import { createSwitchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';

const baseURL = process.env.FAKE_OPENAI_BASE_URL;
assert.ok(baseURL, 'FAKE_OPENAI_BASE_URL is not set');
const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'release-check-key', baseURL })] });

const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'esm chat' }] });
assert.equal(res.text, 'echo: esm chat');
assert.equal(res.usage.inputTokens, 11);
assert.equal(res.usage.outputTokens, 7);
const expected = sb.catalog.calculateCost('openai/gpt-4o-mini', { inputTokens: 11, outputTokens: 7 });
assert.ok(expected && expected.total > 0, 'the catalog prices gpt-4o-mini');
assert.equal(res.cost?.total, expected.total);

let streamed = '';
let finish;
for await (const event of sb.stream({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'esm stream' }],
})) {
  if (event.type === 'text-delta') streamed += event.text;
  if (event.type === 'finish') finish = event;
  if (event.type === 'error') throw event.error;
}
assert.equal(streamed, 'echo: esm stream');
assert.equal(finish?.usage.outputTokens, 7);
assert.equal(finish?.cost?.total, expected.total);

const model = sb.catalog.getModel('openai/gpt-4o');
assert.equal(model?.ref, 'openai/gpt-4o');
assert.ok((model?.limits.context ?? 0) >= 128_000);
const picks = sb.catalog.recommendModels({ features: ['tool_use'], limit: 3 });
assert.ok(picks.length > 0 && picks.every((pick) => pick.model.provider === 'openai'));
console.log(
  `esm ok on node ${process.version}: ${res.text} | ${streamed} | cost ${res.cost?.total} | top pick ${picks[0]?.model.ref}`,
);
