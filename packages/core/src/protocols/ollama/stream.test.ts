/** The Ollama NDJSON stream decoder neither loses nor invents data (issue 8: trust at the edges). */
import { describe, expect, it } from 'vitest';
import { decodeInChunks, errorsOf, streamContext, textOf } from '../../runtime/test-support/stream-decoding.js';
import { ollamaAdapter } from './index.js';

const decode = (body: string, chunkSize = 1_000_000) =>
  decodeInChunks(ollamaAdapter.streamDecoder(streamContext('ollama', 'ollama')), body, chunkSize);

const line = (value: unknown) => `${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
const content = (text: unknown) => line({ model: 'llama', message: { role: 'assistant', content: text }, done: false });
const DONE = line({ model: 'llama', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' });

describe('ollama stream: nothing lost, nothing invented', () => {
  it.each([1, 5, 1_000_000])('a line that is not JSON ends the stream with invalid-response (chunks of %i)', (size) => {
    const events = decode(content('Hello ') + line('{"message": {"content": "LOST"') + content('end') + DONE, size);
    expect(textOf(events)).toBe('Hello ');
    expect(events.at(-1)?.type).toBe('error');
    expect(errorsOf(events)).toHaveLength(1);
    expect(errorsOf(events)[0]).toMatchObject({ kind: 'invalid-response', provider: 'ollama' });
    expect(errorsOf(events)[0]?.body).toMatchObject({ bodyStart: expect.stringContaining('LOST') });
  });

  it('a body without the done line is invalid-response, not a finish', () => {
    const events = decode(content('Hel') + content('lo'));
    expect(textOf(events)).toBe('Hello');
    expect(events.filter((e) => e.type === 'finish')).toEqual([]);
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });

  it('tolerates null lines and message: null', () => {
    const events = decode(line(null) + line({ message: null, done: false }) + content('ok') + DONE);
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('ok');
    expect(events.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it.each([
    ['a number', 12],
    ['an object', { a: 1 }],
  ])('content that is %s is invalid-response, never text', (_name, value) => {
    const events = decode(content('before') + content(value) + DONE);
    expect(textOf(events)).toBe('before');
    expect(errorsOf(events).map((error) => error.message)).toEqual([expect.stringContaining('message.content is')]);
  });
});
