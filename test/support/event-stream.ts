/**
 * Decodes one AWS event-stream message (the framing of Bedrock's ConverseStream), written from AWS's
 * published format so tests read recorded Bedrock streams without AWS's codec, which test/ does not
 * depend on (core loads it lazily and does not export it). Both CRCs are checked.
 *
 * A message: [total length u32][headers length u32][CRC32 of those 8 bytes], headers, payload,
 * [CRC32 of everything before]. A header: [name length u8][name][type u8][value].
 */
import { crc32 } from 'node:zlib';

/** One decoded message: its string-typed headers by name, and the raw payload. */
export interface EventStreamMessage {
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Byte length of a header value of each fixed-size type (0 and 1 are true and false, no bytes). */
const FIXED_VALUE_LENGTH: Record<number, number> = { 0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16 };
const BYTES = 6;
const STRING = 7;

/** Decodes exactly one complete message; throws naming what is wrong (length, CRC, header type). */
export function decodeEventStreamMessage(bytes: Uint8Array): EventStreamMessage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16) throw new Error(`event-stream message of ${bytes.byteLength} bytes: shorter than 16`);
  const total = view.getUint32(0);
  const headersLength = view.getUint32(4);
  if (total !== bytes.byteLength)
    throw new Error(`event-stream message: total length ${total}, got ${bytes.byteLength} bytes`);
  if (view.getUint32(8) !== crc32(bytes.subarray(0, 8))) throw new Error('event-stream message: prelude CRC mismatch');
  if (view.getUint32(total - 4) !== crc32(bytes.subarray(0, total - 4)))
    throw new Error('event-stream message: message CRC mismatch');
  const headers: Record<string, string> = {};
  const text = new TextDecoder();
  let offset = 12;
  const headersEnd = 12 + headersLength;
  while (offset < headersEnd) {
    const nameLength = view.getUint8(offset);
    const name = text.decode(bytes.subarray(offset + 1, offset + 1 + nameLength));
    offset += 1 + nameLength;
    const type = view.getUint8(offset);
    offset += 1;
    if (type === STRING || type === BYTES) {
      const length = view.getUint16(offset);
      const value = bytes.subarray(offset + 2, offset + 2 + length);
      if (type === STRING) headers[name] = text.decode(value);
      offset += 2 + length;
    } else {
      const length = FIXED_VALUE_LENGTH[type];
      if (length === undefined) throw new Error(`event-stream header ${name}: unknown value type ${type}`);
      offset += length;
    }
  }
  return { headers, body: bytes.subarray(headersEnd, total - 4) };
}
