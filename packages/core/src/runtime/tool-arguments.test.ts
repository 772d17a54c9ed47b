import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidResponseError } from '../errors/errors.js';
import type { ToolCall, ToolDefinition } from '../types/requests.js';
import { argumentErrorForModel, checkToolArguments, invalidToolArguments } from './tool-arguments.js';

const call = (args: Record<string, unknown>, name = 'weather'): ToolCall => ({ id: 'call_1', name, arguments: args });

const zodTool: ToolDefinition = {
  name: 'weather',
  parameters: z.object({ city: z.string(), days: z.number().int().default(1) }),
};
const jsonTool: ToolDefinition = {
  name: 'weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } },
    required: ['city'],
    additionalProperties: false,
  },
};

describe('checkToolArguments with zod', () => {
  it('refuses a number for a string field, naming the field', () => {
    const checked = checkToolArguments(zodTool, call({ city: 42 }));
    expect(checked).toMatchObject({ valid: false, problems: [{ path: 'city' }] });
    if ('problems' in checked) expect(checked.problems[0]?.message).toMatch(/string/);
  });

  it('hands on the parsed data: defaults apply', () => {
    expect(checkToolArguments(zodTool, call({ city: 'Paris' }))).toEqual({
      valid: true,
      arguments: { city: 'Paris', days: 1 },
    });
  });

  it('names nested fields with their index', () => {
    const tool: ToolDefinition = {
      name: 'route',
      parameters: z.object({ stops: z.array(z.object({ name: z.string() })) }),
    };
    const checked = checkToolArguments(tool, call({ stops: [{ name: 'a' }, { name: 1 }] }, 'route'));
    expect(checked).toMatchObject({ valid: false, problems: [{ path: 'stops[1].name' }] });
  });

  it('awaits an asynchronous refinement', async () => {
    const tool: ToolDefinition = {
      name: 'weather',
      parameters: z.object({ city: z.string().refine(async (city) => city !== 'Atlantis', 'no such city') }),
    };
    await expect(checkToolArguments(tool, call({ city: 'Atlantis' }))).resolves.toEqual({
      valid: false,
      problems: [{ path: 'city', message: 'no such city' }],
    });
  });
});

describe('checkToolArguments with JSON Schema (ajv)', () => {
  it('refuses a wrong type, a missing field, an extra field and a value outside an enum', () => {
    expect(checkToolArguments(jsonTool, call({ city: 42 }))).toEqual({
      valid: false,
      problems: [{ path: 'city', message: 'must be string' }],
    });
    expect(checkToolArguments(jsonTool, call({}))).toEqual({
      valid: false,
      problems: [{ path: 'city', message: 'is required' }],
    });
    expect(checkToolArguments(jsonTool, call({ city: 'Paris', country: 'FR' }))).toEqual({
      valid: false,
      problems: [{ path: 'country', message: 'is not an allowed property' }],
    });
    expect(checkToolArguments(jsonTool, call({ city: 'Paris', unit: 'k' }))).toEqual({
      valid: false,
      problems: [{ path: 'unit', message: 'must be equal to one of the allowed values: c, f' }],
    });
  });

  it('passes valid arguments on as they are', () => {
    const args = { city: 'Paris', unit: 'c' };
    expect(checkToolArguments(jsonTool, call(args))).toEqual({ valid: true, arguments: args });
  });
});

describe('arguments that were not valid JSON', () => {
  it('are invalid for every kind of schema (stream `_raw` and response `__raw`)', () => {
    const loose: ToolDefinition = { name: 'weather', parameters: { type: 'object' } };
    for (const tool of [zodTool, jsonTool, loose])
      for (const args of [{ _raw: '{"city": "Par' }, { __raw: 'city=Paris' }])
        expect(checkToolArguments(tool, call(args))).toMatchObject({ valid: false, problems: [{ path: '' }] });
  });
});

describe('what the model and the caller are told', () => {
  it('the model gets the tool, the field and the problem', () => {
    expect(argumentErrorForModel('weather', [{ path: 'city', message: 'must be string' }])).toBe(
      "Invalid arguments for tool 'weather': city: must be string. Call the tool again with corrected arguments.",
    );
  });

  it('the caller gets invalid-response naming the tool and the field', () => {
    const error = invalidToolArguments(call({ city: 42 }), [{ path: 'city', message: 'must be string' }], {
      provider: 'openai',
      model: 'gpt-4o',
    });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.kind).toBe('invalid-response');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("tool 'weather'");
    expect(error.message).toContain('city: must be string');
    expect(error.body).toMatchObject({ tool: 'weather', field: 'city' });
    expect(error.provider).toBe('openai');
  });
});
