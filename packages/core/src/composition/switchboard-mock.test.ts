import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineProvider } from '../catalog/define-provider.js';
import { StructuredOutputError, UnsupportedCapabilityError } from '../errors/errors.js';
import { cosineSimilarity, findSimilar } from '../features/embedding-math.js';
import { createMockProvider, mockProviderData } from '../protocols/mock/mock-provider.js';
import { getMockEmbedRequests, getMockRequests } from '../protocols/mock/mock-requests.js';
import { imageFromFile, loadImage } from '../runtime/images.js';
import { analyzeImages, extractText, visionMessage } from '../runtime/vision.js';
import type { CustomProvider } from '../types/provider.js';
import type { StreamEvent } from '../types/requests.js';
import { createSwitchboard } from './create-switchboard.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const ask = (content: string) => [{ role: 'user' as const, content }];

describe('mock provider', () => {
  it('echoes deterministically, records requests, and streams word by word', async () => {
    const mock = createMockProvider();
    const sb = createSwitchboard({ providers: [mock] });
    const res = await sb.chat({ model: 'mock/mock-chat', messages: ask('hello big world') });
    expect(res.text).toBe('Mock reply to: hello big world');
    expect(res.usage.totalTokens).toBe(res.usage.inputTokens + res.usage.outputTokens);
    expect(res.cost?.currency).toBe('USD');
    expect(getMockRequests(mock)).toHaveLength(1);
    const stream = sb.stream({ model: 'mock/echo', messages: ask('hi') });
    const deltas: string[] = [];
    for await (const event of stream) if (event.type === 'text-delta') deltas.push(event.text);
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Mock reply to: hi');
    expect((await stream.response).text).toBe('Mock reply to: hi');
  });

  it('awaiting only `response` drains the stream', async () => {
    const sb = createSwitchboard({ providers: [createMockProvider({ mock: { chunks: ['a', 'b', 'c'] } })] });
    expect((await sb.stream({ model: 'mock/mock-chat', messages: ask('x') }).response).text).toBe('abc');
  });

  it('fails midway after errorAfterChunks, keeping the partial text', async () => {
    const sb = createSwitchboard({
      providers: [
        createMockProvider({
          mock: {
            chunks: ['one ', 'two ', 'three'],
            error: { kind: 'provider', message: 'boom', status: 500 },
            errorAfterChunks: 2,
          },
        }),
      ],
    });
    const stream = sb.stream({ model: 'mock/mock-chat', messages: ask('x') });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.partial.text).toBe('one two ');
    await expect(stream.response).rejects.toMatchObject({ kind: 'provider', partial: { text: 'one two ' } });
  });

  it('raises the configured error kind on chat', async () => {
    const sb = createSwitchboard({
      providers: [createMockProvider({ mock: { error: { kind: 'rate-limit', message: 'slow down', status: 429 } } })],
    });
    await expect(sb.chat({ model: 'mock/mock-chat', messages: ask('x') })).rejects.toMatchObject({
      kind: 'rate-limit',
      retryable: true,
      provider: 'mock',
    });
  });
});

describe('option support from capabilities', () => {
  it('drops temperature for a model without it when the provider tracks it; keeps seed', async () => {
    const data = {
      ...mockProviderData,
      models: mockProviderData.models.map((m) => (m.id === 'mock-text' ? { ...m, unsupportedParams: [] } : m)),
    };
    const mock = defineProvider(data, {});
    const sb = createSwitchboard({ providers: [mock] });
    const res = await sb.chat({ model: 'mock/mock-text', messages: ask('x'), temperature: 0.3, seed: 7 });
    expect(res.warnings).toEqual(["Dropped option 'temperature': not supported by model 'mock-text'"]);
    expect(getMockRequests(mock)[0]).toMatchObject({ seed: 7 });
    expect(getMockRequests(mock)[0]?.temperature).toBeUndefined();
    await sb.chat({ model: 'mock/mock-chat', messages: ask('x'), temperature: 0.3 });
    expect(getMockRequests(mock)[1]?.temperature).toBe(0.3);
  });
});

