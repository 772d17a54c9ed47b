/**
 * The secret matcher on its own: every encoding of a key, every prefix and suffix of 12 or more
 * characters, keys inside longer base64 blobs, errors scrubbed deep (bodies, Buffers, causes,
 * AggregateErrors) so `util.inspect` and `JSON.stringify` show nothing, the window filter never
 * missing a needle, and the "looks like a key" rule saved sessions apply.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { callSecrets, redactError, redactSecret, redactValue } from './redact.js';
import { matcherFor, REDACTED } from './secret-patterns.js';
import { isSecretName, looksLikeKey, redactKeyShapes } from './secret-shapes.js';
import { WINDOW, WindowFilter } from './window-filter.js';

const OPENAI_KEY =
  'sk-proj-Q3vT9xLmZp8RkW2nYc5HbJ7dF4gS6aE1uI0oP9lKjH8gF7dS6aQ2wE3rT4yU5iO6pA7sD8fG9hJ0kL1zX2cV3bN4mQ5wE6rT7yU8iO9pA0sD1fG2hJ3kT3BlbkFJ';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9Q2w8E4r1T';

/** Every 12-character window of `secret` found in `text`. */
function windowsIn(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + 12 <= secret.length; start++) {
    const window = secret.slice(start, start + 12);
    if (text.includes(window)) found.push(window);
  }
  return found;
}

const unicodeEscaped = (text: string, upper: boolean) =>
  text.replace(/[^A-Za-z0-9]/g, (char) => {
    const hex = char.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });

describe('secret matcher', () => {
  const matcher = matcherFor([OPENAI_KEY, AWS_SECRET]);

  it.each([OPENAI_KEY, AWS_SECRET])('removes every encoding of %s', (key) => {
    const encodings: Record<string, string> = {
      raw: key,
      base64: Buffer.from(key).toString('base64'),
      base64url: Buffer.from(key).toString('base64url'),
      'base64 of user:key (Basic auth)': Buffer.from(`user:${key}`).toString('base64'),
      'base64 inside a longer blob': Buffer.from(`{"k":"${key}","n":1}`).toString('base64'),
      percent: encodeURIComponent(key),
      'percent, lower-case hex': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (s) => s.toLowerCase()),
      form: new URLSearchParams({ k: key }).toString().slice(2),
      'percent twice': encodeURIComponent(encodeURIComponent(key)),
      'JSON with \\/': JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/'),
      'JSON \\u escapes': unicodeEscaped(key, false),
      'JSON \\U escapes': unicodeEscaped(key, true),
      hex: Buffer.from(key).toString('hex'),
    };
    for (const [name, encoded] of Object.entries(encodings)) {
      const text = `provider said: <${encoded}> (end)`;
      const clean = matcher.redact(text);
      expect(clean, name).toContain(REDACTED);
      expect(clean.includes(encoded), name).toBe(false);
      expect(clean.startsWith('provider said: <'), name).toBe(true);
      expect(clean.endsWith('> (end)'), name).toBe(true);
      expect(windowsIn(clean, key), name).toEqual([]);
    }
  });

  it('removes every prefix and every suffix of 12 characters or more, whole', () => {
    for (let length = 12; length <= OPENAI_KEY.length; length++) {
      for (const part of [OPENAI_KEY.slice(0, length), OPENAI_KEY.slice(-length)]) {
        const clean = matcher.redact(`key=${part}; next`);
        expect(clean).toBe(`key=${REDACTED}; next`);
      }
    }
    // below the threshold a fragment is too common to mean the key
    expect(matcher.redact('key=sk-proj-Q3v; next')).toBe('key=sk-proj-Q3v; next');
  });

  it('removes prefixes of the base64 form too (a truncated Basic header)', () => {
    const basic = Buffer.from(`user:${OPENAI_KEY}`).toString('base64').slice(0, 60);
    expect(windowsIn(Buffer.from(matcher.redact(basic), 'base64').toString('latin1'), OPENAI_KEY)).toEqual([]);
    expect(matcher.redact(basic)).toContain(REDACTED);
  });

  it('leaves clean text alone (the same string) and ignores too-short secrets', () => {
    const text = 'HTTP 500 from openai: the server had an error processing your request (req_123).';
    expect(matcher.redact(text)).toBe(text);
    expect(matcherFor(['abc', undefined, '']).empty).toBe(true);
    expect(redactSecret('abc abc', 'abc')).toBe('abc abc');
  });

  it('builds one matcher per set of secrets (order and duplicates do not matter)', () => {
    expect(matcherFor([AWS_SECRET, OPENAI_KEY, OPENAI_KEY])).toBe(matcher);
  });
});

