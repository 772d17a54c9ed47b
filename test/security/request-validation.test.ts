/**
 * Requests are validated before they are sent (issue 8, item 4), proven end to end: every invalid
 * request goes through `createSwitchboard` (`sb.chat`, `sb.stream`, `sb.embed`) against a real
 * OpenAI-compatible server on 127.0.0.1 (test/fault/fault-server.ts), fails with kind
 * `invalid-request` naming the field, and the server receives NOTHING. And every valid form still
 * reaches the server and gets its answer, so the check refuses only what it should.
 */

import { createSwitchboard, type SwitchboardError } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FaultServer, startFaultServer } from '../fault/fault-server.js';

const API_KEY = 'sk-test-request-validation-0123456789';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const MODEL = 'openai/gpt-4o';
const user = [{ role: 'user' as const, content: 'Hi' }];

let server: FaultServer;
let sb: ReturnType<typeof makeSwitchboard>;

function makeSwitchboard(baseURL: string) {
  return createSwitchboard({ providers: [createOpenAI({ apiKey: API_KEY, baseURL })], retry: false });
}

beforeAll(async () => {
  server = await startFaultServer([{ type: 'ok', text: 'fine' }]);
  sb = makeSwitchboard(server.baseURL);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** What a call ends with: its error (thrown at once or rejected), or `undefined` when it succeeded. */
async function failureOf(call: () => unknown): Promise<SwitchboardError | undefined> {
  try {
    const result = call();
    if (result instanceof Promise) await result;
    else if (result !== null && typeof result === 'object' && 'response' in result)
      await (result as { response: Promise<unknown> }).response;
  } catch (error) {
    return error as SwitchboardError;
  }
  return undefined;
}

const circularSchema = (): Record<string, unknown> => {
  const schema: Record<string, unknown> = { type: 'object', properties: {} };
  (schema.properties as Record<string, unknown>).next = schema;
  return schema;
};

// Typed loosely on purpose: these are the mistakes TypeScript users make through `any` and JS users make freely.
const invalidChats: [string, Record<string, unknown>, string][] = [
  ["temperature: 'hot'", { model: MODEL, messages: user, temperature: 'hot' }, 'temperature'],
  ['maxTokens: -1', { model: MODEL, messages: user, maxTokens: -1 }, 'maxTokens'],
  ["topP: 'x'", { model: MODEL, messages: user, topP: 'x' }, 'topP'],
  ['messages: []', { model: MODEL, messages: [] }, 'messages'],
  ['messages: null', { model: MODEL, messages: null }, 'messages'],
  // A missing model takes the default model (issue 9); a model that is there must be a reference.
  ['model: null', { model: null, messages: user }, 'model'],
  ["{ provider: 'openai' } without a model", { model: { provider: 'openai' }, messages: user }, 'model.model'],
  ['a null content', { model: MODEL, messages: [{ role: 'user', content: null }] }, 'messages[0].content'],
  ['an unknown role', { model: MODEL, messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
  [
    'an image of null',
    {
      model: MODEL,
      messages: [
        { role: 'system', content: 'Describe images.' },
        { role: 'assistant', content: 'Send one.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'this' },
            { type: 'image', image: null },
          ],
        },
      ],
    },
    'messages[2].content[1].image',
  ],
  [
    'an image given as a number',
    { model: MODEL, messages: [{ role: 'user', content: [{ type: 'image', image: 12345 }] }] },
    'messages[0].content[0].image',
  ],
  [
    'a tool message without toolCallId',
    { model: MODEL, messages: [...user, { role: 'tool', content: 'result' }] },
    'messages[1].toolCallId',
  ],
  [
    "a tool schema with type: 'objekt'",
    {
      model: MODEL,
      messages: user,
      tools: [
        { name: 'ok_tool', parameters: { type: 'object' } },
        { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'objekt' } } } },
      ],
    },
    'tools[1].parameters.properties.city.type',
  ],
  [
    'a circular tool schema',
    { model: MODEL, messages: user, tools: [{ name: 'walk', parameters: circularSchema() }] },
    'tools[0].parameters.properties.next',
  ],
  [
    'duplicate tool names',
    {
      model: MODEL,
      messages: user,
      tools: [
        { name: 'search', parameters: { type: 'object' } },
        { name: 'search', parameters: { type: 'object' } },
      ],
    },
    'tools[1].name',
  ],
  [
    'an empty tool name',
    { model: MODEL, messages: user, tools: [{ name: '', parameters: { type: 'object' } }] },
    'tools[0].name',
  ],
  [
    'a tool name with a dot',
    { model: MODEL, messages: user, tools: [{ name: 'web.search', parameters: { type: 'object' } }] },
    'tools[0].name',
  ],
  [
    "a structured-output schema with type: 'objekt'",
    { model: MODEL, messages: user, schema: { type: 'objekt' } },
    'schema.type',
  ],
];

