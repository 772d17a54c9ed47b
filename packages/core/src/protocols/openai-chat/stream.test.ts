/** The Chat Completions stream decoder neither loses nor invents data (issue 8: trust at the edges). */
import { describe, expect, it } from 'vitest';
import {
  decodeInChunks,
  errorsOf,
  STREAM_TEST_KEY,
  sseBody,
  streamContext,
  textOf,
} from '../../runtime/test-support/stream-decoding.js';
import { openaiChatAdapter } from './index.js';

const decode = (body: string, chunkSize = 1_000_000) =>
  decodeInChunks(openaiChatAdapter.streamDecoder(streamContext('openai-chat')), body, chunkSize);

const chunk = (delta: unknown, finish: string | null = null) => ({
  id: 'c1',
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('openai-chat stream: nothing lost, nothing invented', () => {
  it.each([1, 7, 1_000_000])('a data line that is not JSON ends the stream (chunks of %i bytes)', (size) => {
    const body = sseBody([
      chunk({ content: 'Hello ' }),
      '{"choices":[{"delta":{"content":"LOST"}',
      chunk({ content: ' end' }),
      chunk({}, 'stop'),
      '[DONE]',
    ]);
    const events = decode(body, size);
    expect(textOf(events)).toBe('Hello ');
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(errorsOf(events)).toHaveLength(1);
    const error = errorsOf(events)[0];
    expect(error).toMatchObject({ kind: 'invalid-response', provider: 'p', model: 'm' });
    expect(error?.message).toContain('not valid JSON');
    expect(error?.body).toMatchObject({ bodyStart: expect.stringContaining('LOST') });
  });

  it('a body that ends with neither a finish_reason nor [DONE] is invalid-response, not a stop', () => {
    const events = decode(sseBody([chunk({ content: 'Hel' }), chunk({ content: 'lo' })]));
    expect(textOf(events)).toBe('Hello');
    expect(events.filter((event) => event.type === 'finish')).toEqual([]);
    expect(errorsOf(events)).toHaveLength(1);
    expect(errorsOf(events)[0]?.kind).toBe('invalid-response');
    expect(errorsOf(events)[0]?.message).toContain('ended before a finish_reason or [DONE]');
  });

  it('an empty body is invalid-response', () => {
    expect(errorsOf(decode('')).map((error) => error.kind)).toEqual(['invalid-response']);
    expect(errorsOf(decode(': keep-alive\n\n')).map((error) => error.kind)).toEqual(['invalid-response']);
  });

  it('is lenient: a finish_reason without [DONE], or [DONE] without a finish_reason, ends cleanly', () => {
    const noDone = decode(sseBody([chunk({ content: 'a' }), chunk({}, 'stop')]));
    expect(errorsOf(noDone)).toEqual([]);
    expect(noDone.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
    const noFinish = decode(sseBody([chunk({ content: 'a' }), '[DONE]']));
    expect(errorsOf(noFinish)).toEqual([]);
    expect(textOf(noFinish)).toBe('a');
  });

  it('tolerates data: null, choices: null, delta: null and usage: null', () => {
    const events = decode(
      sseBody([
        null,
        { id: 'c1', choices: null, usage: null },
        { id: 'c1', choices: [{ index: 0, delta: null, finish_reason: null }] },
        chunk({ content: 'ok', reasoning_content: null, refusal: null, tool_calls: null }),
        chunk({ content: null }, 'stop'),
        '[DONE]',
      ]),
    );
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('ok');
  });

  it.each([
    ['content a number', { content: 42 }, 'delta.content is a number'],
    ['content an object', { content: { text: 'x' } }, 'delta.content is an object'],
    ['a content part whose text is a number', { content: [{ type: 'text', text: 1 }] }, 'content[].text'],
    ['reasoning an object', { reasoning_content: { a: 1 } }, 'reasoning_content is an object'],
    ['refusal a boolean', { refusal: true }, 'delta.refusal is a boolean'],
    [
      'tool arguments a number',
      { tool_calls: [{ index: 0, id: 't', function: { name: 'f', arguments: 7 } }] },
      'arguments is a number',
    ],
  ])('%s is invalid-response, never text', (_name, delta, message) => {
    const events = decode(sseBody([chunk({ content: 'before' }), chunk(delta), chunk({}, 'stop'), '[DONE]']));
    expect(textOf(events)).toBe('before');
    expect(events.at(-1)?.type).toBe('error');
    expect(errorsOf(events)).toHaveLength(1);
    expect(errorsOf(events)[0]?.kind).toBe('invalid-response');
    expect(errorsOf(events)[0]?.message).toContain(message);
    expect(events.some((event) => event.type === 'text-delta' && typeof event.text !== 'string')).toBe(false);
  });

  it('an event that is valid JSON but not an object (a number) is invalid-response', () => {
    const events = decode(sseBody([chunk({ content: 'a' }), '42', chunk({}, 'stop')]));
    expect(errorsOf(events)[0]?.message).toContain('an event is a number');
  });

  it('a provider error under 200 stays a provider error; nothing is added after it', () => {
    const events = decode(
      sseBody([
        chunk({ content: 'a' }),
        { error: { message: 'overloaded', type: 'server_error' } },
        chunk({ content: 'b' }),
      ]),
    );
    expect(textOf(events)).toBe('a');
    expect(errorsOf(events)).toHaveLength(1);
    expect(errorsOf(events)[0]?.kind).not.toBe('invalid-response');
  });

  it('never puts the key in the error for a broken line that contains it', () => {
    const events = decode(sseBody([`{"leak": "${STREAM_TEST_KEY}"`]));
    const error = errorsOf(events)[0];
    expect(error?.kind).toBe('invalid-response');
    expect(JSON.stringify(error?.body)).not.toContain(STREAM_TEST_KEY);
    expect(error?.message).not.toContain(STREAM_TEST_KEY);
  });
});
