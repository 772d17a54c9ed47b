/**
 * JSON helpers every adapter needs: parse without throwing, read nested fields of unknown data.
 */

/** Parses JSON text; returns `undefined` (never throws) when the text is not JSON. */
export function parseJsonSafe(text: string | undefined | null): unknown {
  if (text === undefined || text === null) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a record, or an empty record. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The value as an array, or an empty array. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number (numeric strings accepted), or undefined. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Parses a tool call's arguments. Providers send a JSON object as text (OpenAI), an object
 * (some compatible servers), an empty string (no-argument tools) or, rarely, invalid JSON.
 *
 * Invalid or non-object JSON yields `{}` plus the original text under the reserved key
 * `__raw` (`{ __raw: '<text>' }`), so nothing the model produced is lost and callers can detect it.
 */
export function parseToolArguments(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (typeof value !== 'string') return {};
  if (value.trim() === '') return {};
  const parsed = parseJsonSafe(value);
  if (isRecord(parsed)) return parsed;
  return { __raw: value };
}
