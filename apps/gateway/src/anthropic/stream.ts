/**
 * Core stream events as Anthropic's server-sent events, in Anthropic's order: `message_start`
 * (usage so far), then per content block `content_block_start`, its deltas (`text_delta`,
 * `input_json_delta`, `thinking_delta`) and `content_block_stop`, then `message_delta` (stop reason
 * and the final usage) and `message_stop`. A failure after the headers went out is an `event: error`
 * with Anthropic's error body. Blocks never interleave: a delta of another kind (or another tool
 * call) closes the open block first, as the SDK's `MessageStream` expects when it assembles the
 * final message.
 */
import type { StreamEvent } from '@switchboard/core';
import { renderAnthropicError } from './errors.js';
import { anthropicUsage, stopReason, toolUseId } from './response.js';

/** One SSE frame with Anthropic's event name. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number };

/** Turns one stream's core events into Anthropic SSE text. Stateful: one per response. */
export class AnthropicStreamEncoder {
  private blockIndex = -1;
  private open: OpenBlock | undefined;
  /** Core tool-call indexes whose block was started by deltas (their later deltas go to that block). */
  private readonly startedTools = new Set<number>();
  /** Complete tool-call events seen: the first `startedTools.size` of them were already streamed. */
  private completeCalls = 0;
  private ended = false;
  /** A text delta's frame up to its text, for the open block (set when a block opens). */
  private textDeltaHead = '';

  constructor(
    private readonly messageId: string,
    private readonly model: string,
  ) {}

  /** The `message_start` frame; core reports input tokens at the end, so they come with `message_delta`. */
  start(): string {
    return sseFrame('message_start', {
      type: 'message_start',
      message: {
        id: this.messageId,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  /** The frames for one core event ('' when it adds nothing, like a complete tool call already streamed). */
  encode(event: StreamEvent): string {
    if (this.ended) return '';
    switch (event.type) {
      case 'text-delta':
        if (event.text === '') return '';
        // The hot path of a stream: inside an open text block, one JSON.stringify of the text between
        // precomputed parts (the same bytes as `delta`; issue 11, cost per chunk).
        if (this.open?.kind === 'text') return `${this.textDeltaHead}${JSON.stringify(event.text)}}}\n\n`;
        return this.switchTo({ kind: 'text' }) + this.delta({ type: 'text_delta', text: event.text });
      case 'reasoning-delta':
        if (event.text === '') return '';
        return this.switchTo({ kind: 'thinking' }) + this.delta({ type: 'thinking_delta', thinking: event.text });
      case 'tool-call-delta':
        return this.toolDelta(event.index, event.id, event.name, event.argumentsDelta);
      case 'tool-call':
        return this.completeToolCall(event.toolCall);
      case 'finish':
        return this.finish(event);
      case 'error':
        return this.error(event.error);
      default:
        return '';
    }
  }

  /** An error after the headers: the open block stays unclosed, as Anthropic's own streams end. */
  error(error: unknown): string {
    if (this.ended) return '';
    this.ended = true;
    return sseFrame('error', renderAnthropicError(error).body);
  }

  private toolDelta(
    toolIndex: number,
    id: string | undefined,
    name: string | undefined,
    argumentsDelta: string,
  ): string {
    let out = '';
    if (!this.startedTools.has(toolIndex)) {
      this.startedTools.add(toolIndex);
      out += this.openBlock(
        { kind: 'tool', toolIndex },
        { type: 'tool_use', id: id || toolUseId(), name: name ?? '', input: {} },
      );
    } else if (this.open?.kind !== 'tool' || this.open.toolIndex !== toolIndex) {
      // A late delta for a tool whose block is closed (interleaved parallel calls): it cannot be reopened.
      return '';
    }
    if (argumentsDelta !== '') out += this.delta({ type: 'input_json_delta', partial_json: argumentsDelta });
    return out;
  }

  /**
   * A complete tool call. Core sends one per call after the deltas, in the same order; a provider
   * that streams no deltas (whole calls only) gets its block here, the arguments as one JSON delta.
   */
  private completeToolCall(call: { id: string; name: string; arguments: Record<string, unknown> }): string {
    this.completeCalls += 1;
    if (this.completeCalls <= this.startedTools.size) return '';
    return (
      this.openBlock(
        { kind: 'tool', toolIndex: -this.completeCalls },
        { type: 'tool_use', id: call.id || toolUseId(), name: call.name, input: {} },
      ) + this.delta({ type: 'input_json_delta', partial_json: JSON.stringify(call.arguments) })
    );
  }

  private finish(event: Extract<StreamEvent, { type: 'finish' }>): string {
    this.ended = true;
    const stop = stopReason(event.response);
    return (
      this.closeOpen() +
      sseFrame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stop.stopReason, stop_sequence: stop.stopSequence },
        usage: anthropicUsage(event.usage),
      }) +
      sseFrame('message_stop', { type: 'message_stop' })
    );
  }

  /** Closes the open block unless it is already of this kind. */
  private switchTo(block: { kind: 'text' } | { kind: 'thinking' }): string {
    if (this.open?.kind === block.kind) return '';
    const initial =
      block.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return this.openBlock(block, initial);
  }

  private openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const closed = this.closeOpen();
    this.blockIndex += 1;
    this.open = block;
    this.textDeltaHead = `event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.blockIndex},"delta":{"type":"text_delta","text":`;
    return (
      closed +
      sseFrame('content_block_start', {
        type: 'content_block_start',
        index: this.blockIndex,
        content_block: contentBlock,
      })
    );
  }

  private closeOpen(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    return sseFrame('content_block_stop', { type: 'content_block_stop', index: this.blockIndex });
  }

  private delta(delta: Record<string, unknown>): string {
    return sseFrame('content_block_delta', { type: 'content_block_delta', index: this.blockIndex, delta });
  }
}