describe('tool loop', () => {
  it('runs handlers, feeds results back and sums usage and cost over steps', async () => {
    const mock = createMockProvider({
      mock: {
        response: (req) => {
          const toolMessage = req.messages.find((m) => m.role === 'tool');
          if (toolMessage === undefined)
            return {
              toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }],
              usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
            };
          return { text: `It is ${toolMessage.content}`, usage: { inputTokens: 20, outputTokens: 4, totalTokens: 24 } };
        },
      },
    });
    const sb = createSwitchboard({ providers: [mock] });
    const calls: unknown[] = [];
    const res = await sb.chat({
      model: 'mock/mock-chat',
      messages: ask('Weather in Oslo?'),
      maxSteps: 3,
      tools: {
        weather: {
          name: 'weather',
          parameters: z.object({ city: z.string() }),
          execute: (args) => {
            calls.push(args);
            return { celsius: -3 };
          },
        },
      },
    });
    expect(calls).toEqual([{ city: 'Oslo' }]);
    expect(res.text).toBe('It is {"celsius":-3}');
    expect(res.usage).toEqual({ inputTokens: 30, outputTokens: 9, totalTokens: 39 });
    expect(res.cost?.total).toBeCloseTo((30 * 1 + 9 * 2) / 1e6, 12);
    const second = getMockRequests(mock)[1];
    expect(second?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(getMockRequests(mock)[0]?.tools[0]?.parameters).toMatchObject({
      type: 'object',
      properties: { city: { type: 'string' } },
    });
  });

  it('stops at maxSteps 1 (default) and returns the tool calls', async () => {
    const sb = createSwitchboard({
      providers: [createMockProvider({ mock: { response: { toolCalls: [{ id: 'x', name: 't', arguments: {} }] } } })],
    });
    const res = await sb.chat({
      model: 'mock/mock-chat',
      messages: ask('go'),
      tools: [{ name: 't', parameters: { type: 'object' }, execute: () => 1 }],
    });
    expect(res.toolCalls).toHaveLength(1);
    expect(res.finishReason).toBe('tool-calls');
  });
});

describe('structured output', () => {
  const schema = z.object({ name: z.string(), age: z.number() });

  it('uses the native JSON schema mode and types res.object', async () => {
    const mock = createMockProvider({ mock: { response: '```json\n{"name":"Ada","age":36}\n```' } });
    const sb = createSwitchboard({ providers: [mock] });
    const res = await sb.chat({ model: 'mock/mock-chat', messages: ask('who?'), schema, schemaName: 'person' });
    const person: { name: string; age: number } | undefined = res.object;
    expect(person).toEqual({ name: 'Ada', age: 36 });
    expect(getMockRequests(mock)[0]?.responseFormat).toMatchObject({ type: 'json-schema', name: 'person' });
  });

  it('forces a tool when the model has tools but no structured output', async () => {
    const data = {
      ...mockProviderData,
      models: mockProviderData.models.map((m) => (m.id === 'mock-chat' ? { ...m, capabilities: ['tools'] } : m)),
    };
    const mock = defineProvider(data, {
      mock: { response: { toolCalls: [{ id: '1', name: 'respond', arguments: { name: 'Bo', age: 3 } }] } },
    });
    const res = await createSwitchboard({ providers: [mock] }).chat({
      model: 'mock/mock-chat',
      messages: ask('who?'),
      schema,
    });
    expect(res.object).toEqual({ name: 'Bo', age: 3 });
    const sent = getMockRequests(mock)[0];
    expect(sent?.toolChoice).toEqual({ name: 'respond' });
    expect(sent?.tools.map((t) => t.name)).toEqual(['respond']);
  });

  it('retries with the validation error, then throws StructuredOutputError with the last raw text', async () => {
    let attempt = 0;
    const mock = createMockProvider({ mock: { response: () => `{"name":"Ada","age":"old-${++attempt}"}` } });
    const sb = createSwitchboard({ providers: [mock] });
    const error = await sb
      .chat({ model: 'mock/mock-chat', messages: ask('who?'), schema, maxRetries: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).text).toBe('{"name":"Ada","age":"old-2"}');
    const requests = getMockRequests(mock);
    expect(requests).toHaveLength(2);
    const retry = requests[1]?.messages.at(-1);
    expect(retry?.role).toBe('user');
    expect(JSON.stringify(retry)).toContain('did not match');
  });

  it('succeeds on a retry', async () => {
    const answers = ['not json', '{"name":"Ada","age":36}'];
    const sb = createSwitchboard({
      providers: [createMockProvider({ mock: { response: () => answers.shift() ?? '' } })],
    });
    const res = await sb.chat({ model: 'mock/mock-chat', messages: ask('who?'), schema });
    expect(res.object).toEqual({ name: 'Ada', age: 36 });
  });
});

describe('structured output with a plain JSON Schema', () => {
  it('sends the schema, parses the answer into res.object and says it was not validated locally', async () => {
    const jsonSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const mock = createMockProvider({ mock: { response: '{"city":"Paris"}' } });
    const res = await createSwitchboard({ providers: [mock] }).chat({
      model: 'mock/mock-chat',
      messages: ask('where?'),
      schema: jsonSchema,
      schemaName: 'place',
    });
    expect(res.object).toEqual({ city: 'Paris' });
    expect(getMockRequests(mock)[0]?.responseFormat).toEqual({
      type: 'json-schema',
      name: 'place',
      schema: jsonSchema,
    });
    expect(res.warnings.join(' ')).toContain('not validated locally');
  });
});

