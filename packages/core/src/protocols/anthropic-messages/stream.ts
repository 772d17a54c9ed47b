/**
 * Anthropic Messages streaming: SSE events message_start, content_block_start/delta/stop,
 * message_delta, message_stop, ping and error (an error sent under HTTP 200).
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
import { createSseStreamDecoder } from '../sse.js';
import type { CallContext, ProtocolStreamEvent, StreamDecoder } from '../types.js';
import { toAnthropicError } from './errors.js';
import { structuredOutputTool } from './request.js';
import { type AnthropicUsage, mapStopReason, mapUsage } from './response.js';

interface StreamPayload {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type?: string; id?: string; name?: string; text?: string; thinking?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    stop_reason?: string | null;
  };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

interface ToolBlock {
  ordinal: number;
  sawArguments: boolean;
  /** The forced structured-output tool: its input is streamed as text. */
  structured: boolean;
}

export function createAnthropicStreamDecoder(ctx: CallContext): StreamDecoder {
  const forced = structuredOutputTool(ctx);
  const tools = new Map<number, ToolBlock>();
  let nextToolOrdinal = 0;
  // Usage so far, in Anthropic's terms; message_delta updates some fields (output_tokens is cumulative).
  let usage: AnthropicUsage = {};
  let sawStructuredOnly = false;

  const usageEvent = (update: AnthropicUsage | undefined): ProtocolStreamEvent | undefined => {
    if (update === undefined) return undefined;
    const merged: AnthropicUsage = { ...usage };
    for (const [key, value] of Object.entries(update) as [keyof AnthropicUsage, unknown][]) {
      if (typeof value === 'number') merged[key] = value;
    }
    usage = merged;
    return { type: 'usage', usage: mapUsage(usage) };
  };

  return createSseStreamDecoder((message, out) => {
    let payload: StreamPayload;
    try {
      payload = JSON.parse(message.data) as StreamPayload;
    } catch {
      return; // not JSON: nothing we can use (never seen in practice)
    }
    const type = payload.type ?? message.event;
    switch (type) {
      case 'message_start': {
        const msg = payload.message ?? {};
        if (msg.id !== undefined || msg.model !== undefined)
          out.push({ type: 'metadata', id: msg.id, model: msg.model });
        const event = usageEvent(msg.usage);
        if (event) out.push(event);
        break;
      }
      case 'content_block_start': {
        const block = payload.content_block ?? {};
        const index = payload.index ?? 0;
        if (block.type === 'tool_use') {
          const structured = forced !== undefined && block.name === forced;
          if (structured) {
            tools.set(index, { ordinal: -1, sawArguments: false, structured: true });
            sawStructuredOnly = true;
          } else {
            const ordinal = nextToolOrdinal++;
            tools.set(index, { ordinal, sawArguments: false, structured: false });
            out.push({ type: 'tool-call-delta', index: ordinal, id: block.id, name: block.name, argumentsDelta: '' });
          }
        } else if (block.type === 'text' && block.text) {
          out.push({ type: 'text-delta', text: block.text });
        } else if (block.type === 'thinking' && block.thinking) {
          out.push({ type: 'reasoning-delta', text: block.thinking });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = payload.delta ?? {};
        if (delta.type === 'text_delta' && delta.text) out.push({ type: 'text-delta', text: delta.text });
        else if (delta.type === 'thinking_delta' && delta.thinking) {
          out.push({ type: 'reasoning-delta', text: delta.thinking });
        } else if (delta.type === 'input_json_delta') {
          const tool = tools.get(payload.index ?? 0);
          if (tool === undefined || !delta.partial_json) break;
          tool.sawArguments = true;
          if (tool.structured) out.push({ type: 'text-delta', text: delta.partial_json });
          else out.push({ type: 'tool-call-delta', index: tool.ordinal, argumentsDelta: delta.partial_json });
        }
        break;
      }
      case 'content_block_stop': {
        const tool = tools.get(payload.index ?? 0);
        // A tool called without arguments streams no input_json_delta: its input is {}.
        if (tool !== undefined && !tool.sawArguments) {
          if (tool.structured) out.push({ type: 'text-delta', text: '{}' });
          else out.push({ type: 'tool-call-delta', index: tool.ordinal, argumentsDelta: '{}' });
        }
        break;
      }
      case 'message_delta': {
        const event = usageEvent(payload.usage);
        if (event) out.push(event);
        const raw = payload.delta?.stop_reason;
        if (raw != null) {
          let finishReason = mapStopReason(raw);
          if (finishReason === 'tool-calls' && sawStructuredOnly && nextToolOrdinal === 0) finishReason = 'stop';
          out.push({ type: 'finish', finishReason, rawFinishReason: raw });
        }
        break;
      }
      case 'error':
        out.push({ type: 'error', error: toAnthropicError(ctx, undefined, undefined, message.data) });
        break;
      default:
        // ping, message_stop, signature_delta-only blocks and unknown future events carry nothing to map.
        break;
    }
  });
}
