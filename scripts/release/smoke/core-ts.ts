// Smoke test of the installed packages' types: type-checked by tsc (strict, nodenext) against the
// .d.ts files in node_modules, then run by Node (type stripping). A wrong or missing declaration
// fails the type check; the same calls as the ESM smoke test fail the run.
import assert from 'node:assert/strict';
import { type ChatResponse, type Cost, createSwitchboard, type ModelInfo } from '@switchboard/core';
import { createOpenAI, type OpenAIModelId } from '@switchboard/provider-openai';

const baseURL: string | undefined = process.env.FAKE_OPENAI_BASE_URL;
assert.ok(baseURL, 'FAKE_OPENAI_BASE_URL is not set');
const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'release-check-key', baseURL })] });
const modelId: OpenAIModelId = 'gpt-4o-mini';

const res: ChatResponse = await sb.chat({
  model: `openai/${modelId}`,
  messages: [{ role: 'user', content: 'ts chat' }],
});
assert.equal(res.text, 'echo: ts chat');
const expected: Cost | undefined = sb.catalog.calculateCost('openai/gpt-4o-mini', { inputTokens: 11, outputTokens: 7 });
assert.equal(res.cost?.total, expected?.total);

let streamed = '';
for await (const event of sb.stream({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'ts stream' }],
})) {
  if (event.type === 'text-delta') streamed += event.text;
}
assert.equal(streamed, 'echo: ts stream');

const model: ModelInfo | undefined = sb.catalog.getModel('openai/gpt-4o');
const context: number = model?.limits.context ?? 0;
assert.ok(context >= 128_000);
console.log(`ts ok on node ${process.version}: ${res.text} | ${streamed} | context ${context}`);
