/**
 * ConverseStream decoding. The body is `application/vnd.amazon.eventstream`: binary frames of
 * [total length u32][headers length u32][prelude CRC][headers][JSON payload][message CRC]. This file
 * only cuts frames out of arbitrarily split chunks; AWS's codec decodes each complete frame (and checks
 * both CRCs). Payloads carry a random `p` padding field, which is ignored. A damaged frame, a payload
 * that is not JSON, text that is not a string, or a body that ends before messageStop (or metadata)
 * ends the stream with an `invalid-response` error after the events of the frames before it.
 */

import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../adapter.js';
import { asRecord, asString, isRecord } from '../shared/json.js';
import {
  endedEarlyError,
  endsWithError,
  eventObject,
  failedEventError,
  parseEventJson,
  streamInvalid,
  textField,
} from '../shared/stream-guard.js';
import { type AwsDeps, requireAwsDeps } from './aws-deps.js';
import { bedrockStreamException } from './errors.js';
import { mapStopReason, mapUsage } from './response.js';

const utf8 = new TextDecoder();

/**
 * The largest frame accepted (AWS event-stream messages are at most 16 MiB): a larger length prefix
 * is damage, reported at once instead of buffering the rest of the body waiting for it.
 */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

function headerString(headers: Record<string, { value: unknown }>, name: string): string | undefined {
  const value = headers[name]?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The content block an event refers to (0 when absent). */
function blockIndex(payload: Record<string, unknown>): number {
  return typeof payload.contentBlockIndex === 'number' ? payload.contentBlockIndex : 0;
}

/**
 * Maps one event's payload (a JSON object) to protocol events; `finished` is called on messageStop
 * or metadata, the stream's end markers. Throws StreamContentError for text that is not a string.
 */
function mapEvent(eventType: string, payload: Record<string, unknown>, finished: () => void): ProtocolStreamEvent[] {
  switch (eventType) {
    case 'contentBlockStart': {
      const toolUse = asRecord(payload.start).toolUse;
      if (!isRecord(toolUse)) return [];
      return [
        {
          type: 'tool-call-delta',
          index: blockIndex(payload),
          id: asString(toolUse.toolUseId) ?? '',
          name: textField(toolUse.name, 'start.toolUse.name') ?? '',
          argumentsDelta: '',
        },
      ];
    }
    case 'contentBlockDelta': {
      const delta = asRecord(payload.delta);
      const text = textField(delta.text, 'delta.text');
      if (text !== undefined) return [{ type: 'text-delta', text }];
      if (isRecord(delta.toolUse)) {
        // An empty input delta is kept (the recorded streams send one right after the start).
        const input = textField(delta.toolUse.input, 'delta.toolUse.input') ?? '';
        return typeof delta.toolUse.input === 'string'
          ? [{ type: 'tool-call-delta', index: blockIndex(payload), argumentsDelta: input }]
          : [];
      }
      const reasoning = textField(asRecord(delta.reasoningContent).text, 'delta.reasoningContent.text');
      return reasoning === undefined ? [] : [{ type: 'reasoning-delta', text: reasoning }];
    }
    case 'messageStop': {
      finished();
      const raw = asString(payload.stopReason);
      return [
        raw === undefined
          ? { type: 'finish', finishReason: 'other' }
          : { type: 'finish', finishReason: mapStopReason(raw), rawFinishReason: raw },
      ];
    }
    case 'metadata':
      finished();
      return isRecord(payload.usage) ? [{ type: 'usage', usage: mapUsage(payload.usage) }] : [];
    default:
      // messageStart, contentBlockStop and unknown future events carry nothing to map.
      return [];
  }
}

/** Creates a ConverseStream decoder; `deps` defaults to the AWS packages loaded by `sign()`. */
export function createConverseStreamDecoder(ctx: CallContext, deps: AwsDeps = requireAwsDeps()): StreamDecoder {
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  /** Bytes needed before the next frame can be cut: its prelude, then its whole length. */
  let needed = 4;
  let finished = false;
  let failed = false;
  const markFinished = (): void => {
    finished = true;
  };

  const decodeFrame = (frame: Uint8Array): ProtocolStreamEvent[] => {
    let message: ReturnType<AwsDeps['decodeMessage']>;
    try {
      message = deps.decodeMessage(frame);
    } catch (cause) {
      // A CRC mismatch: the bytes were damaged on the way.
      const problem = `corrupt event-stream frame (${cause instanceof Error ? cause.message : String(cause)})`;
      return [{ type: 'error', error: streamInvalid(ctx, problem, undefined, cause) }];
    }
    const messageType = headerString(message.headers, ':message-type') ?? 'event';
    const text = utf8.decode(message.body);
    if (messageType === 'exception') {
      return [
        { type: 'error', error: bedrockStreamException(ctx, headerString(message.headers, ':exception-type'), text) },
      ];
    }
    if (messageType === 'error') {
      const code = headerString(message.headers, ':error-code');
      const errorMessage = headerString(message.headers, ':error-message') ?? text;
      return [{ type: 'error', error: bedrockStreamException(ctx, code, JSON.stringify({ message: errorMessage })) }];
    }
    const eventType = headerString(message.headers, ':event-type');
    if (eventType === undefined || text.trim() === '') return [];
    try {
      const payload = eventObject(parseEventJson(text));
      return payload === null ? [] : mapEvent(eventType, payload, markFinished);
    } catch (error) {
      return [failedEventError(ctx, error, text)];
    }
  };

  return {
    push(chunk) {
      if (failed || chunk.byteLength === 0) return [];
      // Chunks are only collected until the next frame is complete: a frame arriving in many small
      // reads is copied once, not once per read.
      pending.push(chunk);
      pendingLength += chunk.byteLength;
      if (pendingLength < needed) return [];
      const joined = pending.length === 1 ? chunk : new Uint8Array(Buffer.concat(pending, pendingLength));
      const events: ProtocolStreamEvent[] = [];
      let offset = 0;
      needed = 4;
      while (joined.byteLength - offset >= 4) {
        const length = new DataView(joined.buffer, joined.byteOffset + offset, 4).getUint32(0, false);
        if (length < 16 || length > MAX_FRAME_BYTES) {
          events.push({ type: 'error', error: streamInvalid(ctx, `invalid event-stream frame length ${length}`) });
          break;
        }
        if (joined.byteLength - offset < length) {
          needed = length;
          break;
        }
        // Copy so the codec sees a frame-sized buffer view.
        const before = events.length;
        for (const event of decodeFrame(joined.slice(offset, offset + length))) events.push(event);
        offset += length;
        if (endsWithError(events, before)) break;
      }
      if (endsWithError(events, 0)) {
        failed = true;
        pending = [];
        pendingLength = 0;
        return events;
      }
      const rest = joined.slice(offset);
      pending = rest.byteLength === 0 ? [] : [rest];
      pendingLength = rest.byteLength;
      return events;
    },
    end() {
      if (failed) return [];
      const left = pendingLength;
      pending = [];
      pendingLength = 0;
      if (left > 0) {
        return [
          {
            type: 'error',
            error: streamInvalid(ctx, `the body ended inside an event-stream frame (${left} bytes left over)`),
          },
        ];
      }
      return finished ? [] : [endedEarlyError(ctx, 'messageStop')];
    },
  };
}
