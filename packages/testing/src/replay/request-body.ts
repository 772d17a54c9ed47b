/**
 * Request bodies as the matcher compares them: parsed JSON, canonical (object keys sorted, so key
 * order never matters), with volatile fields removed. A body that is not JSON stays its text.
 */

/**
 * Request-body fields ignored by default because they change on every run without changing the
 * question: caller ids (`user`, Anthropic's `metadata.user_id`), request ids and timestamps. Paths
 * are dotted from the body's root; `*` stands for any key or array index.
 */
export const VOLATILE_FIELDS: readonly string[] = [
  'user',
  'metadata.user_id',
  'metadata.request_id',
  'request_id',
  'requestId',
  'id',
  'timestamp',
  'created',
  'created_at',
];

/**
 * Fields a recording may legitimately differ on when it was made with another client version:
 * `stream_options` (OpenAI's `include_usage`). Not ignored unless asked: pass them in `ignoreFields`.
 */
export const STREAM_OPTIONS_FIELDS: readonly string[] = ['stream_options'];

/** A dotted path pattern, split once. */
export type FieldPattern = readonly string[];

/** Splits dotted patterns (`metadata.user_id`, `messages.*.id`). */
export function fieldPatterns(paths: readonly string[]): FieldPattern[] {
  return paths.map((path) => path.split('.'));
}

/** True when `path` (keys and indices from the root) is one of the patterns. */
export function isIgnored(path: readonly (string | number)[], patterns: readonly FieldPattern[]): boolean {
  return patterns.some(
    (pattern) =>
      pattern.length === path.length && pattern.every((segment, i) => segment === '*' || segment === String(path[i])),
  );
}

/** Parses a sent body: JSON when it is JSON, else the text itself (undefined when empty). */
export function parseBodyText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The canonical form of a JSON value: keys sorted at every level, ignored fields dropped. */
export function canonicalJson(
  value: unknown,
  patterns: readonly FieldPattern[] = [],
  path: (string | number)[] = [],
): unknown {
  if (Array.isArray(value)) return value.map((item, i) => canonicalJson(item, patterns, [...path, i]));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = [...path, key];
    if (!isIgnored(child, patterns)) out[key] = canonicalJson((value as Record<string, unknown>)[key], patterns, child);
  }
  return out;
}
