/**
 * What every log line goes through before it is written: credentials removed by field name
 * (auth headers, `apiKey`, AWS secrets), by shape (`?key=` URL parameters, `Bearer ...`, strings that
 * look like provider keys) and by value (every key the switchboard knows, also base64- and
 * URL-encoded), and, when asked, message content removed too. Only lines that are actually written
 * pay for this.
 */

export const REDACTED = '[redacted]';
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

/** `?key=...`, `&api_key=...`, SigV4 query signatures and tokens in URLs. */
const URL_SECRET_PARAM =
  /([?&;](?:key|api[-_]?key|apikey|access[-_]?token|token|auth|code|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-api-key)=)[^&#\s"'<>]*/gi;
/** `Bearer <token>`, `Basic <b64>` as found in header dumps. */
const AUTH_SCHEME = /\b(Bearer|Basic|AWS4-HMAC-SHA256)\s+[^\s"',;]{6,}/gi;
/** Strings shaped like provider keys (caught even when the switchboard was never told about them). */
const KEY_SHAPES =
  /\b(?:sk-(?:ant-|proj-|or-)?[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|pplx-[A-Za-z0-9]{20,})/g;

/** The fragments of a secret's base64 encoding that are the same wherever the secret sits in the encoded data. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
    const end = Math.floor(padded.length / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) {
      cores.push(core);
      const url = core.replace(/\+/g, '-').replace(/\//g, '_');
      if (url !== core) cores.push(url);
    }
  }
  return cores;
}

/** Every form of a secret a line could carry: as is, URL-encoded, base64 (any alignment), base64url, hex. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const core of base64Cores(secret)) forms.add(core);
  forms.add(Buffer.from(secret, 'utf8').toString('hex'));
  return [...forms].filter((form) => form.length >= 6).sort((a, b) => b.length - a.length);
}

/** The secrets a line is scrubbed of, with their encoded forms; rebuilt only when the set changes. */
export class SecretSet {
  private sources = new Set<() => Iterable<string | undefined>>();
  private cacheKey = '';
  private cachedForms: string[] = [];

  /** Adds a source of secrets, read each time a line is written (so rotated keys are seen). Returns a remover. */
  add(source: () => Iterable<string | undefined>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  /** Every current secret form, longest first. */
  forms(): readonly string[] {
    if (this.sources.size === 0) {
      this.cacheKey = '';
      this.cachedForms = [];
      return this.cachedForms;
    }
    const secrets = new Set<string>();
    for (const source of this.sources) {
      try {
        for (const secret of source()) if (secret !== undefined && secret.length >= 6) secrets.add(secret);
      } catch {
        // a failing source must never stop a line (nor leak through an error)
      }
    }
    const key = [...secrets].sort().join('\0');
    if (key !== this.cacheKey) {
      this.cacheKey = key;
      const forms = new Set<string>();
      for (const secret of secrets) for (const form of secretForms(secret)) forms.add(form);
      this.cachedForms = [...forms].sort((a, b) => b.length - a.length);
    }
    return this.cachedForms;
  }
}

/** Removes credentials from a string: known secrets (every form), URL key parameters, auth schemes, key shapes. */
export function scrubString(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  if (out.includes('=')) out = out.replace(URL_SECRET_PARAM, `$1${REDACTED}`);
  out = out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
  return out.replace(KEY_SHAPES, REDACTED);
}

export interface SanitizeOptions {
  forms: readonly string[];
  redactContent: boolean;
}

const MAX_DEPTH = 8;
const MAX_ITEMS = 200;

function serializeError(error: Error, options: SanitizeOptions, seen: WeakSet<object>, depth: number): unknown {
  const out: Record<string, unknown> = { type: error.name, message: scrubString(error.message, options.forms) };
  const fields = error as unknown as Record<string, unknown>;
  for (const name of ['kind', 'status', 'code', 'provider', 'model', 'requestId', 'retryable', 'retryAfterMs']) {
    const value = fields[name];
    if (value !== undefined) out[name] = sanitizeValue(value, options, seen, depth + 1, name);
  }
  if (error.stack !== undefined) out.stack = scrubString(error.stack, options.forms);
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
      return scrubString(value, options.forms);
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
    if (object instanceof URL) return scrubString(object.href, options.forms);
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
  return scrubString(message, options.forms);
}
