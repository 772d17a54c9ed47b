// The official `openai` SDK against the installed @switchboard/gateway (GATEWAY_URL), through two
// providers that both point at the fake OpenAI server: a chat on each and a stream.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: `${process.env.GATEWAY_URL}/v1`,
  apiKey: 'unused-by-the-gateway',
  maxRetries: 0,
  timeout: 20_000,
});

for (const model of ['openai/gpt-4o-mini', 'groq/llama-3.3-70b-versatile']) {
  const completion = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: `via ${model}` }],
  });
  assert.equal(completion.choices[0]?.message.content, `echo: via ${model}`);
  assert.equal(completion.usage?.completion_tokens, 7);
  console.log(`gateway ${model}: ${completion.choices[0]?.message.content}`);
}

const stream = await client.chat.completions.create({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'gateway stream' }],
  stream: true,
});
let text = '';
for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
assert.equal(text, 'echo: gateway stream');
console.log(`gateway stream: ${text}`);