describe('redactError', () => {
  it('scrubs message, stack, body (nested strings, Buffers, Uint8Arrays), code and the whole cause chain', () => {
    const root = new TypeError(`fetch failed for https://x.test/v1?key=${encodeURIComponent(AWS_SECRET)}`);
    const middle = new Error(`socket said ${Buffer.from(OPENAI_KEY).toString('base64')}`, { cause: root });
    const error = Object.assign(new Error(`401: bad key ${OPENAI_KEY.slice(0, 20)}...`, { cause: middle }), {
      code: OPENAI_KEY,
      body: {
        error: { message: `you sent ${OPENAI_KEY}`, details: [{ echo: OPENAI_KEY.slice(-12) }] },
        raw: Buffer.from(`Authorization: Bearer ${OPENAI_KEY}`),
        bytes: new TextEncoder().encode(`x-amz ${AWS_SECRET}`),
      },
    });
    const aggregate = new AggregateError([error], `all failed: ${AWS_SECRET}`);
    redactError(aggregate, callSecrets({ apiKey: OPENAI_KEY, env: { AWS_SECRET_ACCESS_KEY: AWS_SECRET } }));
    const texts = [
      inspect(aggregate, { depth: 10, showHidden: true }),
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
      JSON.stringify(error.body),
      String(error.body.raw),
      Buffer.from(error.body.bytes).toString(),
      root.message,
      root.stack ?? '',
      middle.message,
      error.code,
    ];
    for (const text of texts) {
      expect(windowsIn(text, OPENAI_KEY), text).toEqual([]);
      expect(windowsIn(text, AWS_SECRET), text).toEqual([]);
      expect(text.includes(Buffer.from(OPENAI_KEY).toString('base64').slice(0, 40))).toBe(false);
    }
    expect(error.message).toBe(`401: bad key ${REDACTED}...`);
    expect(Buffer.isBuffer(error.body.raw)).toBe(true);
  });

  it('returns clean values themselves (no copy) and copies only what changed', () => {
    const body = { a: 'fine', nested: { b: ['also fine'] } };
    expect(redactValue(body, OPENAI_KEY)).toBe(body);
    const dirty = { a: 'fine', nested: { b: [`bad ${OPENAI_KEY}`] } };
    const clean = redactValue(dirty, OPENAI_KEY) as typeof dirty;
    expect(clean).toEqual({ a: 'fine', nested: { b: [`bad ${REDACTED}`] } });
    expect(dirty.nested.b[0]).toContain(OPENAI_KEY);
  });

  it('takes the secrets of a call from its key, AWS variables and credential headers', () => {
    expect(
      callSecrets({
        apiKey: 'k-123456',
        env: { AWS_SECRET_ACCESS_KEY: 'aws-secret', AWS_SESSION_TOKEN: 'aws-token', HOME: '/root' },
        settings: { headers: { 'X-Proxy-Authorization': 'Basic dXNlcjpwYXNz', 'X-Trace': 'abc' } },
      }),
    ).toEqual(['k-123456', 'aws-secret', 'aws-token', 'Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz']);
  });
});

describe('window filter', () => {
  it('never misses a needle, wherever it sits (deterministic random texts)', () => {
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/+= ';
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const needles = Array.from({ length: 40 }, (_, index) => word(WINDOW + (index % 20)));
    needles.push('short-one');
    const filter = new WindowFilter(needles);
    for (let round = 0; round < 500; round++) {
      const needle = needles[Math.floor(random() * needles.length)] as string;
      const text = `${word(Math.floor(random() * 300))}${needle}${word(Math.floor(random() * 300))}`;
      expect(filter.mayContain(text)).toBe(true);
    }
    expect(filter.mayContain('nothing here but plain words, numbers 0123456789 and more words')).toBe(false);
    expect(filter.mayContain('')).toBe(false);
  });
});

describe('the "looks like a key" rule', () => {
  it.each([
    'sk-proj-abcdefghijklmnop1234',
    'sk-ant-api03-abcdefghijklmnop',
    'AIzaSyD4x9Kp2Lm7Qr8Tv3Wz6Ab1Cd5Ef0Gh9Ij',
    'AKIAZ7Q4W2E9R1T5Y3U8',
    'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
    'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MHF3ZXJ0eXVpb3Bhc2RmZ2g',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ])('%s looks like a key', (value) => {
    expect(looksLikeKey(value)).toBe(true);
  });

  it.each([
    'alice',
    'conversation-2024-05-01',
    '123e4567-e89b-12d3-a456-426614174000',
    'eu-west-1',
    'a sentence with spaces that is rather long indeed 123',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1',
    'https://example.com/path',
  ])('%s does not', (value) => {
    expect(looksLikeKey(value)).toBe(false);
  });

  it('names credential options (and not prompt_cache_key or max_tokens)', () => {
    for (const name of ['api_key', 'apiKey', 'x-api-key', 'key', 'token', 'client_secret', 'authorization', 'password'])
      expect(isSecretName(name), name).toBe(true);
    for (const name of ['prompt_cache_key', 'max_tokens', 'user', 'region', 'keywords'])
      expect(isSecretName(name), name).toBe(false);
  });

  it('removes URL key parameters, auth schemes and provider-key shapes from logs', () => {
    expect(redactKeyShapes('GET /v1?key=AIzaSyAAAA&alt=sse Bearer abcdefgh sk-proj-abcdefghijklmnopqrst')).toBe(
      `GET /v1?key=${REDACTED}&alt=sse Bearer ${REDACTED} ${REDACTED}`,
    );
  });
});
