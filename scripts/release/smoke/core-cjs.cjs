// Smoke test of the installed @switchboard/core + @switchboard/provider-openai through require()
// (CommonJS loading our ES modules): chat, stream, a catalog query and a cost against the fake
// OpenAI server named by FAKE_OPENAI_BASE_URL.
const assert = require('node:assert/strict');
const { createSwitchboard } = require('@switchboard/core');
const { createOpenAI } = require('@switchboard/provider-openai');

async function main() {
  const baseURL = process.env.FAKE_OPENAI_BASE_URL;
  assert.ok(baseURL, 'FAKE_OPENAI_BASE_URL is not set');
  const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'release-check-key', baseURL })] });
  const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'cjs chat' }] });
  assert.equal(res.text, 'echo: cjs chat');
  const expected = sb.catalog.calculateCost('openai/gpt-4o-mini', { inputTokens: 11, outputTokens: 7 });
  assert.ok(expected && expected.total > 0);
  assert.equal(res.cost.total, expected.total);
  let streamed = '';
  for await (const event of sb.stream({
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'cjs stream' }],
  })) {
    if (event.type === 'text-delta') streamed += event.text;
    if (event.type === 'error') throw event.error;
  }
  assert.equal(streamed, 'echo: cjs stream');
  assert.equal(sb.catalog.getModel('openai/gpt-4o').ref, 'openai/gpt-4o');
  console.log(`cjs ok on node ${process.version}: ${res.text} | ${streamed} | cost ${res.cost.total}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
