/**
 * The AI SDK's OpenAI-compatible provider (`createOpenAICompatible`) against the gateway: a client
 * no one here wrote reads the gateway's JSON and SSE exactly as it reads any OpenAI-style server.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/server.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

let upstream: OpenAIUpstream;
let gateway: Gateway;
let provider: ReturnType<typeof createOpenAICompatible>;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await createGateway({
    port: 0,
    env: { GATEWAY_TEST_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    config: { providers: { openai: { apiKeyEnv: 'GATEWAY_TEST_OPENAI_KEY', baseURL: upstream.baseURL } } },
    switchboard: { retry: false },
  });
  const { url } = await gateway.listen();
  provider = createOpenAICompatible({ name: 'switchboard', baseURL: `${url}/v1`, includeUsage: true });
});

afterAll(async () => {
  await gateway?.close(1000);
  await upstream?.close();
});

describe('AI SDK (openai-compatible provider) through the gateway', () => {
  it('generateText answers with usage', async () => {
    const result = await generateText({ model: provider('openai/gpt-4o-mini'), prompt: 'hello ai sdk' });
    expect(result.text).toBe('echo: hello ai sdk');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(10);
    expect(result.usage.outputTokens).toBe(5);
  });

  it('streamText streams the deltas and the usage', async () => {
    const result = streamText({ model: provider('openai/gpt-4o-mini'), prompt: 'stream it' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Hello from upstream');
    expect((await result.usage).totalTokens).toBe(15);
    expect(await result.finishReason).toBe('stop');
  });
});
