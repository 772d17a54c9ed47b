import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidRequestError } from '../errors/errors.js';
import { checkSchema } from './validate-json-schema.js';
import { type RequestValidationError, validateRequest } from './validate-request.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const base = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
const tool = (name: unknown, parameters: unknown = { type: 'object', properties: {} }) => ({ name, parameters });
const circular = (): Record<string, unknown> => {
  const schema: Record<string, unknown> = { type: 'object', properties: {} };
  (schema.properties as Record<string, unknown>).self = schema;
  return schema;
};

/** The error `validateRequest` throws (fails the test when it throws nothing). */
function refusal(operation: 'chat' | 'stream' | 'embed', request: unknown): RequestValidationError {
  try {
    validateRequest(operation, request);
  } catch (error) {
    return error as RequestValidationError;
  }
  throw new Error('the request was accepted');
}

describe('validateRequest refuses bad chat requests naming the field', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['model missing', { messages: base.messages }, 'model', 'got undefined'],
    ['model empty', { ...base, model: '' }, 'model', 'got ""'],
    ['model a number', { ...base, model: 42 }, 'model', 'got 42'],
    ['pair without model', { ...base, model: { provider: 'openai' } }, 'model.model', 'got undefined'],
    ['pair with empty provider', { ...base, model: { provider: '', model: 'gpt-4o' } }, 'model.provider', 'got ""'],
    ['messages null', { ...base, messages: null }, 'messages', 'got null'],
    ['messages empty', { ...base, messages: [] }, 'messages', 'non-empty'],
    ['a message that is a string', { ...base, messages: ['hi'] }, 'messages[0]', 'got "hi"'],
    ['unknown role', { ...base, messages: [{ role: 'admin', content: 'x' }] }, 'messages[0].role', 'got "admin"'],
    ['user content null', { ...base, messages: [{ role: 'user', content: null }] }, 'messages[0].content', 'null'],
    ['user content empty parts', { ...base, messages: [{ role: 'user', content: [] }] }, 'messages[0].content', ''],
    ['system content parts', { ...base, messages: [{ role: 'system', content: [] }] }, 'messages[0].content', ''],
    [
      'image null',
      {
        ...base,
        messages: [
          { role: 'system', content: 'Be brief' },
          { role: 'assistant', content: 'ok' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what?' },
              { type: 'image', image: null },
            ],
          },
        ],
      },
      'messages[2].content[1].image',
      'got null',
    ],
    [
      'image a number',
      { ...base, messages: [{ role: 'user', content: [{ type: 'image', image: 7 }] }] },
      'messages[0].content[0].image',
      'got 7',
    ],
    [
      'image detail unknown',
      { ...base, messages: [{ role: 'user', content: [{ type: 'image', image: PNG, detail: 'max' }] }] },
      'messages[0].content[0].detail',
      'got "max"',
    ],
    [
      'part of unknown type',
      { ...base, messages: [{ role: 'user', content: [{ type: 'audio', data: 'x' }] }] },
      'messages[0].content[0].type',
      'got "audio"',
    ],
    [
      'text part without text',
      { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      'messages[0].content[0].text',
      'got undefined',
    ],
    [
      'file path empty',
      { ...base, messages: [{ role: 'user', content: [{ type: 'file', path: '' }] }] },
      'messages[0].content[0].path',
      'got ""',
    ],
    [
      'file without media type',
      { ...base, messages: [{ role: 'user', content: [{ type: 'file', data: PNG }] }] },
      'messages[0].content[0].mediaType',
      'got undefined',
    ],
    [
      'tool message without toolCallId',
      { ...base, messages: [...base.messages, { role: 'tool', content: '42' }] },
      'messages[1].toolCallId',
      'got undefined',
    ],
    [
      'tool message with object content',
      { ...base, messages: [{ role: 'tool', toolCallId: 'c1', content: { answer: 42 } }] },
      'messages[0].content',
      'an object',
    ],
    [
      'assistant tool call without arguments',
      { ...base, messages: [{ role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'f' }] }] },
      'messages[0].toolCalls[0].arguments',
      'got undefined',
    ],
    [
      'assistant content a number',
      { ...base, messages: [{ role: 'assistant', content: 3 }] },
      'messages[0].content',
      'got 3',
    ],
    ['temperature a string', { ...base, temperature: 'hot' }, 'temperature', 'got "hot"'],
    ['temperature above 2', { ...base, temperature: 2.5 }, 'temperature', 'from 0 to 2'],
    ['temperature NaN', { ...base, temperature: Number.NaN }, 'temperature', 'got NaN'],
    ['maxTokens negative', { ...base, maxTokens: -1 }, 'maxTokens', 'positive integer, got -1'],
    ['maxTokens fractional', { ...base, maxTokens: 10.5 }, 'maxTokens', 'got 10.5'],
    ['topP a string', { ...base, topP: 'x' }, 'topP', 'got "x"'],
    ['topP above 1', { ...base, topP: 1.1 }, 'topP', 'from 0 to 1'],
    ['frequencyPenalty out of range', { ...base, frequencyPenalty: -3 }, 'frequencyPenalty', 'from -2 to 2'],
    ['presencePenalty out of range', { ...base, presencePenalty: 2.1 }, 'presencePenalty', 'from -2 to 2'],
    ['seed fractional', { ...base, seed: 1.5 }, 'seed', 'an integer'],
    ['stop a number', { ...base, stop: 5 }, 'stop', 'got 5'],
    ['stop with an empty sequence', { ...base, stop: ['END', ''] }, 'stop[1]', 'non-empty'],
    ['stop too long', { ...base, stop: Array.from({ length: 17 }, (_, i) => `s${i}`) }, 'stop', 'at most 16'],
    ['maxSteps negative', { ...base, maxSteps: -1 }, 'maxSteps', 'non-negative integer'],
    ['maxRetries fractional', { ...base, maxRetries: 1.5 }, 'maxRetries', 'non-negative integer'],
    ['reasoning effort unknown', { ...base, reasoning: { effort: 'max' } }, 'reasoning.effort', 'got "max"'],
    ['empty tool name', { ...base, tools: [tool('')] }, 'tools[0].name', 'got ""'],
    ['tool name with a space', { ...base, tools: [tool('a'), tool('get weather')] }, 'tools[1].name', 'letters'],
    ['tool name of 65 characters', { ...base, tools: [tool('a'.repeat(65))] }, 'tools[0].name', '1 to 64'],
    ['tool name missing', { ...base, tools: [{ parameters: {} }] }, 'tools[0].name', 'got undefined'],
    ['duplicate tool names', { ...base, tools: [tool('search'), tool('search')] }, 'tools[1].name', "'search'"],
    ['tool without parameters', { ...base, tools: [{ name: 'f' }] }, 'tools[0].parameters', 'got undefined'],
    [
      "tool schema with type 'objekt'",
      { ...base, tools: [tool('a'), tool('b', { type: 'object', properties: { city: { type: 'objekt' } } })] },
      'tools[1].parameters.properties.city.type',
      'not valid JSON Schema',
    ],
    [
      'circular tool schema',
      { ...base, tools: [tool('loop', circular())] },
      'tools[0].parameters.properties.self',
      'circular',
    ],
    [
      'tool schema with a dangling $ref',
      { ...base, tools: [tool('a', { $ref: '#/$defs/missing' })] },
      'tools[0].parameters',
      "can't resolve reference",
    ],
    ['tools a string', { ...base, tools: 'search' }, 'tools', 'got "search"'],
    ['tool in a record with a bad name', { ...base, tools: { 'bad name': { parameters: {} } } }, 'tools.bad name', ''],
    ['toolChoice unknown', { ...base, toolChoice: 'always' }, 'toolChoice', 'got "always"'],
    [
      'toolChoice naming no tool',
      { ...base, tools: [tool('search')], toolChoice: { name: 'browse' } },
      'toolChoice.name',
      "'browse'",
    ],
    ["structured-output schema with type 'objekt'", { ...base, schema: { type: 'objekt' } }, 'schema.type', ''],
    ['circular structured-output schema', { ...base, schema: circular() }, 'schema.properties.self', 'circular'],
    ['schema a string', { ...base, schema: 'json' }, 'schema', 'got "json"'],
    ['schemaName with a space', { ...base, schemaName: 'my answer' }, 'schemaName', 'got "my answer"'],
    ['fallback of a bad ref', { ...base, fallback: ['anthropic/claude', { provider: 'x' }] }, 'fallback[1].model', ''],
    ['tags a string', { ...base, tags: 'a' }, 'tags', 'got "a"'],
    ['header value a number', { ...base, headers: { 'x-trace': 5 } }, 'headers.x-trace', 'got 5'],
    ['signal not a signal', { ...base, signal: {} }, 'signal', 'an AbortSignal'],
  ];

  it.each(cases)('%s', (_name, request, field, detail) => {
    for (const operation of ['chat', 'stream'] as const) {
      const error = refusal(operation, request);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.kind).toBe('invalid-request');
      expect(error.retryable).toBe(false);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`Invalid request: ${field} `);
      expect(error.message).toContain(detail);
    }
  });

  it('refuses a request that is not an object', () => {
    expect(refusal('chat', null).field).toBe('request');
    expect(refusal('embed', 'text').field).toBe('request');
  });

  it('never echoes long strings (they may hold user content)', () => {
    const secret = 'x'.repeat(200);
    const error = refusal('chat', { ...base, temperature: secret });
    expect(error.message).toContain('a string of 200 characters');
    expect(error.message).not.toContain(secret);
  });
});

