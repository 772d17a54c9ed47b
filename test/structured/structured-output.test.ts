/**
 * Structured output through the whole runtime against a real local HTTP server (issue 9, item 1):
 * the WIRE body follows the model's catalog facts (gpt-4 gets a forced tool, never
 * `response_format: json_schema`; gpt-4o gets json_schema; groq/compound gets JSON mode), and a
 * stream with a `schema` emits growing `object-delta` events and resolves `response.object`.
 */
import type { ServerResponse } from 'node:http';
import { createSwitchboard, type StreamEvent, StructuredOutputError } from '@switchboard/core';
import { createGroq } from '@switchboard/provider-groq';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { GROQ_KEY, OPENAI_KEY, recordingClock } from '../fault/helpers.js';
import { type LocalServer, type RecordedRequest, sse, startServer } from '../support/local-server.js';

type Reply = (request: RecordedRequest, res: ServerResponse) => void;
let replies: Reply[] = [];
let server: LocalServer;
beforeAll(async () => {
  server = await startServer((request, res) => {
    const reply = replies.shift();
    if (reply === undefined) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"no scripted reply"}}');
      return;
    }
    reply(request, res);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  replies = [];
  server.requests.length = 0;
});

const switchboard = () =>
  createSwitchboard({
    providers: [
      createOpenAI({ apiKey: OPENAI_KEY, baseURL: `http://127.0.0.1:${server.port}/v1` }),
      createGroq({ apiKey: GROQ_KEY, baseURL: `http://127.0.0.1:${server.port}/openai/v1` }),
    ] as const,
    clock: recordingClock(),
    retry: false,
  });

const person = z.object({ name: z.string(), age: z.number(), languages: z.array(z.string()) });
const ADA = { name: 'Ada Lovelace', age: 36, languages: ['en', 'fr'] };
const messages = [{ role: 'user' as const, content: 'Who wrote the first program?' }];
const USAGE = { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 };

/** The JSON body of the n-th request the server received. */
const wire = (index = 0): Record<string, unknown> => JSON.parse(server.requests[index]?.body ?? 'null');

const json = (body: unknown): Reply => {
  return (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
};
const events = (list: unknown[]): Reply => {
  return (_request, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(sse([...list, '[DONE]']));
  };
};

const completion = (model: string, message: Record<string, unknown>, finish = 'stop') => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_733_000_000,
  model,
  choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }],
  usage: USAGE,
});
const toolAnswer = (model: string, args: string) =>
  completion(
    model,
    { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'person', arguments: args } }] },
    'tool_calls',
  );
