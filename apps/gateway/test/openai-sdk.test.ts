/**
 * The OpenAI-compatible API driven by the official `openai` npm SDK, against the gateway on
 * 127.0.0.1:0 with a fake OpenAI server upstream and the mock provider: chat, streams, tools,
 * embeddings (float and base64), models, and errors in OpenAI's shape.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/server.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

let upstream: OpenAIUpstream;
let gateway: Gateway;
let client: OpenAI;
let baseURL: string;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await createGateway({
    port: 0,
    env: { GATEWAY_TEST_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    config: {
      providers: { openai: { apiKeyEnv: 'GATEWAY_TEST_OPENAI_KEY', baseURL: upstream.baseURL }, mock: null },
      aliases: { fast: 'openai/gpt-4o-mini' },
      fallbacks: { 'openai/gpt-4o': ['mock/mock-chat'] },
    },
    switchboard: { retry: false },
  });
  ({ url: baseURL } = await gateway.listen());
  client = new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close(1000);
  await upstream?.close();
});

describe('POST /v1/chat/completions through the openai SDK', () => {
  it('answers a chat with usage, cost and the gateway headers', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi there' }],
        seed: 7,
        stop: ['END'],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: hi there');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    expect((data as unknown as { cost: { total_usd: number } }).cost.total_usd).toBeGreaterThan(0);
    expect(data.model).toBe('openai/gpt-4o-mini');
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
    expect(response.headers.get('x-switchboard-provider')).toBe('openai');
    expect(response.headers.get('x-switchboard-model')).toBe('gpt-4o-mini');
    expect(Number(response.headers.get('x-switchboard-cost-usd'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-switchboard-overhead-ms'))).toBeGreaterThanOrEqual(0);
    const sent = upstream.requests.at(-1)?.body;
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', seed: 7, stop: ['END'] });
  });

  it('resolves an alias and passes user and logprobs to an OpenAI-style provider', async () => {
    const data = await client.chat.completions.create({
      model: 'fast',
      messages: [{ role: 'user', content: 'alias' }],
      user: 'user-42',
      logprobs: true,
    });
    expect(data.model).toBe('openai/gpt-4o-mini');
    expect(data.choices[0]?.logprobs).toEqual({ content: [] });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ user: 'user-42', logprobs: true });
  });

  it('streams OpenAI chunks with usage when stream_options.include_usage asks, then [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from upstream');
    expect(finishes).toEqual(['stop']);
    expect(usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
  });

  it('sends tools and tool_choice and returns the tool call, in JSON and streamed', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const data = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools,
      tool_choice: 'required',
      parallel_tool_calls: true,
    });
    expect(data.choices[0]?.finish_reason).toBe('tool_calls');
    const call = data.choices[0]?.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    const sent = upstream.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.tool_choice).toBe('required');
    expect(sent.parallel_tool_calls).toBe(true);

    const stream = client.chat.completions.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools,
    });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(streamed.id).toBe('call_1');
    expect(JSON.parse(streamed.function.arguments)).toEqual({ city: 'Paris' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('sends a vision request by URL and data URL, and refuses any other image with 400 naming the field', async () => {
    await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    const parts = ((upstream.requests.at(-1)?.body.messages ?? []) as { content: { type: string }[] }[])[0]?.content;
    expect(parts?.filter((part) => part.type === 'image_url')).toHaveLength(2);
    const error = await client.chat.completions
      .create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '/etc/passwd' } }] }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[0].content[0].image_url.url');
  });

  it('answers the mock provider too', async () => {
    const data = await client.chat.completions.create({
      model: 'mock/mock-chat',
      messages: [{ role: 'user', content: 'hello mock' }],
    });
    expect(data.model).toBe('mock/mock-chat');
    expect(typeof data.choices[0]?.message.content).toBe('string');
  });
});

describe('POST /v1/embeddings through the openai SDK', () => {
  it('returns float vectors', async () => {
    const data = await client.embeddings.create({
      model: 'openai/text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(data.data.map((item) => item.embedding)).toEqual([
      [0.25, -0.5, 1],
      [1.25, -0.5, 1],
    ]);
    expect(data.usage.prompt_tokens).toBe(4);
  });

  it('returns base64 vectors the SDK decodes (and the raw body holds base64 text)', async () => {
    const data = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'a' });
    expect(data.data[0]?.embedding).toEqual([0.25, -0.5, 1]);
    const raw = await fetch(`${baseURL}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/text-embedding-3-small', input: 'a', encoding_format: 'base64' }),
    });
    const body = (await raw.json()) as { data: { embedding: string }[] };
    expect(body.data[0]?.embedding).toBe(Buffer.from(new Float32Array([0.25, -0.5, 1]).buffer).toString('base64'));
    expect(raw.headers.get('x-switchboard-provider')).toBe('openai');
  });
});

describe('GET /v1/models through the openai SDK', () => {
  it('lists the catalog models of the configured providers with Switchboard fields', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(ids).toContain('mock/mock-chat');
    expect(ids.some((id) => id.startsWith('anthropic/'))).toBe(false);
  });

  it('retrieves one model', async () => {
    const model = await client.models.retrieve('openai/gpt-4o-mini');
    expect(model.id).toBe('openai/gpt-4o-mini');
    expect((model as unknown as { context_window: number }).context_window).toBeGreaterThan(0);
    const missing = await client.models.retrieve('openai/no-such-model').catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('errors in OpenAI shape', () => {
  it('a bad body is a 400 naming the field', async () => {
    const error = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], n: 2 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
    const temperature = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' as never })
      .catch((caught: unknown) => caught);
    expect((temperature as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
  });

  it("core's validation names the OpenAI field", async () => {
    const error = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: -3 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('max_tokens');
  });

  it('an unknown model is a 404', async () => {
    const error = await client.chat.completions
      .create({ model: 'nowhere/model', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('an upstream 429 is a 429', async () => {
    upstream.fail(429);
    const error = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('an upstream 500 falls back, and the headers show who served', async () => {
    upstream.fail(500);
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(data.model).toBe('mock/mock-chat');
    expect(response.headers.get('x-switchboard-provider')).toBe('mock');
    expect(response.headers.get('x-switchboard-attempts')).toBe('2');
  });
});
