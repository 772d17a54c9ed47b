/** reportWithHead: a body that breaks before its first valid event is reported with what arrived. */
import { describe, expect, it } from 'vitest';
import { openaiChatAdapter } from '../protocols/openai-chat/index.js';
import { reportWithHead } from './stream-body.js';
import { decodeInChunks, errorsOf, sseBody, streamContext, textOf } from './test-support/stream-decoding.js';

const ctx = streamContext('openai-chat');
const decoder = () => reportWithHead(openaiChatAdapter.streamDecoder(ctx), ctx, 200, 'text/plain');
const delta = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

describe('reportWithHead', () => {
  it('restates an invalid-response before any event with status, content type and the first bytes', () => {
    const events = decodeInChunks(decoder(), 'Service unavailable, try later', 4);
    expect(events).toHaveLength(1);
    const error = errorsOf(events)[0];
    expect(error?.kind).toBe('invalid-response');
    expect(error?.body).toEqual({
      status: 200,
      contentType: 'text/plain',
      bodyStart: 'Service unavailable, try later',
    });
    expect(error?.message).toContain('no valid stream event (the body ended before a finish_reason or [DONE])');
  });

  it('leaves an error after the first valid event as the decoder made it', () => {
    const events = decodeInChunks(decoder(), sseBody([delta('a'), '{"broken']), 5);
    expect(textOf(events)).toBe('a');
    const error = errorsOf(events)[0];
    expect(error?.kind).toBe('invalid-response');
    expect(error?.body).toEqual({ bodyStart: '{"broken' });
  });

  it('reports the first characters of a large first read, multi-byte characters whole', () => {
    // One 64 KB read (a fast server's first write) of 2- and 3-byte characters: only its start is
    // decoded for the preview, cut where no character can be split before the 200th.
    for (const character of ['é', '€', 'a']) {
      const body = character.repeat(65_536 / new TextEncoder().encode(character).length);
      const error = errorsOf(decodeInChunks(decoder(), body, 65_536))[0];
      expect(error?.body).toEqual({
        status: 200,
        contentType: 'text/plain',
        bodyStart: `${character.repeat(200)}...`,
      });
    }
  });

  it('leaves a provider error under 200 as it is', () => {
    const events = decodeInChunks(decoder(), sseBody([{ error: { message: 'overloaded', type: 'server_error' } }]), 64);
    expect(errorsOf(events).map((error) => error.kind)).not.toContain('invalid-response');
  });
});
