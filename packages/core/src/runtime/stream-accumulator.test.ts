/** Text is always a string: a non-string delta fails the stream instead of becoming "[object Object]". */
import { describe, expect, it } from 'vitest';
import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import type { ChatResponse } from '../types/requests.js';
import { createChatStream } from './chat-stream.js';
import { StreamAccumulator } from './stream-accumulator.js';

describe('StreamAccumulator', () => {
  it.each([
    { type: 'text-delta', text: { injected: true } },
    { type: 'reasoning-delta', text: 42 },
    { type: 'tool-call-delta', index: 0, id: 't', name: 'f', argumentsDelta: null },
  ])('refuses a $type whose text is not a string', (event) => {
    const accumulator = new StreamAccumulator();
    expect(() => accumulator.apply(event as unknown as ProtocolStreamEvent)).toThrow(
      expect.objectContaining({ kind: 'invalid-response' }),
    );
    expect(accumulator.text).toBe('');
  });

  it('a stream fed a non-string delta ends with invalid-response and the text before it', async () => {
    const stream = createChatStream({
      async start() {
        return (async function* () {
          yield [{ type: 'text-delta', text: 'kept' } as ProtocolStreamEvent];
          yield [{ type: 'text-delta', text: 7 } as unknown as ProtocolStreamEvent];
        })();
      },
      finish: (accumulator, failed) => ({ text: accumulator.text, failed }) as unknown as ChatResponse,
      mapError: (error) => error,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'error']);
    const last = events[1];
    if (last?.type !== 'error') throw new Error('expected an error event');
    expect(last.error).toMatchObject({ kind: 'invalid-response' });
    expect(last.partial.text).toBe('kept');
    await expect(stream.response).rejects.toMatchObject({ kind: 'invalid-response' });
  });
});
