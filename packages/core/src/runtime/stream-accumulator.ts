/**
 * Folds protocol stream events into the final response while passing the public events through.
 * Tool-call deltas are matched by index; a delta without an index that carries an id, or the same
 * index with a new id, starts a new call (servers differ here); calls that arrive whole are kept as
 * they are. Text and reasoning deltas are forwarded as the same objects: no per-chunk allocation.
 * A delta whose text is not a string fails the stream (`invalid-response`): text is always a string.
 */

import { InvalidResponseError } from '../errors/errors.js';
import type { ProtocolStreamEvent } from '../protocols/adapter.js';
import type { FinishReason, ReasoningBlock, StreamEvent, ToolCall, Usage } from '../types/requests.js';
import { mergeUsage } from './usage.js';

interface ToolCallBuilder {
  /** Position in the response's `toolCalls`. */
  position: number;
  id: string;
  name: string;
  arguments: string;
}

/** Parses a tool call's argument text; empty means no arguments. */
export function parseToolArguments(text: string, warnings?: string[]): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return { value };
  } catch {
    warnings?.push('A tool call had arguments that are not valid JSON; they are in `arguments._raw`');
    return { _raw: text };
  }
}

/**
 * The error for a delta whose text is not a string (a custom provider or a decoder bug): concatenating
 * it would turn an object into "[object Object]" in the final text, so the stream fails instead.
 */
function notText(event: ProtocolStreamEvent): InvalidResponseError {
  const field = event.type === 'tool-call-delta' ? 'argumentsDelta' : 'text';
  const value = (event as unknown as Record<string, unknown>)[field];
  return new InvalidResponseError(
    `Invalid stream: a ${event.type} event's ${field} is ${value === null ? 'null' : typeof value}, not a string`,
  );
}

/** Accumulates one stream. */
export class StreamAccumulator {
  text = '';
  reasoning = '';
  /** Signed reasoning blocks (Anthropic thinking), in stream order. */
  readonly reasoningBlocks: ReasoningBlock[] = [];
  usage: Partial<Usage> = {};
  finishReason: FinishReason | undefined;
  rawFinishReason: string | undefined;
  id: string | undefined;
  model: string | undefined;
  citations: string[] | undefined;
  lastEvent: ProtocolStreamEvent | undefined;
  private readonly calls: ToolCallBuilder[] = [];
  private readonly byIndex = new Map<number, ToolCallBuilder>();
  private last: ToolCallBuilder | undefined;

  private startCall(index: number | undefined, id: string | undefined, name: string | undefined): ToolCallBuilder {
    const builder: ToolCallBuilder = { position: this.calls.length, id: id ?? '', name: name ?? '', arguments: '' };
    this.calls.push(builder);
    if (index !== undefined) this.byIndex.set(index, builder);
    this.last = builder;
    return builder;
  }

  /**
   * Applies one protocol event; returns the public event to emit, or undefined when there is none
   * (usage, metadata, finish: the runtime emits `finish` itself at the end).
   */
  apply(event: ProtocolStreamEvent): StreamEvent | undefined {
    switch (event.type) {
      case 'text-delta':
        if (typeof event.text !== 'string') throw notText(event);
        this.text += event.text;
        return event;
      case 'reasoning-delta':
        if (typeof event.text !== 'string') throw notText(event);
        this.reasoning += event.text;
        return event;
      case 'reasoning-block':
        this.reasoningBlocks.push(event.block);
        return undefined;
      case 'tool-call-delta': {
        const index = event.index as number | undefined;
        const hasIndex = index !== undefined && index !== null && index >= 0;
        let builder = hasIndex ? this.byIndex.get(index) : event.id !== undefined ? undefined : this.last;
        if (builder !== undefined && event.id !== undefined && builder.id !== '' && builder.id !== event.id)
          builder = undefined;
        if (builder === undefined) builder = this.startCall(hasIndex ? index : undefined, event.id, event.name);
        else {
          if (builder.id === '' && event.id !== undefined) builder.id = event.id;
          if (builder.name === '' && event.name !== undefined) builder.name = event.name;
        }
        if (typeof event.argumentsDelta !== 'string') throw notText(event);
        builder.arguments += event.argumentsDelta;
        this.last = builder;
        const out: StreamEvent = {
          type: 'tool-call-delta',
          index: builder.position,
          argumentsDelta: event.argumentsDelta,
        };
        if (event.id !== undefined) out.id = event.id;
        if (event.name !== undefined) out.name = event.name;
        return out;
      }
      case 'tool-call': {
        const builder = this.startCall(undefined, event.id, event.name);
        builder.arguments = event.arguments;
        return undefined;
      }
      case 'usage':
        mergeUsage(this.usage, event.usage);
        return undefined;
      case 'finish':
        this.finishReason = event.finishReason;
        if (event.rawFinishReason !== undefined) this.rawFinishReason = event.rawFinishReason;
        this.lastEvent = event;
        return undefined;
      case 'metadata':
        if (event.id !== undefined) this.id = event.id;
        if (event.model !== undefined) this.model = event.model;
        if (event.citations !== undefined) this.citations = event.citations;
        return undefined;
      case 'error':
        return undefined;
    }
  }

  /** True once any tool call started. */
  get hasToolCalls(): boolean {
    return this.calls.length > 0;
  }

  /** The tool calls received, arguments parsed. Calls without an id get a generated one. */
  toolCalls(warnings?: string[]): ToolCall[] {
    return this.calls.map((call) => ({
      id: call.id === '' ? `call_${call.position}` : call.id,
      name: call.name,
      arguments: parseToolArguments(call.arguments, warnings),
    }));
  }
}
