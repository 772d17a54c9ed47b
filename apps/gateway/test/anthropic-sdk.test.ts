/**
 * The Anthropic-compatible API driven by the official `@anthropic-ai/sdk`: messages.create and
 * messages.stream against models of other providers (the mock, and OpenAI through a local fake
 * upstream), tools and tool results, images, errors in Anthropic's shape with the SDK's own error
 * classes, and a client that leaves mid-stream closing the upstream's socket.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { APIError, APIUserAbortError, BadRequestError, NotFoundError, RateLimitError } from '@anthropic-ai/sdk';
import type { MockRequest } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnthropicTestApp, startAnthropicApp } from './anthropic-app.js';

let app: AnthropicTestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

interface UpstreamMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

describe('POST /v1/messages (JSON) through the Anthropic SDK', () => {
  it('answers with a mock model: system prompt passed, model echoed, msg_ id, end_turn, usage', async () => {
    const seen: MockRequest[] = [];
    app = await startAnthropicApp({
      mock: {
        response: (request) => {
          seen.push(request);
          return {
            text: 'Bonjour!',
            usage: { inputTokens: 30, outputTokens: 4, totalTokens: 34, cacheReadTokens: 20 },
          };
        },
      },
    });
    const message = await app.client.messages.create({
      model: 'mock/mock-chat',
      max_tokens: 64,
      system: 'Answer in French.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'mock/mock-chat',
      content: [{ type: 'text', text: 'Bonjour!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 30, output_tokens: 4, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    expect(message.id).toMatch(/^msg_/);
    expect(seen[0]?.messages.slice(0, 2)).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hello' },
    ]);
    expect(seen[0]?.maxTokens).toBe(64);
    expect(app.authentications).toEqual([{ apiKey: 'Bearer sk-ant-client-key', model: 'mock/mock-chat' }]);
    expect(app.released()).toBe(1);
  });

  it('routes to an OpenAI model upstream: stop sequences and sampling passed, headers name who served', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'text', chunks: ['Hello from upstream.'] }] });
    // This SDK version no longer types the sampling fields; older clients (and other models) send them.
    const sampling = { temperature: 0.3, top_p: 0.9 } as object;
    const { data: message, response } = await app.client.messages
      .create({
        model: 'openai/gpt-4o-mini',
        max_tokens: 100,
        ...sampling,
        stop_sequences: ['END', 'STOP'],
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      })
      .withResponse();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from upstream.' }]);
    expect(message.model).toBe('openai/gpt-4o-mini');
    // The upstream's 11 prompt tokens held 4 cached ones; Anthropic's input_tokens leave those out.
    expect(message.usage).toEqual({
      input_tokens: 7,
      output_tokens: 7,
      cache_read_input_tokens: 4,
      cache_creation_input_tokens: 0,
    });
    const sent = app.upstream.requests[0] as Record<string, unknown>;
    expect(sent.stop).toEqual(['END', 'STOP']);
    expect(sent.temperature).toBe(0.3);
    expect(sent.top_p).toBe(0.9);
    expect(sent.messages).toEqual([
      { role: expect.stringMatching(/^(system|developer)$/), content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(response.headers.get('x-switchboard-provider')).toBe('openai');
    expect(response.headers.get('x-switchboard-model')).toMatch(/^gpt-4o-mini/);
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    expect(Number(response.headers.get('x-switchboard-cost-usd'))).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-switchboard-overhead-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('keeps the model name of a group as the client sent it', async () => {
    app = await startAnthropicApp({ mock: { response: 'from the group' } });
    const { data, response } = await app.client.messages
      .create({ model: 'fast', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.model).toBe('fast');
    expect(data.content).toEqual([{ type: 'text', text: 'from the group' }]);
    expect(response.headers.get('x-switchboard-provider')).toBe('mock');
    expect(response.headers.get('x-switchboard-model')).toBe('mock-chat');
  });

  it('follows a gateway alias and still answers with the name the client used', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'text', chunks: ['aliased'] }] });
    const message = await app.client.messages.create({
      model: 'quick',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.model).toBe('quick');
    expect(message.content).toEqual([{ type: 'text', text: 'aliased' }]);
    expect(app.upstream.requests[0]?.model).toBe('gpt-4o-mini');
  });

  it('does a tool round trip: tool_use out with its parsed input, tool_result back as a tool message', async () => {
    app = await startAnthropicApp({
      upstream: [
        { type: 'tools', calls: [{ id: 'call_weather_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { type: 'text', chunks: ['It is sunny in Paris.'] },
      ],
    });
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_weather',
        description: 'The weather of a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ];
    const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
    const first = await app.client.messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 200,
      tools,
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [question],
    });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'tool_use', id: 'call_weather_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    const firstSent = app.upstream.requests[0] as { tools: unknown; tool_choice: unknown };
    expect(firstSent.tools).toEqual([
      {
        type: 'function',
        function: expect.objectContaining({ name: 'get_weather', description: 'The weather of a city' }),
      },
    ]);
    expect(firstSent.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });

    const second = await app.client.messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 200,
      tools,
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_weather_1', content: [{ type: 'text', text: '22°C, sunny' }] },
            { type: 'text', text: 'Summarize.' },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'It is sunny in Paris.' }]);
    const messages = (app.upstream.requests[1] as { messages: UpstreamMessage[] }).messages;
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_weather_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    });
    expect(messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_weather_1', content: '22°C, sunny' });
    expect(messages[3]).toMatchObject({ role: 'user', content: 'Summarize.' });
  });

  it('sends images given as base64 and as a URL', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'text', chunks: ['Two images.'] }] });
    await app.client.messages.create({
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'What are these?' },
          ],
        },
      ],
    });
    const content = (app.upstream.requests[0] as { messages: UpstreamMessage[] }).messages[0]?.content as {
      type: string;
      image_url?: { url: string };
    }[];
    expect(content.map((part) => part.image_url?.url ?? part.type)).toEqual([
      `data:image/png;base64,${PNG_BASE64}`,
      'https://example.com/cat.jpg',
      'text',
    ]);
  });
});

describe('POST /v1/messages (SSE) through the Anthropic SDK', () => {
  it('streams text in Anthropic event order; finalMessage() is the assembled text with usage', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'text', chunks: ['Hel', 'lo ', 'there.'] }] });
    const stream = app.client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const types: string[] = [];
    const texts: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts).toEqual(['Hel', 'lo ', 'there.']);
    expect(final.content).toEqual([{ type: 'text', text: 'Hello there.' }]);
    expect(final.model).toBe('openai/gpt-4o-mini');
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 7, cache_read_input_tokens: 4 });
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(app.released()).toBe(1);
  });

  it('streams tool input as input_json_delta pieces that assemble into the call', async () => {
    app = await startAnthropicApp({
      upstream: [
        {
          type: 'tools',
          calls: [
            { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
            { id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
          ],
        },
      ],
    });
    const stream = app.client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
        { name: 'get_time', input_schema: { type: 'object', properties: { zone: { type: 'string' } } } },
      ],
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
    });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: { zone: 'Europe/Paris' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    // Two pieces per call, as the upstream streamed them.
    expect(partials).toHaveLength(4);
    expect(partials.slice(0, 2).join('')).toBe('{"city":"Paris","unit":"celsius"}');
  });

  it('reports a failure after the first chunks as an SSE error event the SDK raises', async () => {
    app = await startAnthropicApp({
      mock: {
        response: 'one two three four',
        errorAfterChunks: 2,
        error: { kind: 'provider', message: 'the mock upstream broke', status: 500 },
      },
    });
    const stream = app.client.messages.stream({
      model: 'mock/mock-chat',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Count' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain('the mock upstream broke');
    expect((failure as { error?: unknown }).error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(texts.join('')).toBe('one two ');
  });

  it('a client that leaves mid-stream closes the upstream request', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'endless', delayMs: 10 }] });
    const stream = app.client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Talk forever' }],
    });
    const ended = stream.done().catch((error: unknown) => error);
    await new Promise<void>((resolve) => stream.once('text', () => resolve()));
    stream.abort();
    expect(await ended).toBeInstanceOf(APIUserAbortError);
    // Resolves only when the fake upstream's socket closed; a leak would time the test out.
    await app.upstream.closed;
    await expect.poll(() => app?.released()).toBe(1);
  });
});

describe('errors in Anthropic shape', () => {
  it('a body without max_tokens is a BadRequestError naming the field', async () => {
    app = await startAnthropicApp();
    const failure = await app.client.messages
      .create({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'Hi' }] } as never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadRequestError);
    expect((failure as BadRequestError).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: is required' },
    });
  });

  it('an image from anything but base64 or a URL is refused, the field named', async () => {
    app = await startAnthropicApp();
    const failure = await app.client.messages
      .create({
        model: 'mock/mock-chat',
        max_tokens: 10,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: '/etc/passwd' } }] }],
      } as never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadRequestError);
    expect((failure as Error).message).toContain('messages.0.content.0.source.type');
  });

  it('an unknown provider is a NotFoundError (404) before any byte of a stream', async () => {
    app = await startAnthropicApp();
    const failure = await app.client.messages
      .create({ model: 'nosuch/model-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotFoundError);
    expect((failure as NotFoundError).status).toBe(404);
    expect((failure as NotFoundError).error).toMatchObject({ error: { type: 'not_found_error' } });
  });

  it('an upstream 429 is a RateLimitError', async () => {
    app = await startAnthropicApp({ upstream: [{ type: 'status', status: 429, message: 'slow down' }] });
    const failure = await app.client.messages
      .create({ model: 'openai/gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect((failure as RateLimitError).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    expect(app.released()).toBe(1);
  });
});

describe('POST /v1/messages/count_tokens', () => {
  it("counts the prompt with core's estimate", async () => {
    app = await startAnthropicApp();
    const short = await app.client.messages.countTokens({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const long = await app.client.messages.countTokens({
      model: 'openai/gpt-4o-mini',
      system: 'You are a careful assistant who answers in full sentences.',
      messages: [{ role: 'user', content: 'Hi there, how are you doing today?' }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens);
  });
});
