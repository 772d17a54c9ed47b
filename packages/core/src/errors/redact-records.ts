/**
 * What every log line goes through before it is written: credentials removed by field name
 * (auth headers, `apiKey`, AWS secrets), by shape (`?key=` URL parameters, `Bearer ...`, strings that
 * look like provider keys) and by value (every key the switchboard knows, also base64- and
 * URL-encoded), and, when asked, message content removed too. Only lines that are actually written
 * pay for this.
 */
import { secretForms as allForms, matcherFor, REDACTED, type SecretMatcher } from './secret-patterns.js';
import { redactKeyShapes } from './secret-shapes.js';

export { REDACTED };
export const CONTENT_REDACTED = '[content redacted]';

/** Field names (lower-cased, `-` and `_` removed) whose values are always credentials. */
const SECRET_FIELDS = new Set([
  'authorization',
  'proxyauthorization',
  'xapikey',
  'apikey',
  'apikeys',
  'xgoogapikey',
  'ocpapimsubscriptionkey',
  'secret',
  'clientsecret',
  'secretaccesskey',
  'awssecretaccesskey',
  'sessiontoken',
  'awssessiontoken',
  'xamzsecuritytoken',
  'awsbearertokenbedrock',
  'password',
  'passphrase',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bearertoken',
  'cookie',
  'setcookie',
  'privatekey',
  'encryptionkey',
]);

/** Field names whose values are prompts, completions or other message content. */
const CONTENT_FIELDS = new Set([
  'messages',
  'content',
  'contents',
  'text',
  'prompt',
  'system',
  'systeminstruction',
  'instructions',
  'input',
  'output',
  'completion',
  'choices',
  'parts',
  'delta',
  'arguments',
  'reasoning',
  'body',
  'history',
  'partial',
  'raw',
  'tools',
  'toolcalls',
  'variables',
]);

function normalizeField(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(normalizeField(name));
}

export function isContentField(name: string): boolean {
  return CONTENT_FIELDS.has(normalizeField(name));
}

/** Every form of a secret a line could carry (as is, URL-encoded, JSON-escaped, base64 at any alignment, hex). */
export function secretForms(secret: string): string[] {
  return allForms(secret)
    .map((form) => form.text)
    .sort((a, b) => b.length - a.length);
}

/** The secrets a line is scrubbed of; the compiled matcher is rebuilt only when the set changes. */
export class SecretSet {
  private sources = new Set<() => Iterable<string | undefined>>();

  /** Adds a source of secrets, read each time a line is written (so rotated keys are seen). Returns a remover. */
  add(source: () => Iterable<string | undefined>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  /** The matcher of every current secret (every form, prefix and suffix). */
  matcher(): SecretMatcher {
    if (this.sources.size === 0) return matcherFor([]);
    const secrets: (string | undefined)[] = [];
    for (const source of this.sources) {
      try {
        for (const secret of source()) secrets.push(secret);
      } catch {
        // a failing source must never stop a line (nor leak through an error)
      }
    }
    return matcherFor(secrets);
  }
}

/**
 * Removes credentials from a string: known secrets (every form), URL key parameters, auth schemes,
 * key shapes. `secrets` is a compiled matcher or a list of secrets (each then searched in every form).
 */
export function scrubString(text: string, secrets: SecretMatcher | readonly string[]): string {
  const matcher = 'redact' in secrets ? secrets : matcherFor(secrets);
  return redactKeyShapes(matcher.redact(text));
}

export interface SanitizeOptions {
  /** The known secrets, compiled (`SecretSet.matcher()`). */
  matcher: SecretMatcher;
  redactContent: boolean;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 200;

function serializeError(error: Error, options: SanitizeOptions, seen: WeakSet<object>, depth: number): unknown {
  const out: Record<string, unknown> = { type: error.name, message: scrubString(error.message, options.matcher) };
  const fields = error as unknown as Record<string, unknown>;
  for (const name of ['kind', 'status', 'code', 'provider', 'model', 'requestId', 'retryable', 'retryAfterMs']) {
    const value = fields[name];
    if (value !== undefined) out[name] = sanitizeValue(value, options, seen, depth + 1, name);
  }
  if (error.stack !== undefined) out.stack = scrubString(error.stack, options.matcher);
  if (error.cause !== undefined) out.cause = sanitizeValue(error.cause, options, seen, depth + 1, 'cause');
  if (error instanceof AggregateError) out.errors = sanitizeValue(error.errors, options, seen, depth + 1, 'errors');
  return out;
}

function sanitizeValue(
  value: unknown,
  options: SanitizeOptions,
  seen: WeakSet<object>,
  depth: number,
  field: string | undefined,
): unknown {
  if (field !== undefined) {
    if (isSecretField(field)) return value === undefined || value === null || value === '' ? value : REDACTED;
    if (options.redactContent && isContentField(field)) return value === undefined ? value : CONTENT_REDACTED;
  }
  switch (typeof value) {
    case 'string':
      return scrubString(value, options.matcher);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(object);
  try {
    if (object instanceof Error) return serializeError(object, options, seen, depth);
    if (object instanceof Date) return object.toISOString();
    if (object instanceof URL) return scrubString(object.href, options.matcher);
    if (typeof Headers !== 'undefined' && object instanceof Headers)
      return sanitizeValue(Object.fromEntries(object.entries()), options, seen, depth, undefined);
    if (object instanceof Uint8Array || object instanceof ArrayBuffer) return `[${object.byteLength} bytes]`;
    if (object instanceof Map) return sanitizeValue(Object.fromEntries(object), options, seen, depth, undefined);
    if (object instanceof Set) return sanitizeValue([...object], options, seen, depth, undefined);
    if (Array.isArray(object)) {
      const items = object.length > MAX_ITEMS ? object.slice(0, MAX_ITEMS) : object;
      const out = items.map((item) => sanitizeValue(item, options, seen, depth + 1, undefined));
      if (object.length > MAX_ITEMS) out.push(`[${object.length - MAX_ITEMS} more]`);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const item = sanitizeValue((object as Record<string, unknown>)[key], options, seen, depth + 1, key);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/** A copy of a log line's fields with every credential (and, when asked, content) removed. */
export function sanitizeFields(
  fields: Readonly<Record<string, unknown>>,
  options: SanitizeOptions,
): Record<string, unknown> {
  return sanitizeValue(fields, options, new WeakSet(), 0, undefined) as Record<string, unknown>;
}

/** A message string scrubbed the same way. */
export function sanitizeMessage(message: string, options: SanitizeOptions): string {
  return scrubString(message, options.matcher);
}
