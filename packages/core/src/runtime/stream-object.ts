/**
 * Structured output on `sb.stream()`: follows the growing JSON (the text, or the forced tool's
 * argument deltas), emits an `object-delta` event each time the partial object gains something, and
 * when the stream ends validates the answer into `response.object`, emitting the validated object
 * as the last `object-delta`. A stream cannot be replayed invisibly, so a mismatch is not retried:
 * it ends the stream with a StructuredOutputError (the partial response keeps what arrived).
 */
import { StructuredOutputError } from '../errors/errors.js';
import type { ChatRequest, ChatResponse, StreamEvent } from '../types/requests.js';
import { isSchemaLike } from './json-schema.js';
import { PartialJsonScanner } from './partial-json.js';
import { checkStructured, describe, structuredText, UNVALIDATED_SCHEMA_WARNING } from './structured-output.js';
import type { StructuredPlan } from './structured-plan.js';

/** Sees a stream's public events; adds structured-output events and checks the final response. */
export interface StreamFollower {
  /** Called for each public event; returns an event to emit right after it, if any. */
  next(event: StreamEvent): StreamEvent | undefined;
  /** Completes the final response; throws to fail the stream; returns a last event to emit, if any. */
  complete(response: ChatResponse): StreamEvent | undefined;
}

/** What may come before the JSON: spaces and a Markdown fence (```json) some models open with. */
const BEFORE_JSON = /^\s*(?:```[a-zA-Z]*\s*)?$/;

/** Follows one stream's structured answer. */
export class StreamObjectTracker implements StreamFollower {
  private readonly scanner = new PartialJsonScanner();
  /** The text before the JSON's first bracket, until that bracket arrives. */
  private head: string | undefined = '';
  /** The forced tool's position among the stream's tool calls, once its first delta arrived. */
  private toolIndex: number | undefined;
  /** The last emitted object: the validated one is not emitted again when it equals it. */
  private lastEmitted: unknown;

  constructor(
    private readonly plan: Pick<StructuredPlan, 'mode' | 'name'>,
    private readonly schema: ChatRequest['schema'],
  ) {}

  next(event: StreamEvent): StreamEvent | undefined {
    if (this.plan.mode === 'tool') {
      if (event.type !== 'tool-call-delta') return undefined;
      if (this.toolIndex === undefined) {
        if (event.name !== undefined && event.name !== this.plan.name) return undefined;
        this.toolIndex = event.index;
      } else if (event.index !== this.toolIndex) return undefined;
      this.feed(event.argumentsDelta);
    } else {
      if (event.type !== 'text-delta') return undefined;
      this.feed(event.text);
    }
    const partial = this.scanner.take();
    if (partial === undefined || typeof partial.value !== 'object' || partial.value === null) return undefined;
    return this.emit(partial.value);
  }

  /** Passes text to the scanner from the JSON's first bracket on (an opening fence is skipped). */
  private feed(piece: string): void {
    if (this.head === undefined) {
      this.scanner.push(piece);
      return;
    }
    const text = this.head + piece;
    const bracket = text.search(/[[{]/);
    if (bracket < 0) {
      this.head = text;
      return;
    }
    // Prose before the JSON: no partial objects (the final answer is still parsed and validated).
    this.head = undefined;
    this.scanner.push(BEFORE_JSON.test(text.slice(0, bracket)) ? text.slice(bracket) : text);
  }

  complete(response: ChatResponse): StreamEvent | undefined {
    const text = structuredText(response, this.plan as StructuredPlan);
    const checked = checkStructured(text, this.schema);
    if (!checked.success)
      throw new StructuredOutputError(
        `The model's answer did not match the schema (streams are not retried): ${describe(checked.error)}`,
        { provider: response.provider, model: response.model, text, validationError: checked.error },
      );
    response.object = checked.data;
    if (!isSchemaLike(this.schema)) response.warnings.push(UNVALIDATED_SCHEMA_WARNING);
    if (this.plan.mode === 'tool' && response.text === '') response.text = text;
    return this.emitFinal(checked.data);
  }

  /** The scanner hands out a value only when it says more, so every partial one is emitted. */
  private emit(object: unknown): StreamEvent {
    this.lastEmitted = object;
    return { type: 'object-delta', object };
  }

  /** The validated object as the last delta, unless the last partial one already equals it. */
  private emitFinal(object: unknown): StreamEvent | undefined {
    if (this.lastEmitted !== undefined && JSON.stringify(this.lastEmitted) === JSON.stringify(object)) return undefined;
    return this.emit(object);
  }
}