describe('validateRequest refuses bad embed requests naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['input missing', { model: 'openai/text-embedding-3-small' }, 'input'],
    ['input empty string', { model: 'openai/text-embedding-3-small', input: '' }, 'input'],
    ['input empty array', { model: 'openai/text-embedding-3-small', input: [] }, 'input'],
    ['input with a number', { model: 'openai/text-embedding-3-small', input: ['a', 2] }, 'input[1]'],
    ['input with an empty string', { model: 'openai/text-embedding-3-small', input: ['a', ''] }, 'input[1]'],
    ['model missing', { input: 'a' }, 'model'],
    ['dimensions zero', { model: 'openai/text-embedding-3-small', input: 'a', dimensions: 0 }, 'dimensions'],
    ['encoding unknown', { model: 'openai/text-embedding-3-small', input: 'a', encoding: 'hex' }, 'encoding'],
  ];
  it.each(cases)('%s', (_name, request, field) => {
    const error = refusal('embed', request);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(`Invalid request: ${field} `);
  });
});

describe('validateRequest accepts every valid form', () => {
  const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const valid: [string, Record<string, unknown>][] = [
    ['string content', base],
    ['a {provider, model} pair', { ...base, model: { provider: 'openai', model: 'gpt-4o' } }],
    ['a model group name', { ...base, model: 'fast' }],
    [
      'parts with images by URL, data URL, bytes, URL object, path form and a file',
      {
        ...base,
        messages: [
          { role: 'system', content: 'Describe.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'these' },
              { type: 'image', image: 'https://example.com/a.png', detail: 'low' },
              { type: 'image', image: 'data:image/png;base64,iVBORw0KGgo=' },
              { type: 'image', image: PNG, mediaType: 'image/png' },
              { type: 'image', image: new URL('file:///tmp/a.png') },
              { type: 'image', path: '/tmp/a.png' },
              { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'a.pdf' },
              { type: 'file', path: '/tmp/notes.pdf' },
            ],
          },
        ],
      },
    ],
    [
      'a tool round trip (assistant toolCalls, tool message)',
      {
        ...base,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
          },
          { role: 'tool', toolCallId: 'c1', name: 'get_weather', content: '{"temp":21}' },
          { role: 'assistant', content: [{ type: 'text', text: 'It is 21.' }] },
        ],
        tools: [{ name: 'get_weather', description: 'Weather', parameters: weather, execute: () => 21 }],
        toolChoice: { name: 'get_weather' },
      },
    ],
    ['tools as a record by name', { ...base, tools: { get_weather: { parameters: weather } }, toolChoice: 'required' }],
    ['a zod tool schema', { ...base, tools: [{ name: 'f', parameters: z.object({ q: z.string() }) }] }],
    ['a zod structured-output schema', { ...base, schema: z.object({ a: z.number() }), schemaName: 'answer' }],
    [
      'a 2020-12 JSON Schema with $defs',
      {
        ...base,
        schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          $defs: { city: { type: 'string' } },
          properties: { city: { $ref: '#/$defs/city' } },
        },
      },
    ],
    [
      'a draft-04 JSON Schema',
      { ...base, schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' } },
    ],
    ['extra keywords in a schema', { ...base, schema: { type: 'object', 'x-order': 1, examples: [{}] } }],
    [
      'every generation option at its bounds',
      {
        ...base,
        temperature: 0,
        topP: 1,
        maxTokens: 1,
        frequencyPenalty: -2,
        presencePenalty: 2,
        seed: -7,
        stop: ['END', 'STOP'],
        reasoning: { effort: 'high', budgetTokens: 1024 },
        maxSteps: 0,
        maxRetries: 0,
      },
    ],
    [
      'resilience and bookkeeping fields',
      {
        ...base,
        stop: 'END',
        fallback: ['anthropic/claude-sonnet-4-5', { provider: 'groq', model: 'llama' }],
        tags: ['team-a'],
        budget: 'user-1',
        requestId: 'r-1',
        headers: { 'x-trace': 'abc', 'x-unset': undefined },
        providerOptions: { openai: { user: 'u' } },
        trackCost: false,
        breaker: false,
        signal: new AbortController().signal,
      },
    ],
  ];
  it.each(valid)('%s', (_name, request) => {
    expect(() => validateRequest('chat', request)).not.toThrow();
    expect(() => validateRequest('stream', request)).not.toThrow();
  });

  it('embed input as a string or an array of strings', () => {
    expect(() => validateRequest('embed', { model: 'openai/text-embedding-3-small', input: 'a' })).not.toThrow();
    expect(() =>
      validateRequest('embed', {
        model: { provider: 'openai', model: 'text-embedding-3-small' },
        input: ['a', 'b'],
        dimensions: 256,
        encoding: 'base64',
      }),
    ).not.toThrow();
  });
});

