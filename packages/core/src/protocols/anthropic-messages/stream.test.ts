/** The Anthropic stream decoder neither loses nor invents data (issue 8: trust at the edges). */
import { describe, expect, it } from 'vitest';
import { decodeInChunks, errorsOf, streamContext, textOf } from '../../runtime/test-support/stream-decoding.js';
import { anthropicMessagesAdapter } from './index.js';

const event = (type: string, data: unknown) =>
  `event: ${type}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

const START = event('message_start', {
  type: 'message_start',
  message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 3, output_tokens: 1 } },
});
const BLOCK = event('content_block_start', {
  type: 'content_block_start',
  index: 0,
  content_block: { type: 'text', text: '' },
});
const text = (t: unknown) =>
  event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } });
const END =
  event('content_block_stop', { type: 'content_block_stop', index: 0 }) +
  event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }) +
  event('message_stop', { type: 'message_stop' });

const decode = (body: string, chunkSize = 1_000_000) =>
  decodeInChunks(anthropicMessagesAdapter.streamDecoder(streamContext('anthropic-messages')), body, chunkSize);

describe('anthropic-messages stream: nothing lost, nothing invented', () => {
  it('decodes a whole stream cleanly', () => {
    const events = decode(START + BLOCK + text('Hello') + text(' end') + END, 5);
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('Hello end');
  });

  it.each([1, 9, 1_000_000])('a data line that is not JSON ends the stream (chunks of %i bytes)', (size) => {
    const body =
      START + BLOCK + text('Hello ') + event('content_block_delta', '{"type":"content_b') + text('end') + END;
    const events = decode(body, size);
    expect(textOf(events)).toBe('Hello ');
    expect(events.at(-1)?.type).toBe('error');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
    expect(errorsOf(events)[0]?.message).toContain('not valid JSON');
  });

  it('a body that ends before message_stop is invalid-response, not a stop', () => {
    const events = decode(START + BLOCK + text('Hel') + text('lo'));
    expect(textOf(events)).toBe('Hello');
    expect(events.filter((e) => e.type === 'finish')).toEqual([]);
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
    expect(errorsOf(events)[0]?.message).toContain('ended before message_stop');
  });

  it('tolerates data: null, usage: null, delta: null and message: null; keeps the text of the same read', () => {
    const body =
      event('message_start', { type: 'message_start', message: null }) +
      BLOCK +
      event('ping', 'null') +
      text('kept') +
      event('message_delta', { type: 'message_delta', delta: null, usage: null }) +
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: null }) +
      END;
    const events = decode(body);
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('kept');
  });

  it.each([
    ['a number', 42, 'delta.text is a number'],
    ['an object', { t: 'x' }, 'delta.text is an object'],
  ])('text that is %s is invalid-response, never "[object Object]"', (_name, value, message) => {
    const events = decode(START + BLOCK + text('before') + text(value) + END);
    expect(textOf(events)).toBe('before');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
    expect(errorsOf(events)[0]?.message).toContain(message);
  });

  it('partial_json that is a number is invalid-response', () => {
    const body =
      START +
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't1', name: 'f' },
      }) +
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: 5 },
      }) +
      END;
    expect(errorsOf(decode(body)).map((error) => error.message)).toEqual([
      expect.stringContaining('delta.partial_json is a number'),
    ]);
  });

  it('an error event stays the provider error, with the text before it', () => {
    const body =
      START +
      BLOCK +
      text('a') +
      event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const events = decode(body);
    expect(textOf(events)).toBe('a');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['provider']);
    expect(errorsOf(events)[0]?.message).toContain('Overloaded');
  });
});
