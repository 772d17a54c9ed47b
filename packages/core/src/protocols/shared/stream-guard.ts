/**
 * What every stream decoder does with input it cannot trust. A stream must neither lose data (a line
 * that is not JSON silently skipped) nor invent it (a number shown as text, a cut stream reported as a
 * clean `stop`), and a decoder bug must never surface as a retryable network error. So each event is
 * mapped inside a guard: a field of the wrong type or any exception drops that one event's output
 * and ends the stream with an `invalid-response` error, while the events before it stay delivered.
 */
import { InvalidResponseError } from '../../errors/errors.js';
import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { bodyPreview, invalidResponse } from './invalid-response.js';

/** What a decoder knows about its call when it reports a broken stream (absent in bare decoders). */
export type StreamContext = Pick<CallContext, 'descriptor' | 'modelId' | 'apiKey'>;

/** A stream event the decoder cannot accept; the guard turns it into an `invalid-response` error. */
export class StreamContentError extends Error {
  override name = 'StreamContentError';
}

/** "a number", "an object", ... for messages about a value of the wrong type. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/**
 * Parses one event's JSON text. `null` is returned as is (several protocols send `data: null`); text
 * that is not JSON throws, because skipping it would lose whatever the provider meant to send.
 */
export function parseEventJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StreamContentError('an event is not valid JSON');
  }
}

/**
 * Reads a field that carries text. Absent or null means no text; a string is the text ('' is no
 * text); anything else (a number, an object) is a broken event, never converted to a string.
 */
export function textField(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (value === undefined || value === null) return undefined;
  throw new StreamContentError(`${field} is ${describeValue(value)}, not text`);
}

/** Throws unless the event is a JSON object (or null, which the caller skips). */
export function eventObject(value: unknown): Record<string, unknown> | null {
  if (value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new StreamContentError(`an event is ${describeValue(value)}, not a JSON object`);
}

/** The problem phrase of each error built here, so the runtime can restate it with more facts. */
const problems = new WeakMap<Error, string>();

/** The problem phrase ("the body ended before message_stop") of an error built by `streamInvalid`. */
export function streamProblemOf(error: Error): string | undefined {
  return problems.get(error);
}

/** Builds the `invalid-response` error for `problem`, with the offending line's first characters. */
export function streamInvalid(
  ctx: StreamContext | undefined,
  problem: string,
  line?: string,
  cause?: unknown,
): InvalidResponseError {
  const details = { ...(line === undefined ? {} : { bodyText: line }), ...(cause === undefined ? {} : { cause }) };
  let error: InvalidResponseError;
  if (ctx !== undefined) error = invalidResponse(ctx, `stream: ${problem}`, details);
  else {
    const preview = line === undefined ? '' : ` (event starts ${JSON.stringify(bodyPreview(line, undefined))})`;
    error = new InvalidResponseError(`Invalid stream: ${problem}${preview}`, {
      ...(line === undefined ? {} : { body: { bodyStart: bodyPreview(line, undefined) } }),
      ...(cause === undefined ? {} : { cause }),
    });
  }
  problems.set(error, problem);
  return error;
}

/** The error event for an exception thrown while one event was mapped. */
export function failedEventError(
  ctx: StreamContext | undefined,
  error: unknown,
  line: string,
): ProtocolStreamEvent & { type: 'error' } {
  const problem =
    error instanceof StreamContentError
      ? error.message
      : `an event could not be read (${error instanceof Error ? error.message : String(error)})`;
  return { type: 'error', error: streamInvalid(ctx, problem, line, error) };
}

/**
 * The error event for a body that ended cleanly before the protocol's end marker: what a proxy that
 * cuts long streams produces. A connection reset never gets here (the transport reports it).
 */
export function endedEarlyError(
  ctx: StreamContext | undefined,
  endMarker: string,
): ProtocolStreamEvent & { type: 'error' } {
  return { type: 'error', error: streamInvalid(ctx, `the body ended before ${endMarker}`) };
}

/** True when the last event of `out` after position `from` is an error (the stream is over then). */
export function endsWithError(out: readonly ProtocolStreamEvent[], from: number): boolean {
  return out.length > from && out[out.length - 1]?.type === 'error';
}
