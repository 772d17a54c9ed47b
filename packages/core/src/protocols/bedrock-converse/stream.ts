/**
 * ConverseStream decoding. The body is `application/vnd.amazon.eventstream`: binary frames of
 * [total length u32][headers length u32][prelude CRC][headers][JSON payload][message CRC]. This file
 * only cuts frames out of arbitrarily split chunks; AWS's codec decodes each complete frame (and checks
 * both CRCs). Payloads carry a random `p` padding field, which is ignored.
 */
import { ProviderError } from '../../runtime/errors.js';
import type { CallContext, ProtocolStreamEvent, StreamDecoder } from '../types.js';
import { type AwsDeps, requireAwsDeps } from './aws-deps.js';
import { bedrockStreamException } from './errors.js';
import { mapStopReason, mapUsage } from './response.js';

const utf8 = new TextDecoder();

function headerString(headers: Record<string, { value: unknown }>, name: string): string | undefined {
  const value = headers[name]?.value;
  return typeof value === 'string' ? value : undefined;
}

interface StreamPayload {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
  delta?: { text?: unknown; toolUse?: { input?: unknown }; reasoningContent?: { text?: unknown; signature?: unknown } };
  stopReason?: unknown;
  usage?: unknown;
}

/** Creates a ConverseStream decoder; `deps` defaults to the AWS packages loaded by `sign()`. */
export function createConverseStreamDecoder(ctx: CallContext, deps: AwsDeps = requireAwsDeps()): StreamDecoder {
  let buffer = new Uint8Array(0);

  const mapEvent = (eventType: string, payload: StreamPayload): ProtocolStreamEvent[] => {
    switch (eventType) {
      case 'messageStart':
        return [];
      case 'contentBlockStart': {
        const index = Number(payload.contentBlockIndex ?? 0);
        const toolUse = payload.start?.toolUse;
        if (toolUse) {
          return [
            {
              type: 'tool-call-delta',
              index,
              id: String(toolUse.toolUseId ?? ''),
              name: String(toolUse.name ?? ''),
              argumentsDelta: '',
            },
          ];
        }
        return [];
      }
      case 'contentBlockDelta': {
        const index = Number(payload.contentBlockIndex ?? 0);
        const delta = payload.delta ?? {};
        if (typeof delta.text === 'string') return delta.text === '' ? [] : [{ type: 'text-delta', text: delta.text }];
        if (delta.toolUse && typeof delta.toolUse.input === 'string') {
          return [{ type: 'tool-call-delta', index, argumentsDelta: delta.toolUse.input }];
        }
        const reasoning = delta.reasoningContent;
        if (reasoning && typeof reasoning.text === 'string' && reasoning.text !== '') {
          return [{ type: 'reasoning-delta', text: reasoning.text }];
        }
        return [];
      }
      case 'contentBlockStop':
        return [];
      case 'messageStop': {
        const raw = typeof payload.stopReason === 'string' ? payload.stopReason : undefined;
        return [
          raw === undefined
            ? { type: 'finish', finishReason: 'other' }
            : { type: 'finish', finishReason: mapStopReason(raw), rawFinishReason: raw },
        ];
      }
      case 'metadata':
        return payload.usage ? [{ type: 'usage', usage: mapUsage(payload.usage) }] : [];
      default:
        return [];
    }
  };

  const decodeFrame = (frame: Uint8Array): ProtocolStreamEvent[] => {
    let message: ReturnType<AwsDeps['decodeMessage']>;
    try {
      message = deps.decodeMessage(frame);
    } catch (cause) {
      return [
        {
          type: 'error',
          error: new ProviderError(`Bedrock stream: corrupt event-stream frame (${(cause as Error).message})`, {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
            cause,
            retryable: true,
          }),
        },
      ];
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
    if (eventType === undefined || text === '') return [];
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (cause) {
      return [
        {
          type: 'error',
          error: new ProviderError(`Bedrock stream: ${eventType} payload is not JSON`, {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
            cause,
          }),
        },
      ];
    }
    return mapEvent(eventType, (payload ?? {}) as StreamPayload);
  };

  return {
    push(chunk) {
      if (chunk.byteLength === 0) return [];
      const joined = new Uint8Array(buffer.byteLength + chunk.byteLength);
      joined.set(buffer, 0);
      joined.set(chunk, buffer.byteLength);
      const events: ProtocolStreamEvent[] = [];
      let offset = 0;
      while (joined.byteLength - offset >= 4) {
        const length = new DataView(joined.buffer, joined.byteOffset + offset, 4).getUint32(0, false);
        if (length < 16) {
          events.push({
            type: 'error',
            error: new ProviderError(`Bedrock stream: invalid frame length ${length}`, {
              provider: ctx.descriptor.id,
              model: ctx.modelId,
            }),
          });
          offset = joined.byteLength;
          break;
        }
        if (joined.byteLength - offset < length) break;
        // Copy so the codec sees a frame-sized buffer view.
        events.push(...decodeFrame(joined.slice(offset, offset + length)));
        offset += length;
      }
      buffer = joined.slice(offset);
      return events;
    },
    end() {
      if (buffer.byteLength === 0) return [];
      const left = buffer.byteLength;
      buffer = new Uint8Array(0);
      return [
        {
          type: 'error',
          error: new ProviderError(`Bedrock stream ended inside an event-stream frame (${left} bytes left over)`, {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
            retryable: true,
          }),
        },
      ];
    },
  };
}
