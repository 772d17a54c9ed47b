/**
 * Keeps secrets out of everything the runtime hands back. Providers and HTTP libraries echo URLs
 * (with a `key=` parameter), headers and request bodies into error messages and bodies, sometimes
 * base64-, percent- or JSON-encoded, sometimes cut short; this scrubs every such form (see
 * `secret-patterns.ts`) from an error's message, stack, code and body (deep, Buffers included) and
 * from every error along its `cause` chain, in place, so `util.inspect`, `JSON.stringify` and
 * `String(error)` all show the redacted text.
 */
import { matcherFor, REDACTED, type SecretMatcher } from './secret-patterns.js';

export { REDACTED };

/** The secrets one call may send: its API key, AWS credentials and credential-looking custom headers. */
export interface CallSecretsSource {
  apiKey?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  settings?: { readonly headers?: Readonly<Record<string, string>> };
}

/** Environment variables whose values are credentials a call may sign or send with. */
export const CREDENTIAL_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;

const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|signature/i;

/** Every secret of one call (for errors, which carry what the provider echoed of the request). */
export function callSecrets(ctx: CallSecretsSource): string[] {
  const out: string[] = [];
  if (ctx.apiKey !== undefined) out.push(ctx.apiKey);
  if (ctx.env !== undefined)
    for (const name of CREDENTIAL_ENV) {
      const value = ctx.env[name];
      if (value !== undefined && value !== '') out.push(value);
    }
  const headers = ctx.settings?.headers;
  if (headers !== undefined)
    for (const [name, value] of Object.entries(headers))
      if (CREDENTIAL_HEADER.test(name)) {
        out.push(value);
        const space = value.indexOf(' ');
        if (space > 0) out.push(value.slice(space + 1));
      }
  return out;
}

type Secrets = string | undefined | readonly (string | undefined)[] | SecretMatcher;

function toMatcher(secrets: Secrets): SecretMatcher {
  if (secrets === undefined) return matcherFor([]);
  if (typeof secrets === 'string') return matcherFor([secrets]);
  if ('redact' in secrets) return secrets;
  return matcherFor(secrets);
}

/** Replaces every form of `secret` (or of each secret) in `text` by `[redacted]`. */
export function redactSecret(text: string, secret: Secrets): string {
  const matcher = toMatcher(secret);
  return matcher.empty ? text : matcher.redact(text);
}

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every string (and every Buffer / Uint8Array that decodes to one) scrubbed;
 * the value itself when nothing needed scrubbing (so clean bodies are not copied).
 */
export function redactValue(value: unknown, secrets: Secrets, depth = 0): unknown {
  const matcher = toMatcher(secrets);
  if (matcher.empty) return value;
  return redactDeep(value, matcher, depth, new WeakSet());
}

function redactDeep(value: unknown, matcher: SecretMatcher, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return matcher.redact(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return value;
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
    const clean = matcher.redact(text);
    return clean === text ? value : Buffer.from(clean, 'utf8');
  }
  if (value instanceof ArrayBuffer) return redactDeep(new Uint8Array(value), matcher, depth, seen);
  if (value instanceof Error) {
    redactErrorIn(value, matcher, seen, depth);
    return value;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const item = value[index];
      const clean = redactDeep(item, matcher, depth + 1, seen);
      if (clean !== item) {
        copy ??= [...value];
        copy[index] = clean;
      }
    }
    return copy ?? value;
  }
  if (value instanceof Map) {
    const entries = [...value].map(([key, item]) => [key, redactDeep(item, matcher, depth + 1, seen)] as const);
    return entries.some(([key, item]) => item !== value.get(key)) ? new Map(entries) : value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const clean = redactDeep(item, matcher, depth + 1, seen);
    if (clean !== item) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = clean;
    }
  }
  return copy ?? value;
}

function setField(target: object, name: string, value: unknown): void {
  try {
    Object.defineProperty(target, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: Object.getOwnPropertyDescriptor(target, name)?.enumerable ?? name !== 'message',
    });
  } catch {
    // a frozen error keeps its field; nothing else can be done
  }
}

/** Fields of an error besides message/stack that may carry echoed text. */
const ERROR_FIELDS = ['body', 'code', 'partial', 'text', 'url', 'headers', 'response', 'data', 'reason'];

function redactErrorIn(error: Error, matcher: SecretMatcher, seen: WeakSet<object>, depth: number): void {
  if (seen.has(error) || depth > MAX_DEPTH) return;
  seen.add(error);
  const message = matcher.redact(error.message);
  if (message !== error.message) setField(error, 'message', message);
  if (typeof error.stack === 'string') {
    const stack = matcher.redact(error.stack);
    if (stack !== error.stack) setField(error, 'stack', stack);
  }
  const fields = error as unknown as Record<string, unknown>;
  for (const name of ERROR_FIELDS) {
    if (!Object.hasOwn(error, name)) continue;
    const value = fields[name];
    const clean = redactDeep(value, matcher, depth + 1, seen);
    if (clean !== value) setField(error, name, clean);
  }
  if (error.cause !== undefined) {
    const clean = redactDeep(error.cause, matcher, depth + 1, seen);
    if (clean !== error.cause) setField(error, 'cause', clean);
  }
  if (error instanceof AggregateError) for (const inner of error.errors) redactDeep(inner, matcher, depth + 1, seen);
}

/**
 * Scrubs an error in place and returns it: message, stack, `body` (deep), `code`, `partial`, and the
 * same for every error on its `cause` chain (and inside an AggregateError).
 */
export function redactError<E>(error: E, secrets: Secrets): E {
  if (!(error instanceof Error)) return error;
  const matcher = toMatcher(secrets);
  if (!matcher.empty) redactErrorIn(error, matcher, new WeakSet(), 0);
  return error;
}

/** `redactError` with every secret of the call (`ctx.apiKey`, AWS credentials, credential headers). */
export function redactCallError<E>(error: E, ctx: CallSecretsSource): E {
  return redactError(error, callSecrets(ctx));
}
