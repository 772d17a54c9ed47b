/** The guard every SSE decoder runs its mapper in (issue 8: trust at the edges). */
import { describe, expect, it } from 'vitest';
import { decodeInChunks, errorsOf, streamContext, textOf } from '../runtime/test-support/stream-decoding.js';
import { createSseStreamDecoder } from './sse.js';

describe('createSseStreamDecoder guard', () => {
  it('turns an exception in the mapper (a TypeError) into one invalid-response error after the earlier events', () => {
    const decoder = createSseStreamDecoder(
      (message, out) => {
        const payload = JSON.parse(message.data) as { text: string } | null;
        out.push({ type: 'text-delta', text: 'doomed' });
        out.push({ type: 'text-delta', text: (payload as { text: string }).text });
      },
      undefined,
      { ctx: streamContext('openai-chat') },
    );
    const events = decodeInChunks(decoder, 'data: {"text":"a"}\n\ndata: null\n\ndata: {"text":"b"}\n\n', 1000);
    expect(textOf(events)).toBe('doomeda');
    expect(events).toHaveLength(3);
    const error = errorsOf(events)[0];
    expect(error).toMatchObject({ kind: 'invalid-response', provider: 'p', model: 'm', retryable: true });
    expect(error?.message).toContain('could not be read');
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(TypeError);
  });

  it('without a context the error still has the invalid-response kind', () => {
    const decoder = createSseStreamDecoder(() => {
      throw new RangeError('boom');
    });
    expect(errorsOf(decodeInChunks(decoder, 'data: x\n\n', 3)).map((error) => error.kind)).toEqual([
      'invalid-response',
    ]);
  });

  it('reports a body that ends before the end marker, once, and nothing after an error', () => {
    let complete = false;
    const decoder = createSseStreamDecoder(
      (message, out) => {
        if (message.data === 'end') complete = true;
        else out.push({ type: 'text-delta', text: message.data });
      },
      undefined,
      { isComplete: () => complete, endMarker: '"end"' },
    );
    const events = decodeInChunks(decoder, 'data: a\n\ndata: b', 2);
    expect(textOf(events)).toBe('ab');
    expect(errorsOf(events).map((error) => error.message)).toEqual([expect.stringContaining('ended before "end"')]);
  });
});
