/**
 * Lenient shape checks for provider answers: required fields must be there with the right type,
 * optional ones may be missing or null, unknown fields are ignored. A body that fails throws
 * `invalid-response` naming the field path (`choices[0].message.content is a number`), so a 200 that
 * is not an answer (a proxy's page, another protocol's body, a `null`) is an error, never an empty
 * success.
 *
 * Why hand-written checks and not zod: zod is only an optional peer of core, and these checks run on
 * every call (sb.chat is benchmarked against raw undici). Measured on a recorded OpenAI answer of
 * 2.6 KB (test/bench/response-shape.ts, node 24, best of 15 rounds of 50,000): openai-chat
 * `parseChat` went from ~0.11 µs to ~0.19 µs with these checks (+0.07 µs, the old and new parser
 * timed in one process), while a lenient zod schema of the same fields costs ~0.6 µs for `safeParse`
 * alone, on top of the parse; `JSON.parse` of the body is ~3.5 µs. The checks walk only the fields the
 * parser reads anyway and build no issue lists; a plain text answer's field paths are constants.
 */
import type { InvalidResponseError } from '../../errors/errors.js';
import type { CallContext } from '../../types/protocol.js';
import { invalidResponse } from './invalid-response.js';

/** What the shape checks need of a call: enough to name the provider and redact the key. */
export type ShapeContext = Pick<CallContext, 'descriptor' | 'modelId' | 'apiKey'>;

/** An object read from JSON: its fields are unknown until checked. */
export type JsonRecord = Record<string, unknown>;

/** How a value is named in a problem: `a number`, `null`, `an array`, `an empty string`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** `parent.field`, or `field` at the top of the body. */
export function fieldPath(parent: string, field: string): string {
  return parent === '' ? field : `${parent}.${field}`;
}

/** `list[index]`. */
export function itemPath(list: string, index: number): string {
  return `${list}[${index}]`;
}

/** The `invalid-response` error for `problem`; http-call adds the status, content type and body start. */
export function shapeError(ctx: ShapeContext, problem: string): InvalidResponseError {
  return invalidResponse(ctx, problem);
}

/**
 * The error for a value at `path` that is not what was expected: `choices is missing`,
 * `choices is null (expected an array)`, `usage is a string (expected an object)`.
 */
export function wrongShape(ctx: ShapeContext, path: string, value: unknown, expected: string): InvalidResponseError {
  return shapeError(ctx, shapeProblem(path, value, expected));
}

/** The phrase `wrongShape` uses, for callers that add to it. */
export function shapeProblem(path: string, value: unknown, expected: string): string {
  if (value === undefined) return `${path} is missing`;
  return `${path} is ${describeValue(value)} (expected ${expected})`;
}

/**
 * `problem`, plus the provider's own message when a 200 body carries an error object instead of an
 * answer (`{"error": {"message": "..."}}`, or `{"error": "..."}`), so the real cause is not lost.
 */
export function withBodyError(problem: string, root: JsonRecord): string {
  const error = root.error;
  const message = isJsonRecord(error) ? error.message : error;
  if (typeof message !== 'string' || message === '') return problem;
  return `${problem}; the body holds an error: ${message}`;
}

export function isJsonRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The whole body as an object: an empty body, `null`, an array or a scalar is not an answer. */
export function requireBody(ctx: ShapeContext, body: unknown): JsonRecord {
  if (isJsonRecord(body)) return body;
  if (body === undefined) throw shapeError(ctx, 'the body is empty');
  throw shapeError(ctx, `the body is ${describeValue(body)} (expected a JSON object)`);
}

/**
 * The error for a required field of the wrong shape. At the top level (`parent` `''`, `record` is the
 * body) it carries the provider's own error message when a 200 body holds one instead of an answer.
 */
function missingField(ctx: ShapeContext, record: JsonRecord, field: string, parent: string, expected: string) {
  const problem = shapeProblem(fieldPath(parent, field), record[field], expected);
  return shapeError(ctx, parent === '' ? withBodyError(problem, record) : problem);
}

/** A required object field. `parent` is the path of `record` (`''` for the body). */
export function requireRecord(ctx: ShapeContext, record: JsonRecord, field: string, parent = ''): JsonRecord {
  const value = record[field];
  if (isJsonRecord(value)) return value;
  throw missingField(ctx, record, field, parent, 'an object');
}

/** An optional object field: missing or null is `undefined`, anything else must be an object. */
export function optionalRecord(
  ctx: ShapeContext,
  record: JsonRecord,
  field: string,
  parent = '',
): JsonRecord | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (isJsonRecord(value)) return value;
  throw wrongShape(ctx, fieldPath(parent, field), value, 'an object');
}

/** A required array field (it may be empty; callers that need an element say so). */
export function requireArray(ctx: ShapeContext, record: JsonRecord, field: string, parent = ''): unknown[] {
  const value = record[field];
  if (Array.isArray(value)) return value;
  throw missingField(ctx, record, field, parent, 'an array');
}

/** An optional array field: missing or null is `undefined`, anything else must be an array. */
export function optionalArray(
  ctx: ShapeContext,
  record: JsonRecord,
  field: string,
  parent = '',
): unknown[] | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw wrongShape(ctx, fieldPath(parent, field), value, 'an array');
}

/** The element at `index` of the array at path `list`, which must be an object. */
export function requireItem(ctx: ShapeContext, items: readonly unknown[], index: number, list: string): JsonRecord {
  const value = items[index];
  if (isJsonRecord(value)) return value;
  throw wrongShape(ctx, itemPath(list, index), value, 'an object');
}

/** A required string field (an empty string is a string). */
export function requireString(ctx: ShapeContext, record: JsonRecord, field: string, parent = ''): string {
  const value = record[field];
  if (typeof value === 'string') return value;
  throw wrongShape(ctx, fieldPath(parent, field), value, 'a string');
}

/** An optional string field: missing or null is `undefined`, anything else must be a string. */
export function optionalString(ctx: ShapeContext, record: JsonRecord, field: string, parent = ''): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw wrongShape(ctx, fieldPath(parent, field), value, 'a string');
}

/**
 * Optional token counts and similar numbers: each listed field, when present and not null, must be a
 * number (the usage mappers add them up, so `"12"` would concatenate instead).
 */
export function checkNumbers(ctx: ShapeContext, record: JsonRecord, fields: readonly string[], parent = ''): void {
  for (const field of fields) {
    const value = record[field];
    if (value === undefined || value === null || typeof value === 'number') continue;
    throw wrongShape(ctx, fieldPath(parent, field), value, 'a number');
  }
}

/**
 * A vector of numbers at `path`; the first element that is not a finite number is named
 * (`data[0].embedding[3] is a string`).
 */
export function requireNumberList(ctx: ShapeContext, value: unknown, path: string): number[] {
  if (!Array.isArray(value)) throw wrongShape(ctx, path, value, 'an array of numbers');
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw wrongShape(ctx, itemPath(path, index), item, 'a number');
    }
  }
  return value as number[];
}

/** The problem when a body that should hold `count` vectors holds another number of them. */
export function requireVectorCount(ctx: ShapeContext, vectors: readonly unknown[], count: number, path: string): void {
  if (vectors.length !== count) {
    throw shapeError(ctx, `${path} has ${vectors.length} embeddings for ${count} inputs`);
  }
}