describe('invalid requests are refused before anything is sent', () => {
  it.each(invalidChats)('sb.chat with %s', async (_name, request, field) => {
    const error = await failureOf(() => sb.chat(request as never));
    expect(error?.kind).toBe('invalid-request');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain(`Invalid request: ${field} `);
    expect(server.requests).toEqual([]);
  });

  it.each(invalidChats)('sb.stream with %s', async (_name, request, field) => {
    const error = await failureOf(() => sb.stream(request as never));
    expect(error?.kind).toBe('invalid-request');
    expect(error?.message).toContain(`Invalid request: ${field} `);
    expect(server.requests).toEqual([]);
  });

  it('a session and a batch refuse the same way', async () => {
    const session = sb.session({ model: MODEL });
    expect((await failureOf(() => session.chat('Hi', { temperature: 'hot' } as never)))?.message).toContain(
      'Invalid request: temperature ',
    );
    expect((await failureOf(() => session.stream('Hi', { maxTokens: 0 })))?.message).toContain(
      'Invalid request: maxTokens ',
    );
    const [result] = await sb.batch([{ model: MODEL, messages: [] }]);
    expect(result?.ok === false && (result.error as SwitchboardError).kind).toBe('invalid-request');
    expect(server.requests).toEqual([]);
  });

  const invalidEmbeds: [string, Record<string, unknown>, string][] = [
    ["input: ''", { model: 'openai/text-embedding-3-small', input: '' }, 'input'],
    ['input: []', { model: 'openai/text-embedding-3-small', input: [] }, 'input'],
    ['input with a number', { model: 'openai/text-embedding-3-small', input: ['a', 3] }, 'input[1]'],
    ['model: 42', { model: 42, input: 'a' }, 'model'],
  ];
  it.each(invalidEmbeds)('sb.embed with %s', async (_name, request, field) => {
    const error = await failureOf(() => sb.embed(request as never));
    expect(error?.kind).toBe('invalid-request');
    expect(error?.message).toContain(`Invalid request: ${field} `);
    expect(server.requests).toEqual([]);
  });
});

describe('a request without model', () => {
  it("goes to the default model (here OpenAI's catalog defaults), for chat, stream and embed", async () => {
    expect((await sb.chat({ messages: user })).text).toBe('fine');
    expect((await sb.stream({ messages: user }).response).text).toBe('fine');
    await sb.embed({ input: 'a' });
    const sent = server.requests.map((request) => (request.body as { model?: string }).model);
    const chatDefault = sb.catalog.defaultModel('openai')?.id;
    expect(chatDefault).toBeDefined();
    expect(sent).toEqual([chatDefault, chatDefault, sb.catalog.defaultModel('openai', 'embedding')?.id]);
  });
});

describe('valid requests of every form still pass', () => {
  const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const validChats: [string, Record<string, unknown>][] = [
    ['string content', { model: MODEL, messages: user }],
    ['a { provider, model } ref', { model: { provider: 'openai', model: 'gpt-4o' }, messages: user }],
    [
      'text parts and images by URL, data URL and bytes',
      {
        model: MODEL,
        messages: [
          { role: 'system', content: 'Describe images.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'compare' },
              { type: 'image', image: 'https://example.com/cat.png', detail: 'low' },
              { type: 'image', image: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` },
              { type: 'image', image: PNG },
            ],
          },
        ],
      },
    ],
    [
      'a tool round trip: assistant with toolCalls, then the tool message',
      {
        model: MODEL,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
          },
          { role: 'tool', toolCallId: 'call_1', name: 'get_weather', content: '{"celsius":21}' },
        ],
        tools: [{ name: 'get_weather', description: 'Current weather', parameters: weather }],
        toolChoice: 'auto',
      },
    ],
    [
      'a zod tool schema',
      { model: MODEL, messages: user, tools: [{ name: 'f', parameters: z.object({ q: z.string() }) }] },
    ],
    [
      'generation options at their bounds',
      {
        model: MODEL,
        messages: user,
        temperature: 2,
        topP: 0,
        maxTokens: 1,
        seed: 7,
        stop: ['END'],
        presencePenalty: -2,
      },
    ],
  ];

  it.each(validChats)('sb.chat with %s', async (_name, request) => {
    const response = await sb.chat(request as never);
    expect(response.text).toBe('fine');
    expect(server.requests.map((received) => received.path)).toEqual(['/v1/chat/completions']);
  });

  it.each(validChats)('sb.stream with %s', async (_name, request) => {
    const response = await sb.stream(request as never).response;
    expect(response.text).toBe('fine');
    expect(server.requests).toHaveLength(1);
  });

  it('sb.embed with a string and with an array', async () => {
    const one = await sb.embed({ model: 'openai/text-embedding-3-small', input: 'a' });
    const many = await sb.embed({
      model: { provider: 'openai', model: 'text-embedding-3-small' },
      input: ['a', 'b', 'c'],
    });
    expect(one.embeddings).toHaveLength(1);
    expect(many.embeddings).toHaveLength(3);
    expect(server.requests.map((received) => received.path)).toEqual(['/v1/embeddings', '/v1/embeddings']);
  });
});