describe('vision', () => {
  it('loads files (explicit API only), data URLs and bytes with media types from magic bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-img-'));
    const path = join(dir, 'picture.bin');
    await writeFile(path, PNG);
    expect((await imageFromFile(path)).mediaType).toBe('image/png');
    // A bare path is a URL to loadImage, and not an accepted one: files come only through imageFromFile.
    await expect(loadImage(path)).rejects.toThrow(/only http:, https: and data: URLs/);
    const jpegBase64 = Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64');
    // The type comes from the bytes, whatever the data URL declares.
    expect(await loadImage(`data:image/png;base64,${jpegBase64}`)).toEqual({
      data: jpegBase64,
      mediaType: 'image/jpeg',
    });
    expect(await loadImage('https://x.test/a.webp')).toEqual({ url: 'https://x.test/a.webp', mediaType: 'image/webp' });
    expect((await loadImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).mediaType).toBe('image/jpeg');

    const mock = createMockProvider({ mock: { response: ' HELLO \n' } });
    const sb = createSwitchboard({ providers: [mock] });
    expect(await extractText(sb, { model: 'mock/mock-chat', image: path })).toBe('HELLO');
    const part = getMockRequests(mock)[0]?.messages[0];
    expect(part?.role === 'user' && part.content[1]).toMatchObject({
      type: 'image',
      mediaType: 'image/png',
      detail: 'high',
    });
    const analysis = await analyzeImages(sb, {
      model: 'mock/mock-chat',
      images: [PNG, 'https://x.test/b.png'],
      prompt: 'compare',
    });
    expect(analysis.text).toBe(' HELLO \n');
  });

  it('rejects an image for a text-only model before calling it', async () => {
    const mock = createMockProvider();
    const sb = createSwitchboard({ providers: [mock] });
    const error = await sb
      .chat({ model: 'mock/mock-text', messages: [visionMessage('what?', PNG)] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedCapabilityError);
    expect((error as Error).message).toContain("'vision'");
    expect(getMockRequests(mock)).toHaveLength(0);
  });
});

describe('embeddings', () => {
  it('batches mock embeddings and searches them', async () => {
    const mock = createMockProvider();
    const sb = createSwitchboard({ providers: [mock] });
    const input = Array.from({ length: 20 }, (_, i) => `text ${i}`);
    const res = await sb.embed({ model: 'mock/mock-embed', input });
    expect(res.embeddings).toHaveLength(20);
    expect(getMockEmbedRequests(mock).map((r) => r.input.length)).toEqual([16, 4]);
    const items = input.map((id, i) => ({ id, embedding: res.embeddings[i] as number[] }));
    const [best] = findSimilar(res.embeddings[3] as number[], items, { topK: 2 });
    expect(best?.item.id).toBe('text 3');
    expect(best?.score).toBeCloseTo(1, 10);
    expect(
      findSimilar(
        [1, 0],
        [
          [1, 0],
          [0, 1],
          [-1, 0],
        ],
        { threshold: 0 },
      ).map((m) => m.index),
    ).toEqual([0, 1]);
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
  });
});

describe('custom providers', () => {
  it('calls a custom provider directly and adds latency and warnings', async () => {
    const custom: CustomProvider = {
      id: 'mine',
      kind: 'custom',
      async chat(request) {
        return {
          text: `custom ${request.modelId}`,
          toolCalls: [],
          finishReason: 'stop',
          usage: { inputTokens: 1, outputTokens: 2, totalTokens: 0 },
          model: request.modelId,
          provider: 'mine',
          warnings: [],
          raw: null,
        };
      },
      async *stream() {
        yield { type: 'text-delta', text: 'a' };
        yield { type: 'tool-call', toolCall: { id: 't', name: 'n', arguments: { k: 1 } } };
        yield {
          type: 'finish',
          finishReason: 'stop',
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          response: null as never,
        };
      },
    };
    const sb = createSwitchboard({ providers: [custom, createMockProvider()] });
    const res = await sb.chat({ model: 'mine/anything', messages: ask('x') });
    expect(res).toMatchObject({ text: 'custom anything', cached: false, provider: 'mine', usage: { totalTokens: 3 } });
    const streamed = await sb.stream({ model: 'mine/m', messages: ask('x') }).response;
    expect(streamed.toolCalls).toEqual([{ id: 't', name: 'n', arguments: { k: 1 } }]);
    expect(sb.catalog.getModel('mock/mock-chat')?.id).toBe('mock-chat');
  });
});