const chunk = (model: string, delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_733_000_000,
  model,
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk = (model: string) => ({ id: 'chatcmpl-1', model, choices: [], usage: USAGE });

/** Splits a text into pieces of `size` characters (a stream of small deltas). */
const pieces = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** Whether `next` says everything `previous` says (strings may grow, arrays and objects gain entries). */
function extendsValue(previous: unknown, next: unknown): boolean {
  if (typeof previous === 'string') return typeof next === 'string' && next.startsWith(previous);
  if (Array.isArray(previous))
    return (
      Array.isArray(next) &&
      next.length >= previous.length &&
      previous.every((item, index) => extendsValue(item, next[index]))
    );
  if (typeof previous === 'object' && previous !== null) {
    if (typeof next !== 'object' || next === null) return false;
    const target = next as Record<string, unknown>;
    return Object.entries(previous).every(([key, value]) => key in target && extendsValue(value, target[key]));
  }
  return Object.is(previous, next);
}

/** Iterates a stream; returns every event. */
async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

const objectDeltas = (list: StreamEvent[]) =>
  list.flatMap((event) => (event.type === 'object-delta' ? [event.object] : []));

describe('sb.chat with a schema: the wire follows the model', () => {
  it('gpt-4 (no structured output in the catalog) gets a forced tool, never response_format json_schema', async () => {
    replies = [json(toolAnswer('gpt-4', JSON.stringify(ADA)))];
    const res = await switchboard().chat({ model: 'openai/gpt-4', messages, schema: person, schemaName: 'person' });

    const body = wire();
    expect(body.response_format).toBeUndefined();
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
    const tools = body.tools as { type: string; function: { name: string; parameters: { properties: object } } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(['person']);
    expect(Object.keys(tools[0]?.function.parameters.properties ?? {})).toEqual(['name', 'age', 'languages']);
    expect(res.object).toEqual(ADA);
    expect(res.warnings).toContain(
      "Structured output: model 'openai/gpt-4' has no JSON-schema mode; asked through a forced tool 'person', validated locally",
    );
  });

  it('a wrong forced-tool answer is shown to the model and retried, still through the tool', async () => {
    replies = [json(toolAnswer('gpt-4', '{"name":"Ada"}')), json(toolAnswer('gpt-4', JSON.stringify(ADA)))];
    const res = await switchboard().chat({ model: 'openai/gpt-4', messages, schema: person, schemaName: 'person' });

    expect(res.object).toEqual(ADA);
    expect(server.requests).toHaveLength(2);
    expect(wire(1).response_format).toBeUndefined();
    expect(wire(1).tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
    expect(JSON.stringify(wire(1).messages)).toContain('did not match the required schema');
    // One warning line, however many attempts.
    expect(res.warnings.filter((warning) => warning.startsWith('Structured output:'))).toHaveLength(1);
  });

  it('gpt-4o (structured output in the catalog) gets response_format json_schema and no mode warning', async () => {
    replies = [json(completion('gpt-4o', { content: JSON.stringify(ADA) }))];
    const res = await switchboard().chat({ model: 'openai/gpt-4o', messages, schema: person, schemaName: 'person' });

    const body = wire();
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person' } });
    expect(body.tools).toBeUndefined();
    expect(res.object).toEqual(ADA);
    expect(res.warnings.some((warning) => warning.startsWith('Structured output:'))).toBe(false);
  });

  it('groq/compound (no structured output, no tools; Groq has JSON mode) gets json_object and the schema in the system prompt', async () => {
    replies = [json(completion('groq/compound', { content: JSON.stringify(ADA) }))];
    const res = await switchboard().chat({ model: 'groq/groq/compound', messages, schema: person });

    const body = wire();
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.tools).toBeUndefined();
    const first = (body.messages as { role: string; content: string }[])[0];
    expect(first?.role).toBe('system');
    expect(first?.content).toContain('"languages"');
    expect(res.object).toEqual(ADA);
    expect(res.warnings.join('\n')).toMatch(/asked through JSON mode/);
  });
});

describe('sb.stream with a schema: object-delta events and response.object', () => {
  it('json_schema plan: object-deltas grow with the text, the last equals response.object', async () => {
    const text = JSON.stringify(ADA);
    replies = [
      events([
        ...pieces(text, 3).map((piece) => chunk('gpt-4o', { content: piece })),
        chunk('gpt-4o', {}, 'stop'),
        usageChunk('gpt-4o'),
      ]),
    ];
    const stream = switchboard().stream({ model: 'openai/gpt-4o', messages, schema: person, schemaName: 'person' });
    const list = await collect(stream);
    const response = await stream.response;

    expect(wire().stream).toBe(true);
    expect(wire().response_format).toMatchObject({ type: 'json_schema' });
    const objects = objectDeltas(list);
    expect(objects.length).toBeGreaterThan(5);
    for (let i = 1; i < objects.length; i += 1) expect(extendsValue(objects[i - 1], objects[i])).toBe(true);
    // Partial values show up before the answer is complete (a half-written name).
    expect(
      objects.some(
        (object) =>
          typeof (object as { name?: unknown }).name === 'string' &&
          (object as { name: string }).name.length < ADA.name.length,
      ),
    ).toBe(true);
    expect(objects.at(-1)).toEqual(ADA);
    expect(response.object).toEqual(ADA);
    // Typed from the schema, like sb.chat (checked by `tsc -p test/tsconfig.json`).
    expectTypeOf(response.object).toEqualTypeOf<z.infer<typeof person> | undefined>();
    expect(response.text).toBe(text);
    // The final object-delta comes before finish.
    const types = list.map((event) => event.type);
    expect(types.lastIndexOf('object-delta')).toBeLessThan(types.indexOf('finish'));
  });

  it('forced-tool plan (gpt-4): object-deltas grow with the tool-call argument deltas', async () => {
    const args = JSON.stringify(ADA);
    const [head, ...rest] = pieces(args, 4);
    replies = [
      events([
        chunk('gpt-4', {
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'person', arguments: head } }],
        }),
        ...rest.map((piece) => chunk('gpt-4', { tool_calls: [{ index: 0, function: { arguments: piece } }] })),
        chunk('gpt-4', {}, 'tool_calls'),
        usageChunk('gpt-4'),
      ]),
    ];
    const stream = switchboard().stream({ model: 'openai/gpt-4', messages, schema: person, schemaName: 'person' });
    const list = await collect(stream);
    const response = await stream.response;

    expect(wire().response_format).toBeUndefined();
    expect(wire().tool_choice).toEqual({ type: 'function', function: { name: 'person' } });
    const objects = objectDeltas(list);
    expect(objects.length).toBeGreaterThan(3);
    for (let i = 1; i < objects.length; i += 1) expect(extendsValue(objects[i - 1], objects[i])).toBe(true);
    expect(objects.at(-1)).toEqual(ADA);
    expect(response.object).toEqual(ADA);
    expect(response.warnings.join('\n')).toMatch(/forced tool 'person'/);
  });

  it('an answer that does not validate ends the stream with StructuredOutputError, partial kept, no retry', async () => {
    const text = JSON.stringify({ name: 'Ada Lovelace', age: 'thirty-six', languages: [] });
    replies = [
      events([
        ...pieces(text, 5).map((piece) => chunk('gpt-4o', { content: piece })),
        chunk('gpt-4o', {}, 'stop'),
        usageChunk('gpt-4o'),
      ]),
    ];
    const stream = switchboard().stream({ model: 'openai/gpt-4o', messages, schema: person });
    const list = await collect(stream);
    const last = list.at(-1);

    expect(last?.type).toBe('error');
    if (last?.type !== 'error') throw new Error('unreachable');
    expect(last.error).toBeInstanceOf(StructuredOutputError);
    expect((last.error as StructuredOutputError).text).toBe(text);
    expect(last.partial.text).toBe(text);
    await expect(stream.response).rejects.toBeInstanceOf(StructuredOutputError);
    expect(server.requests).toHaveLength(1);
  });

  it('JSON-mode plan (groq/compound): object-deltas from a fenced answer, the last equals response.object', async () => {
    const text = `\`\`\`json\n${JSON.stringify(ADA, null, 1)}\n\`\`\``;
    replies = [
      events([
        ...pieces(text, 6).map((piece) => chunk('groq/compound', { content: piece })),
        chunk('groq/compound', {}, 'stop'),
      ]),
    ];
    const stream = switchboard().stream({ model: 'groq/groq/compound', messages, schema: person });
    const objects = objectDeltas(await collect(stream));

    expect(wire().response_format).toEqual({ type: 'json_object' });
    expect(objects.length).toBeGreaterThan(3);
    for (let i = 1; i < objects.length; i += 1) expect(extendsValue(objects[i - 1], objects[i])).toBe(true);
    expect(objects.at(-1)).toEqual(ADA);
    expect((await stream.response).object).toEqual(ADA);
  });

  it('a custom provider streaming text gets object-deltas and response.object too', async () => {
    const text = JSON.stringify(ADA);
    const custom = {
      id: 'mine',
      kind: 'custom' as const,
      chat: async () => {
        throw new Error('not used');
      },
      async *stream(): AsyncIterable<StreamEvent> {
        for (const piece of pieces(text, 5)) yield { type: 'text-delta', text: piece };
      },
    };
    const stream = createSwitchboard({ providers: [custom] }).stream({ model: 'mine/any', messages, schema: person });
    const objects = objectDeltas(await collect(stream));
    expect(objects.length).toBeGreaterThan(3);
    expect(objects.at(-1)).toEqual(ADA);
    expect((await stream.response).object).toEqual(ADA);
  });

  it('a stream without a schema has no object-delta events', async () => {
    replies = [events([chunk('gpt-4o', { content: '{"a": 1}' }), chunk('gpt-4o', {}, 'stop')])];
    const stream = switchboard().stream({ model: 'openai/gpt-4o', messages });
    const list = await collect(stream);
    expect(list.some((event) => event.type === 'object-delta')).toBe(false);
    expect((await stream.response).object).toBeUndefined();
  });
});
