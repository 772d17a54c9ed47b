/**
 * firstEvents: the first event of a read that holds hundreds of messages leaves before the rest of the
 * read is decoded, and cutting the read that way changes no event (real decoders, real bodies).
 */
import { describe, expect, it } from 'vitest';
import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import { ollamaAdapter } from '../protocols/ollama/index.js';
import { openaiChatAdapter } from '../protocols/openai-chat/index.js';
import { firstEvents, reachesCaller } from './call-engine.js';
import { decodeInChunks, sseBody, streamContext, textOf } from './test-support/stream-decoding.js';

const encode = (text: string) => new TextEncoder().encode(text);
const delta = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const role = { choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] };
const finish = { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
const words = Array.from({ length: 250 }, (_, i) => `w${i} `);
const openaiBody = sseBody([role, ...words.map(delta), finish, '[DONE]']);

describe('firstEvents', () => {
  it('returns only the first event of a 250-message read, with the undecoded rest of the read', () => {
    const ctx = streamContext('openai-chat');
    const decoder = openaiChatAdapter.streamDecoder(ctx);
    const bytes = encode(openaiBody);
    const early = firstEvents(decoder, bytes);
    expect(early?.events).toEqual([{ type: 'text-delta', text: 'w0 ' }]);
    expect(early?.rest?.byteLength).toBeGreaterThan(bytes.byteLength / 2);
    const rest = [...decoder.push(early?.rest ?? new Uint8Array()), ...decoder.end()];
    expect(textOf(rest)).toBe(words.slice(1).join(''));
  });

  it("does not stop at a first message the caller never sees (OpenAI's id and model chunk)", () => {
    const ctx = streamContext('openai-chat');
    const decoder = openaiChatAdapter.streamDecoder(ctx);
    const named = { id: 'chatcmpl-1', model: 'gpt-4o-mini', ...role };
    const bytes = encode(sseBody([named, ...words.map(delta), finish, '[DONE]']));
    const early = firstEvents(decoder, bytes);
    expect(early?.events.map((event) => event.type)).toEqual(['metadata', 'text-delta']);
    expect(early?.events[1]).toEqual({ type: 'text-delta', text: 'w0 ' });
    expect(early?.rest?.byteLength).toBeGreaterThan(bytes.byteLength / 2);
    const rest = [...decoder.push(early?.rest ?? new Uint8Array()), ...decoder.end()];
    expect(textOf(rest)).toBe(words.slice(1).join(''));
  });

  it('keeps a read of metadata only whole, and cuts the next read at its first delta', () => {
    const decoder = openaiChatAdapter.streamDecoder(streamContext('openai-chat'));
    const head = sseBody([{ id: 'chatcmpl-1', model: 'gpt-4o-mini', ...role }]);
    const early = firstEvents(decoder, encode(head));
    expect(early?.events.map((event) => event.type)).toEqual(['metadata']);
    expect(reachesCaller(early?.events ?? [])).toBe(false);
    const next = firstEvents(decoder, encode(sseBody([...words.map(delta), finish, '[DONE]'])));
    expect(next?.events).toEqual([{ type: 'text-delta', text: 'w0 ' }]);
    expect(reachesCaller(next?.events ?? [])).toBe(true);
  });

  it('gives the same events as decoding the read whole (SSE and NDJSON)', () => {
    const cases = [
      { protocol: 'openai-chat' as const, adapter: openaiChatAdapter, body: openaiBody },
      {
        protocol: 'ollama' as const,
        adapter: ollamaAdapter,
        body: [
          ...words.map((word) =>
            JSON.stringify({ model: 'm', message: { role: 'assistant', content: word }, done: false }),
          ),
          JSON.stringify({
            model: 'm',
            message: { role: 'assistant', content: '' },
            done: true,
            done_reason: 'stop',
            prompt_eval_count: 3,
            eval_count: 250,
          }),
        ].join('\n'),
      },
    ];
    for (const { protocol, adapter, body } of cases) {
      const whole = decodeInChunks(adapter.streamDecoder(streamContext(protocol)), body, body.length);
      const decoder = adapter.streamDecoder(streamContext(protocol));
      const early = firstEvents(decoder, encode(body));
      const cut: ProtocolStreamEvent[] = [...(early?.events ?? [])];
      if (early?.rest !== undefined) cut.push(...decoder.push(early.rest));
      cut.push(...decoder.end());
      expect(early?.events.length, protocol).toBe(1);
      expect(cut, protocol).toEqual(whole);
      expect(textOf(cut), protocol).toBe(words.join(''));
    }
  });

  it('returns undefined for a read that completes no event, leaving its bytes in the decoder', () => {
    const decoder = openaiChatAdapter.streamDecoder(streamContext('openai-chat'));
    const body = openaiBody;
    const half = body.indexOf('w0') - 5;
    expect(firstEvents(decoder, encode(body.slice(0, half)))).toBeUndefined();
    const early = firstEvents(decoder, encode(body.slice(half)));
    expect(early?.events).toEqual([{ type: 'text-delta', text: 'w0 ' }]);
  });
});