describe('JSON Schemas are compiled once', () => {
  it('reuses the compiled validator for the same schema object and for an equal schema text', () => {
    const schema = { type: 'object', properties: { zone: { type: 'string' }, compiledOnce: { type: 'boolean' } } };
    const first = checkSchema('tools[0].parameters', schema);
    expect(first).toBeTypeOf('function');
    expect(checkSchema('tools[0].parameters', schema)).toBe(first);
    expect(checkSchema('tools[0].parameters', structuredClone(schema))).toBe(first);
    // And the compiled validator is a real one.
    expect(first?.({ zone: 'UTC', compiledOnce: true })).toBe(true);
    expect(first?.({ zone: 5 })).toBe(false);
  });

  it('skips zod schemas (zod produces valid JSON Schema itself)', () => {
    expect(checkSchema('schema', z.object({ a: z.string() }))).toBeUndefined();
  });

  it('refuses a schema with an $id twice in a row (ajv keeps no state between compiles)', () => {
    const bad = () => ({ $id: 'https://example.com/s', type: 'objekt' });
    expect(refusal('chat', { ...base, schema: bad() }).field).toBe('schema.type');
    expect(refusal('chat', { ...base, schema: bad() }).field).toBe('schema.type');
    const good = () => ({ $id: 'https://example.com/t', type: 'object' });
    expect(() => validateRequest('chat', { ...base, schema: good() })).not.toThrow();
    expect(() => validateRequest('chat', { ...base, schema: { ...good(), title: 'another text' } })).not.toThrow();
  });
});

describe('ajv is loaded lazily', () => {
  it('a plain chat never loads ajv; the first request with a JSON Schema does', () => {
    // A fresh process (the test runner's own module cache may already hold ajv through other tests).
    const hooks = fileURLToPath(new URL('../../../../test/bench/source-hooks.ts', import.meta.url));
    const validator = fileURLToPath(new URL('./validate-request.ts', import.meta.url));
    const probe = `
      import { createRequire } from 'node:module';
      const { validateRequest } = await import(${JSON.stringify(validator)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/ajv/'));
      const request = { model: 'a/b', messages: [{ role: 'user', content: 'x' }] };
      validateRequest('chat', request);
      const afterPlain = loaded();
      validateRequest('chat', { ...request, tools: [{ name: 't', parameters: { type: 'object' } }] });
      console.log(JSON.stringify({ afterPlain, afterSchema: loaded() }));`;
    const child = spawnSync(
      process.execPath,
      ['--no-warnings', '--import', hooks, '--input-type=module', '-e', probe],
      {
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ afterPlain: false, afterSchema: true });
  });
});
