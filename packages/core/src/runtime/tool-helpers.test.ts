import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidResponseError } from '../errors/errors.js';
import type { ToolCall } from '../types/requests.js';
import { executeToolCalls, tool, toolResultMessage, validateToolCalls } from './tool-helpers.js';

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

const seen: unknown[] = [];
const weather = tool({
  name: 'weather',
  parameters: z.object({ city: z.string(), days: z.coerce.number().default(1) }),
  execute: ({ city, days }) => {
    seen.push({ city, days });
    return { city: city.toUpperCase(), days };
  },
});
const failing = tool({
  name: 'failing',
  parameters: { type: 'object' },
  execute: () => {
    throw new Error(`upstream refused key ${KEY}`);
  },
});
const noHandler = tool({ name: 'manual', parameters: z.object({ id: z.string() }) });

const call = (name: string, args: Record<string, unknown>, id = `call_${name}`): ToolCall => ({
  id,
  name,
  arguments: args,
});

describe('executeToolCalls', () => {
  it('runs each call with its validated arguments and returns the results in order', async () => {
    seen.length = 0;
    const results = await executeToolCalls(
      [call('weather', { city: 'Paris', days: '3' }, 'a'), call('weather', { city: 'Oslo' }, 'b')],
      [weather],
    );
    expect(results).toEqual([
      { toolCallId: 'a', name: 'weather', result: { city: 'PARIS', days: 3 }, isError: false },
      { toolCallId: 'b', name: 'weather', result: { city: 'OSLO', days: 1 }, isError: false },
    ]);
    expect(seen).toEqual([
      { city: 'Paris', days: 3 },
      { city: 'Oslo', days: 1 },
    ]);
  });

  it('never throws: bad arguments, unknown tools, missing handlers and throwing handlers are error results', async () => {
    seen.length = 0;
    const results = await executeToolCalls(
      [call('weather', { city: 42 }), call('nowhere', {}), call('manual', { id: 'x' }), call('failing', {})],
      { weather, failing, manual: noHandler },
    );
    expect(seen).toEqual([]);
    expect(results.map((result) => result.isError)).toEqual([true, true, true, true]);
    const errorOf = (index: number): string => (results[index]?.result as { error: string } | undefined)?.error ?? '';
    expect(errorOf(0)).toMatch(/^Invalid arguments for tool 'weather': city: /);
    expect(results[1]?.result).toEqual({ error: "Unknown tool 'nowhere'" });
    expect(results[2]?.result).toEqual({ error: "Tool 'manual' has no execute handler" });
    // The handler's message reaches the model without the key in it.
    const message = errorOf(3);
    expect(message).toContain('upstream refused key');
    expect(message).not.toContain(KEY);
    expect(message).not.toContain('abcdefghijklmnop');
  });

  it('removes the secrets it is given from handler errors', async () => {
    const secret = 'corp-token-98765-zyxwv';
    const leaky = tool({
      name: 'leaky',
      parameters: { type: 'object' },
      execute: () => {
        throw new Error(`denied for ${secret}`);
      },
    });
    const [result] = await executeToolCalls([call('leaky', {})], [leaky], { secrets: [secret] });
    expect(result?.result).toEqual({ error: 'denied for [redacted]' });
  });

  it('passes the signal and the call id to the handler', async () => {
    const controller = new AbortController();
    let context: unknown;
    const probe = tool({
      name: 'probe',
      parameters: { type: 'object' },
      execute: (_args, given) => {
        context = given;
        return 'ok';
      },
    });
    await executeToolCalls([call('probe', {}, 'id-7')], [probe], { signal: controller.signal });
    expect(context).toEqual({ toolCallId: 'id-7', signal: controller.signal });
  });
});

describe('toolResultMessage', () => {
  const weatherCall = call('weather', { city: 'Paris' });

  it('keeps strings, serializes anything else as JSON and errors as { error }', () => {
    expect(toolResultMessage(weatherCall, 'sunny')).toEqual({
      role: 'tool',
      toolCallId: 'call_weather',
      name: 'weather',
      content: 'sunny',
    });
    expect(toolResultMessage(weatherCall, { temp: 21 }).content).toBe('{"temp":21}');
    expect(toolResultMessage(weatherCall, undefined).content).toBe('null');
    expect(toolResultMessage(weatherCall, new Error('no data')).content).toBe('{"error":"no data"}');
  });

  it('takes a result of executeToolCalls as it is', async () => {
    const [ok] = await executeToolCalls([weatherCall], [weather]);
    expect(toolResultMessage(weatherCall, ok).content).toBe('{"city":"PARIS","days":1}');
    const bad = call('weather', { city: 1 });
    const [failed] = await executeToolCalls([bad], [weather]);
    expect(JSON.parse(toolResultMessage(bad, failed).content).error).toMatch(/city/);
  });
});

describe('validateToolCalls', () => {
  it('returns the calls with parsed arguments', async () => {
    await expect(validateToolCalls([call('manual', { id: 'x' })], [noHandler])).resolves.toEqual([
      call('manual', { id: 'x' }),
    ]);
    await expect(validateToolCalls([call('weather', { city: 'Rome' })], [weather])).resolves.toEqual([
      call('weather', { city: 'Rome', days: 1 }),
    ]);
  });

  it('fails with invalid-response naming the tool and the field', async () => {
    const error = await validateToolCalls([call('manual', { id: 5 })], [noHandler]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toMatch(/tool 'manual'.*id: /);
    expect((error as InvalidResponseError).body).toMatchObject({ tool: 'manual', field: 'id' });
    await expect(validateToolCalls([call('nowhere', {})], [noHandler])).rejects.toThrow(/'nowhere'/);
  });
});
