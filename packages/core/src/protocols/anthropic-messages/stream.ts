/**
 * Anthropic Messages streaming: SSE events message_start, content_block_start/delta/stop,
 * message_delta, message_stop, ping and error (an error sent under HTTP 200). A body that ends before
 * message_stop, a line that is not JSON or text that is not a string ends the stream with an
 * `invalid-response` error; `data: null` and null fields (`usage: null`, `delta: null`) are tolerated.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */

import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../adapter.js';
import { asRecord, asString, isRecord } from '../shared/json.js';
import { eventObject, parseEventJson, textField } from '../shared/stream-guard.js';
import { createSseStreamDecoder, type SseMessage } from '../sse.js';
import { toAnthropicError } from './errors.js';
import { structuredOutputTool } from './request.js';
import { type AnthropicUsage, mapStopReason, mapUsage } from './response.js';

interface ToolBlock {
  ordinal: number;
  sawArguments: boolean;
  /** The forced structured-output tool: its input is streamed as text. */
  structured: boolean;
}

export function createAnthropicStreamDecoder(ctx: CallContext): StreamDecoder {
  const forced = structuredOutputTool(ctx);
  const tools = new Map<number, ToolBlock>();
  // Thinking blocks being streamed (text and signature arrive in deltas); emitted whole at their stop.
  const thinking = new Map<number, { thinking: string; signature: string }>();
  let nextToolOrdinal = 0;
  // Usage so far, in Anthropic's terms; message_delta updates some fields (output_tokens is cumulative).
  let usage: AnthropicUsage = {};
  let sawStructuredOnly = false;

  // `usage: null` (or any non-object) is no update.
  const usageEvent = (update: unknown): ProtocolStreamEvent | undefined => {
    if (!isRecord(update)) return undefined;
    const merged: AnthropicUsage = { ...usage };
    for (const [key, value] of Object.entries(update) as [keyof AnthropicUsage, unknown][]) {
      if (typeof value === 'number') merged[key] = value;
    }
    usage = merged;
    return { type: 'usage', usage: mapUsage(usage) };
  };

  let stopped = false;

  const onMessage = (message: SseMessage, out: ProtocolStreamEvent[]): void => {
    if (message.data.trim() === '') return;
    if (message.event === 'error') {
      out.push({ type: 'error', error: toAnthropicError(ctx, undefined, undefined, message.data) });
      return;
    }
    const payload = eventObject(parseEventJson(message.data));
    if (payload === null) return; // `data: null`: nothing to map
    const type = asString(payload.type) ?? message.event;
    switch (type) {
      case 'message_start': {
        const msg = asRecord(payload.message);
        const id = asString(msg.id);
        const model = asString(msg.model);
        if (id !== undefined || model !== undefined) out.push({ type: 'metadata', id, model });
        const event = usageEvent(msg.usage);
        if (event) out.push(event);
        break;
      }
      case 'content_block_start': {
        const block = asRecord(payload.content_block);
        const index = blockIndex(payload);
        if (block.type === 'tool_use') {
          const name = textField(block.name, 'content_block.name');
          const structured = forced !== undefined && name === forced;
          if (structured) {
            tools.set(index, { ordinal: -1, sawArguments: false, structured: true });
            sawStructuredOnly = true;
          } else {
            const ordinal = nextToolOrdinal++;
            tools.set(index, { ordinal, sawArguments: false, structured: false });
            out.push({ type: 'tool-call-delta', index: ordinal, id: asString(block.id), name, argumentsDelta: '' });
          }
        } else if (block.type === 'text') {
          const text = textField(block.text, 'content_block.text');
          if (text !== undefined) out.push({ type: 'text-delta', text });
        } else if (block.type === 'thinking') {
          const text = textField(block.thinking, 'content_block.thinking');
          if (text !== undefined) out.push({ type: 'reasoning-delta', text });
          const signature = textField(block.signature, 'content_block.signature');
          thinking.set(index, { thinking: text ?? '', signature: signature ?? '' });
        } else if (block.type === 'redacted_thinking') {
          const data = textField(block.data, 'content_block.data');
          if (data !== undefined) out.push({ type: 'reasoning-block', block: { type: 'redacted-thinking', data } });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = asRecord(payload.delta);
        if (delta.type === 'text_delta') {
          const text = textField(delta.text, 'delta.text');
          if (text !== undefined) out.push({ type: 'text-delta', text });
        } else if (delta.type === 'thinking_delta') {
          const text = textField(delta.thinking, 'delta.thinking');
          if (text === undefined) break;
          out.push({ type: 'reasoning-delta', text });
          const block = thinking.get(blockIndex(payload));
          if (block !== undefined) block.thinking += text;
        } else if (delta.type === 'signature_delta') {
          const signature = textField(delta.signature, 'delta.signature');
          const block = thinking.get(blockIndex(payload));
          if (block !== undefined && signature !== undefined) block.signature += signature;
        } else if (delta.type === 'input_json_delta') {
          const partial = textField(delta.partial_json, 'delta.partial_json');
          const tool = tools.get(blockIndex(payload));
          if (tool === undefined || partial === undefined) break;
          tool.sawArguments = true;
          if (tool.structured) out.push({ type: 'text-delta', text: partial });
          else out.push({ type: 'tool-call-delta', index: tool.ordinal, argumentsDelta: partial });
        }
        break;
      }
      case 'content_block_stop': {
        const index = blockIndex(payload);
        const signed = thinking.get(index);
        if (signed !== undefined) {
          thinking.delete(index);
          // Unsigned thinking cannot be replayed (the API checks the signature): keep only its text.
          if (signed.signature !== '') out.push({ type: 'reasoning-block', block: { type: 'thinking', ...signed } });
        }
        const tool = tools.get(index);
        // A tool called without arguments streams no input_json_delta: its input is {}.
        if (tool !== undefined && !tool.sawArguments) {
          tool.sawArguments = true;
          if (tool.structured) out.push({ type: 'text-delta', text: '{}' });
          else out.push({ type: 'tool-call-delta', index: tool.ordinal, argumentsDelta: '{}' });
        }
        break;
      }
      case 'message_delta': {
        const event = usageEvent(payload.usage);
        if (event) out.push(event);
        const raw = asString(asRecord(payload.delta).stop_reason);
        if (raw !== undefined) {
          let finishReason = mapStopReason(raw);
          if (finishReason === 'tool-calls' && sawStructuredOnly && nextToolOrdinal === 0) finishReason = 'stop';
          out.push({ type: 'finish', finishReason, rawFinishReason: raw });
        }
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        out.push({ type: 'error', error: toAnthropicError(ctx, undefined, undefined, message.data) });
        break;
      default:
        // ping and unknown future events carry nothing to map.
        break;
    }
  };

  return createSseStreamDecoder(onMessage, undefined, {
    ctx,
    isComplete: () => stopped,
    endMarker: 'message_stop',
  });
}

/** The content block an event refers to (0 when absent, as in the oldest API versions). */
function blockIndex(payload: Record<string, unknown>): number {
  return typeof payload.index === 'number' ? payload.index : 0;
}
