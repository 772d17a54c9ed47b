/**
 * Canonical JSON and hashing for cache keys: the same request must always give the same key, in any
 * process, whatever order its object keys were written in.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, `undefined` and functions dropped, bytes as `{ "$bytes": base64 }`,
 * URLs and dates as strings and non-finite numbers as `null`. Cycles throw (requests have none).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, new Set()));
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function normalize(value: unknown, seen: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString('base64') };
  if (value instanceof URL) return value.href;
  if (value instanceof Date) return value.toISOString();
  const object = value as object;
  if (seen.has(object)) throw new TypeError('canonicalJson: cyclic value');
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => normalize(item, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object).sort()) {
      const item = normalize((object as Record<string, unknown>)[key], seen);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}
