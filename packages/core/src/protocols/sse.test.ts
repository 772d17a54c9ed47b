import { describe, expect, it } from 'vitest';
import { createSseDecoder, createSseStreamDecoder } from './sse.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('createSseDecoder', () => {
  it('joins messages split across chunks and drops comments and keep-alives', () => {
    const decoder = createSseDecoder();
    const text =
      ': keep-alive\n\ndata: {"a":1}\n\nevent: ping\ndata: {}\n\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
    const out = [];
    for (let i = 0; i < text.length; i += 3) out.push(...decoder.push(bytes(text.slice(i, i + 3))));
    out.push(...decoder.end());
    expect(out).toEqual([
      { data: '{"a":1}' },
      { event: 'ping', data: '{}' },
      { data: 'line1\nline2' },
      { data: '[DONE]' },
    ]);
  });

  it('keeps multi-byte characters split between chunks', () => {
    const decoder = createSseDecoder();
    const all = bytes('data: héllo 👋\n\n');
    const out = [...decoder.push(all.slice(0, 8)), ...decoder.push(all.slice(8, 13)), ...decoder.push(all.slice(13))];
    expect(out).toEqual([{ data: 'héllo 👋' }]);
  });

  it('flushes a final message without a terminating blank line and handles CRLF', () => {
    const decoder = createSseDecoder();
    expect(decoder.push('data: one\r\n\r\ndata: two')).toEqual([{ data: 'one' }]);
    expect(decoder.end()).toEqual([{ data: 'two' }]);
  });

  it('builds a StreamDecoder from a mapper', () => {
    const decoder = createSseStreamDecoder(
      (message, out) => {
        if (message.data !== '[DONE]') out.push({ type: 'text-delta', text: message.data });
      },
      (out) => out.push({ type: 'finish', finishReason: 'stop' }),
    );
    expect(decoder.push(bytes('data: a\n\ndata: [DONE]\n\n'))).toEqual([{ type: 'text-delta', text: 'a' }]);
    expect(decoder.end()).toEqual([{ type: 'finish', finishReason: 'stop' }]);
  });
});
