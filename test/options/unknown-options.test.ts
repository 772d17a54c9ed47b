/**
 * Issue 9 item 4 through `createSwitchboard` against a real loopback server: request keys the
 * library does not know are not dropped without a word (a warning in `res.warnings` and the logger
 * names the key and what to write instead), and the ExLLM `onChunk` callback works on streams.
 */

import { type ChatRequest, type EmbedRequest, InvalidRequestError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../fault/fault-server.js';
import { faultSwitchboard, HI, recordingClock } from '../fault/helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}

/** A request as a JavaScript caller (or one ported from another library) writes it. */
const untyped = <R>(request: Record<string, unknown>): R => request as R;

const CHUNKS = ['One', ' two', ' three'];

describe('unknown request options warn, naming the key and the closest known one', () => {
  it('max_tokens warns "did you mean maxTokens" and is not sent (nor silently mapped)', async () => {
    const server = await start([{ type: 'ok', text: 'Hi' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.chat(untyped<ChatRequest>({ model: 'openai/gpt-4o-mini', messages: HI, max_tokens: 50 }));
    expect(res.text).toBe('Hi');
    expect(res.warnings).toContain('Unknown option `max_tokens` ignored: did you mean `maxTokens`?');
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.max_tokens).toBeUndefined();
    expect(body.max_completion_tokens).toBeUndefined();
  });

  it('functions and function_call point at tools and toolChoice; a typo gets its closest key', async () => {
    const server = await start([{ type: 'ok', text: 'Hi' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.chat(
      untyped<ChatRequest>({
        model: 'openai/gpt-4o-mini',
        messages: HI,
        functions: [{ name: 'weather', parameters: { type: 'object' } }],
        function_call: 'auto',
        temprature: 0.2,
      }),
    );
    const unknown = res.warnings.filter((warning) => warning.startsWith('Unknown option'));
    expect(unknown).toHaveLength(3);
    expect(unknown[0]).toMatch(/^Unknown option `functions` ignored: .*`tools`/);
    expect(unknown[1]).toMatch(/^Unknown option `function_call` ignored: .*`toolChoice`/);
    expect(unknown[2]).toBe('Unknown option `temprature` ignored: did you mean `temperature`?');
  });

  it('a request with known keys only gets no such warning, and the logger hears about unknown ones', async () => {
    const server = await start([{ type: 'ok', text: 'Hi' }]);
    const lines: string[] = [];
    const logger = {
      warn: (message: string) => lines.push(message),
      info: () => undefined,
      debug: () => undefined,
      error: () => undefined,
    };
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock(), logger });
    const clean = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, maxTokens: 20, temperature: 0 });
    expect(clean.warnings.filter((warning) => warning.startsWith('Unknown option'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('Unknown option'))).toEqual([]);
    await sb.chat(untyped<ChatRequest>({ model: 'openai/gpt-4o-mini', messages: HI, topp: 0.5 }));
    expect(lines).toContain('Unknown option `topp` ignored: did you mean `topP`?');
  });

  it('a stream carries the warning on its final response; embed on its response', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const stream = sb.stream(untyped<ChatRequest>({ model: 'openai/gpt-4o-mini', messages: HI, max_tokens: 5 }));
    const response = await stream.response;
    expect(response.text).toBe(CHUNKS.join(''));
    expect(response.warnings).toContain('Unknown option `max_tokens` ignored: did you mean `maxTokens`?');

    const embedded = await sb.embed(
      untyped<EmbedRequest>({ model: 'openai/text-embedding-3-small', input: 'a', dimension: 8 }),
    );
    expect(embedded.warnings).toEqual(['Unknown option `dimension` ignored: did you mean `dimensions`?']);
    const clean = await sb.embed({ model: 'openai/text-embedding-3-small', input: 'a' });
    expect(clean.warnings).toBeUndefined();
  });
});

describe('onChunk on streams (ExLLM style)', () => {
  it('is called with each text delta while the stream is iterated', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const seen: string[] = [];
    const iterated: string[] = [];
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, onChunk: (text) => seen.push(text) });
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        // The callback has seen this delta (and those before it) by the time the event is handed out.
        expect(seen.slice(0, iterated.length + 1)).toEqual([...iterated, event.text]);
        iterated.push(event.text);
      }
    }
    expect(seen).toEqual(CHUNKS);
    expect(iterated).toEqual(CHUNKS);
    expect((await stream.response).warnings.filter((warning) => warning.includes('onChunk'))).toEqual([]);
  });

  it('is called when only `response` is awaited', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const seen: string[] = [];
    const response = await sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, onChunk: (text) => seen.push(text) })
      .response;
    expect(seen.join('')).toBe(response.text);
    expect(seen).toEqual(CHUNKS);
  });

  it('a throwing callback ends the stream with its error and keeps the partial text', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const stream = sb.stream({
      model: 'openai/gpt-4o-mini',
      messages: HI,
      onChunk: (text) => {
        if (text === ' two') throw new Error('consumer gave up');
      },
    });
    await expect(stream.response).rejects.toThrow('consumer gave up');
  });

  it('sb.chat warns that it ignores onChunk; a non-function is refused naming the field', async () => {
    const server = await start([{ type: 'ok', text: 'Hi' }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, onChunk: () => undefined });
    expect(res.warnings.some((warning) => warning.startsWith('Unknown option `onChunk` ignored: sb.chat'))).toBe(true);
    let refused: unknown;
    try {
      sb.stream(untyped<ChatRequest>({ model: 'openai/gpt-4o-mini', messages: HI, onChunk: 'print' }));
    } catch (error) {
      refused = error;
    }
    // Core's public InvalidRequestError, as its request validation error, naming the field.
    expect(refused).toBeInstanceOf(InvalidRequestError);
    expect(refused).toMatchObject({
      name: 'RequestValidationError',
      kind: 'invalid-request',
      field: 'onChunk',
      message: expect.stringMatching(/onChunk must be a function/),
    });
  });
});
