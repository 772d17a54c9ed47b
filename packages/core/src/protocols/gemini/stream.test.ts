/** The Gemini stream decoder neither loses nor invents data (issue 8: trust at the edges). */
import { describe, expect, it } from 'vitest';
import {
  decodeInChunks,
  errorsOf,
  sseBody,
  streamContext,
  textOf,
} from '../../runtime/test-support/stream-decoding.js';
import { geminiAdapter } from './index.js';

const decode = (body: string, chunkSize = 1_000_000) =>
  decodeInChunks(geminiAdapter.streamDecoder(streamContext('gemini')), body, chunkSize);

const part = (text: unknown, finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(finishReason ? { finishReason } : {}) }],
  responseId: 'r1',
  modelVersion: 'gemini-x',
});

describe('gemini stream (SSE): nothing lost, nothing invented', () => {
  it.each([1, 11, 1_000_000])('a data line that is not JSON ends the stream (chunks of %i bytes)', (size) => {
    const events = decode(sseBody([part('Hello '), '{"candidates": [', part('end', 'STOP')]), size);
    expect(textOf(events)).toBe('Hello ');
    expect(events.at(-1)?.type).toBe('error');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });

  it('a body that ends before a candidate finishReason is invalid-response, not a stop', () => {
    const events = decode(sseBody([part('Hel'), part('lo')]));
    expect(textOf(events)).toBe('Hello');
    expect(events.filter((e) => e.type === 'finish')).toEqual([]);
    expect(errorsOf(events)[0]?.message).toContain('ended before a candidate with a finishReason');
  });

  it('tolerates data: null, candidates: null on a usage-only chunk, null parts and usageMetadata: null', () => {
    const events = decode(
      sseBody([
        null,
        { candidates: [{ content: { parts: [null, { text: 'ok' }] } }], usageMetadata: null },
        { candidates: [{ content: null, finishReason: 'STOP' }] },
        { candidates: null, usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1 } },
      ]),
    );
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('ok');
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
  });

  it.each([
    ['a number', 7],
    ['an object', { nested: 'x' }],
  ])('text that is %s is invalid-response, never "[object Object]"', (_name, value) => {
    const events = decode(sseBody([part('before'), part(value), part('', 'STOP')]));
    expect(textOf(events)).toBe('before');
    expect(errorsOf(events).map((error) => error.message)).toEqual([expect.stringContaining('parts[].text is')]);
  });

  it('a function call whose args is not an object is invalid-response', () => {
    const events = decode(
      sseBody([
        { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: 3 } }] }, finishReason: 'STOP' }] },
      ]),
    );
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });
});

describe('gemini stream (JSON array, no alt=sse): nothing lost, nothing invented', () => {
  const array = (items: string[]) => `[${items.join(',\r\n')}]`;

  it('decodes a whole array cleanly', () => {
    const events = decode(array([JSON.stringify(part('a')), JSON.stringify(part('b', 'STOP'))]), 4);
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('ab');
  });

  it('an array cut before the finishReason is invalid-response', () => {
    const events = decode(`[${JSON.stringify(part('a'))},\r\n{"candidates": [{"content"`);
    expect(textOf(events)).toBe('a');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });

  it('an element that is not JSON ends the stream after the elements before it', () => {
    const events = decode(array([JSON.stringify(part('a')), '{"candidates": x}', JSON.stringify(part('b', 'STOP'))]));
    expect(textOf(events)).toBe('a');
    expect(errorsOf(events).map((error) => error.message)).toEqual([expect.stringContaining('not valid JSON')]);
  });
});
