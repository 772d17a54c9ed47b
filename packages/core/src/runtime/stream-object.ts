/**
 * Structured output on `sb.stream()`: follows the growing JSON (the text, or the forced tool's
 * argument deltas), emits an `object-delta` event each time the partial object gains something, and
 * when the stream ends validates the answer into `response.object`, emitting the validated object
 * as the last `object-delta`. A stream cannot be replayed invisibly, so a mismatch is not retried:
 * it ends the stream with a StructuredOutputError (the partial response keeps what arrived).
 */
import { StructuredOutputError } from './errors.js';
import { isSchemaLike } from './json-schema.js';
import { parsePartialJson } from './partial-json.js';
import { checkStructured, describe, structuredText, UNVALIDATED_SCHEMA_WARNING } from './structured-output.js';
import type { StructuredPlan } from './structured-plan.js';
import type { ChatRequest, ChatResponse, StreamEvent } from './types.js';

/** Sees a stream's public events; adds structured-output events and checks the final response. */
export interface StreamFollower {
  /** Called for each public event; returns an event to emit right after it, if any. */
  next(event: StreamEvent): StreamEvent | undefined;
  /** Completes the final response; throws to fail the stream; returns a last event to emit, if any. */
  complete(response: ChatResponse): StreamEvent | undefined;
}

/** A leading Markdown fence (```json) some models open their JSON with. */
const OPENING_FENCE = /^\s*```[a-zA-Z]*\s*/;

/** Follows one stream's structured answer. */
export class StreamObjectTracker implements StreamFollower {
  private json = '';
  /** The forced tool's position among the stream's tool calls, once its first delta arrived. */
  private toolIndex: number | undefined;
  /** The last emitted object, serialized: an object-delta goes out only when it changes. */
  private lastEmitted: string | undefined;

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
      this.json += event.argumentsDelta;
    } else {
      if (event.type !== 'text-delta') return undefined;
      this.json += event.text;
    }
    const partial = parsePartialJson(this.json.replace(OPENING_FENCE, ''));
    if (partial === undefined || typeof partial.value !== 'object' || partial.value === null) return undefined;
    return this.emit(partial.value);
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
    return this.emit(checked.data);
  }

  private emit(object: unknown): StreamEvent | undefined {
    const serialized = JSON.stringify(object);
    if (serialized === this.lastEmitted) return undefined;
    this.lastEmitted = serialized;
    return { type: 'object-delta', object };
  }
}
