/**
 * The error and small checks shared by the request validators (`validate-request.ts`,
 * `validate-messages.ts`, `validate-tools.ts`). Every check names the exact field path
 * (`messages[2].content[1].image`) so the caller can fix the one thing that is wrong without reading
 * a provider's 400.
 */
import { InvalidRequestError } from '../errors/errors.js';

/**
 * A request refused before anything was sent. An `InvalidRequestError` (kind `invalid-request`,
 * not retryable) that also carries the path of the offending field.
 */
export class RequestValidationError extends InvalidRequestError {
  override name = 'RequestValidationError';
  /** The path of the offending field, `messages[2].content[1].image` style. */
  readonly field: string;
  constructor(field: string, problem: string, cause?: unknown) {
    super(`Invalid request: ${field} ${problem}`, { retryable: false, ...(cause === undefined ? {} : { cause }) });
    this.field = field;
  }
}

/** Short description of a value for an error message; long strings are not echoed (they may hold user content). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string')
    return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name === undefined || name === 'Object' ? 'an object' : `a ${name}`;
  }
  return typeof value;
}

/** Throws for `field` with what was expected and what was given. */
export function fail(field: string, expected: string, value: unknown): never {
  throw new RequestValidationError(field, `must be ${expected}, got ${describe(value)}`);
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws unless `value` is a number in [min, max] (finite). */
export function checkRange(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max))
    fail(field, `a number from ${min} to ${max}`, value);
}

/** Throws unless `value` is an integer >= `min`. */
export function checkInteger(field: string, value: unknown, min: number): void {
  if (!Number.isSafeInteger(value) || (value as number) < min)
    fail(
      field,
      min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`,
      value,
    );
}

/** Throws unless `value` is a string (non-empty when `nonEmpty`). */
export function checkString(field: string, value: unknown, nonEmpty: boolean): void {
  if (typeof value !== 'string') fail(field, nonEmpty ? 'a non-empty string' : 'a string', value);
  if (nonEmpty && value.length === 0) fail(field, 'a non-empty string', value);
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(field: string, value: unknown): void {
  if (typeof value !== 'boolean') fail(field, 'true or false', value);
}
