/**
 * Removes secrets from recorded exchanges before anything is written: auth headers, API-key query
 * parameters and AWS signatures. Fixtures are committed to the repository, so this runs on every
 * recording, and values are replaced (not dropped) so a replay can still check the header was sent.
 */
import { redactSecret, secretForms } from '@switchboard/core';
import type { RecordedExchange } from './exchange.js';

/** The placeholder that replaces a secret. */
export const REDACTED = 'REDACTED';

/** Headers whose value is a secret (lower-case). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'x-amz-security-token',
  'cookie',
  'set-cookie',
]);

/** Query parameters whose value is a secret. */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'key',
  'api_key',
  'apikey',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

/** AWS SigV4 `Authorization` keeps its shape (`AWS4-HMAC-SHA256 Credential=REDACTED, ...`). */
function redactHeaderValue(name: string, value: string): string {
  if (name === 'authorization' && value.startsWith('AWS4-')) {
    return value
      .replace(/Credential=[^,\s]+/, `Credential=${REDACTED}`)
      .replace(/Signature=[0-9a-fA-F]+/, `Signature=${REDACTED}`);
  }
  if (name === 'authorization') {
    const space = value.indexOf(' ');
    return space > 0 ? `${value.slice(0, space)} ${REDACTED}` : REDACTED;
  }
  return REDACTED;
}

/** Copies headers with secret values replaced; names are lower-cased. */
export function redactHeaders(
  headers: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    out[name] = SECRET_HEADERS.has(name) ? redactHeaderValue(name, value) : value;
  }
  return out;
}

/** Replaces secret query parameters in a URL. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_PARAMS.has(name.toLowerCase())) {
      parsed.searchParams.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/**
 * A copy of the exchange with every secret replaced, including any literal occurrence of the given
 * keys anywhere in bodies (a provider may echo the key in an error message).
 */
export function redactExchange(exchange: RecordedExchange, secrets: readonly string[] = []): RecordedExchange {
  const keys = secrets.filter((secret) => secret.length >= 4);
  // The literal key becomes REDACTED (a replay matches it against any value); every other form a
  // provider may echo (base64, percent- or JSON-escaped, hex, a long prefix or suffix) goes through
  // core's secret forms, as in errors and logs, and becomes `[redacted]`.
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of keys) out = out.split(secret).join(REDACTED);
    return keys.length === 0 ? out : redactSecret(out, keys);
  };
  // String by string, not over the JSON text: a redaction inside an escape sequence would leave
  // invalid JSON.
  const scrubValue = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(scrubValue);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[scrub(key)] = scrubValue(item);
    return out;
  };
  const request: RecordedExchange['request'] = {
    method: exchange.request.method,
    url: scrub(redactUrl(exchange.request.url)),
  };
  const requestHeaders = redactHeaders(exchange.request.headers);
  if (requestHeaders !== undefined) request.headers = requestHeaders;
  if (exchange.request.body !== undefined) request.body = scrubValue(exchange.request.body);
  const response: RecordedExchange['response'] = {};
  if (exchange.response.status !== undefined) response.status = exchange.response.status;
  const responseHeaders = redactHeaders(exchange.response.headers);
  if (responseHeaders !== undefined) response.headers = responseHeaders;
  if (exchange.response.body !== undefined) response.body = scrubValue(exchange.response.body);
  if (exchange.response.bodyText !== undefined) response.bodyText = scrub(exchange.response.bodyText);
  if (exchange.response.chunks !== undefined) response.chunks = exchange.response.chunks.map(scrub);
  if (exchange.response.bodyBase64 !== undefined)
    response.bodyBase64 = scrubBinary(exchange.response.bodyBase64, secrets);
  for (const headers of [request.headers, response.headers]) {
    if (headers === undefined) continue;
    for (const name of Object.keys(headers)) headers[name] = scrub(headers[name] as string);
  }
  return { request, response };
}

/**
 * Masks every occurrence of a secret, in any of core's encoded forms or as a prefix or suffix of 12
 * or more characters of one, inside a binary body (base64 in, base64 out) with `*` bytes of the same
 * length, so frame lengths survive. A masked AWS event-stream frame no longer matches its
 * CRC: a recording that needed this has to be re-framed before it can be replayed, which beats
 * committing a key.
 */
export function scrubBinary(base64: string, secrets: readonly string[]): string {
  const bytes = Buffer.from(base64, 'base64');
  let changed = false;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, ...secretForms(secret)])) {
      const whole = Buffer.from(form, 'utf8');
      if (maskEchoes(bytes, whole)) changed = true;
    }
  }
  return changed ? bytes.toString('base64') : base64;
}

/** Shortest prefix or suffix of an encoded key that is masked on its own (a truncated echo). */
const PARTIAL = 12;

/**
 * Masks `form` in `bytes`, and any run of at least {@link PARTIAL} bytes that is a prefix or a
 * suffix of it (found from its first or last 12 bytes, then extended as far as the bytes agree).
 */
function maskEchoes(bytes: Buffer, form: Buffer): boolean {
  let changed = false;
  if (form.length < PARTIAL) {
    for (let at = bytes.indexOf(form); at !== -1; at = bytes.indexOf(form, at + form.length)) {
      bytes.fill(0x2a, at, at + form.length);
      changed = true;
    }
    return changed;
  }
  const head = form.subarray(0, PARTIAL);
  for (let at = bytes.indexOf(head); at !== -1; at = bytes.indexOf(head, at + 1)) {
    let end = at + PARTIAL;
    while (end < bytes.length && end - at < form.length && bytes[end] === form[end - at]) end += 1;
    bytes.fill(0x2a, at, end);
    changed = true;
  }
  const tail = form.subarray(form.length - PARTIAL);
  for (let at = bytes.indexOf(tail); at !== -1; at = bytes.indexOf(tail, at + 1)) {
    let start = at;
    const offset = form.length - PARTIAL;
    while (start > 0 && at - start < offset && bytes[start - 1] === form[offset - (at - start) - 1]) start -= 1;
    bytes.fill(0x2a, start, at + PARTIAL);
    changed = true;
  }
  return changed;
}
