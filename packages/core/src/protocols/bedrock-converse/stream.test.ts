/** The Bedrock ConverseStream decoder neither loses nor invents data (issue 8: trust at the edges). */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeInChunks, errorsOf, streamContext, textOf } from '../../runtime/test-support/stream-decoding.js';
import { bedrockConverseAdapter, loadAwsDeps } from './index.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Frames events; a string payload is sent as its raw bytes (to send something that is not JSON). */
function frames(events: [string, unknown][]): Uint8Array {
  const parts = events.map(([name, payload]) =>
    codec.encode({
      headers: {
        ':event-type': { type: 'string', value: name },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: 'event' },
      },
      body: fromUtf8(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    }),
  );
  return new Uint8Array(Buffer.concat(parts));
}

const text = (value: unknown): [string, unknown] => [
  'contentBlockDelta',
  { contentBlockIndex: 0, delta: { text: value } },
];
const STOP: [string, unknown] = ['messageStop', { stopReason: 'end_turn' }];
const METADATA: [string, unknown] = ['metadata', { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } }];

beforeAll(async () => {
  await loadAwsDeps();
});

const decode = (bytes: Uint8Array, chunkSize = 1_000_000) =>
  decodeInChunks(bedrockConverseAdapter.streamDecoder(streamContext('bedrock-converse', 'bedrock')), bytes, chunkSize);

describe('bedrock-converse stream: nothing lost, nothing invented', () => {
  it.each([1, 13, 1_000_000])('a payload that is not JSON ends the stream (chunks of %i bytes)', (size) => {
    const events = decode(frames([text('Hello '), ['contentBlockDelta', '{"delta": '], text('end'), STOP]), size);
    expect(textOf(events)).toBe('Hello ');
    expect(events.at(-1)?.type).toBe('error');
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });

  it('a body that ends before messageStop is invalid-response, not a stop', () => {
    const events = decode(frames([text('Hel'), text('lo')]));
    expect(textOf(events)).toBe('Hello');
    expect(events.filter((e) => e.type === 'finish')).toEqual([]);
    expect(errorsOf(events)[0]?.message).toContain('ended before messageStop');
  });

  it('tolerates null payloads, delta: null and usage: null', () => {
    const events = decode(
      frames([
        ['messageStart', null],
        ['contentBlockDelta', { delta: null }],
        text('ok'),
        STOP,
        ['metadata', { usage: null }],
      ]),
    );
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('ok');
  });

  it.each([
    ['a number', 3],
    ['an object', { t: 1 }],
  ])('text that is %s is invalid-response, never text', (_name, value) => {
    const events = decode(frames([text('before'), text(value), STOP, METADATA]));
    expect(textOf(events)).toBe('before');
    expect(errorsOf(events).map((error) => error.message)).toEqual([expect.stringContaining('delta.text is')]);
  });

  it('a damaged length prefix (larger than 16 MiB) is reported at once, not buffered until the end', () => {
    const decoder = bedrockConverseAdapter.streamDecoder(streamContext('bedrock-converse', 'bedrock'));
    const ok = frames([text('Hi')]);
    const events = decoder.push(new Uint8Array([...ok, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    expect(textOf(events)).toBe('Hi');
    expect(errorsOf(events).map((error) => error.message)).toEqual([
      expect.stringContaining('invalid event-stream frame length 2147483647'),
    ]);
    expect(decoder.push(new Uint8Array(64))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('a frame arriving one byte at a time decodes once it is complete', () => {
    const events = decode(frames([text('slow'), STOP]), 1);
    expect(errorsOf(events)).toEqual([]);
    expect(textOf(events)).toBe('slow');
  });

  it('a frame with an impossible length is invalid-response', () => {
    const events = decode(new Uint8Array([0, 0, 0, 3, 1, 2, 3, 4]));
    expect(errorsOf(events).map((error) => error.kind)).toEqual(['invalid-response']);
  });
});
