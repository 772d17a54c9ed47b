import { describe, expect, it } from 'vitest';
import { REDACTED, redactExchange, redactHeaders, redactUrl } from './redact.js';

const KEY = 'sk-live-abcdef123456';

describe('redaction', () => {
  it('redacts auth headers of every provider scheme, keeping the scheme word', () => {
    expect(
      redactHeaders({
        Authorization: `Bearer ${KEY}`,
        'x-api-key': KEY,
        'api-key': KEY,
        'x-goog-api-key': KEY,
        'X-Amz-Security-Token': 'token',
        'content-type': 'application/json',
      }),
    ).toEqual({
      authorization: `Bearer ${REDACTED}`,
      'x-api-key': REDACTED,
      'api-key': REDACTED,
      'x-goog-api-key': REDACTED,
      'x-amz-security-token': REDACTED,
      'content-type': 'application/json',
    });
  });

  it('keeps the shape of an AWS SigV4 authorization header', () => {
    const sigv4 =
      'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd';
    expect(redactHeaders({ authorization: sigv4 })?.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${REDACTED}, SignedHeaders=host;x-amz-date, Signature=${REDACTED}`,
    );
  });

  it('redacts key query parameters and signatures in URLs', () => {
    expect(
      redactUrl(`https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?key=${KEY}&alt=sse`),
    ).toBe(`https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?key=${REDACTED}&alt=sse`);
    expect(redactUrl('https://s3.test/a?X-Amz-Signature=abc&X-Amz-Credential=cred&x=1')).toBe(
      `https://s3.test/a?X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}&x=1`,
    );
    expect(redactUrl('https://api.openai.com/v1/chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
  });

  it('scrubs literal secrets echoed in bodies and chunks', () => {
    const out = redactExchange(
      {
        request: {
          method: 'POST',
          url: `https://x.test/v1?key=${KEY}`,
          headers: { authorization: `Bearer ${KEY}` },
          body: { note: KEY },
        },
        response: {
          status: 401,
          body: { error: `Incorrect API key provided: ${KEY}` },
          chunks: [`data: ${KEY}\n\n`],
          bodyText: KEY,
        },
      },
      [KEY],
    );
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out.response.body).toEqual({ error: `Incorrect API key provided: ${REDACTED}` });
  });
});

describe('binary bodies and echoed header values', () => {
  it('masks a key echoed inside a binary body, keeping its length, and in any header value', () => {
    const frame = Buffer.concat([
      Buffer.from([0, 0, 0, 42]),
      Buffer.from(`{"message":"bad key ${KEY}"}`),
      Buffer.from([1, 2]),
    ]);
    const redacted = redactExchange(
      {
        request: { method: 'POST', url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse-stream' },
        response: {
          status: 200,
          headers: { 'x-echo': `received=${KEY}` },
          bodyBase64: frame.toString('base64'),
        },
      },
      [KEY],
    );
    const bytes = Buffer.from(redacted.response.bodyBase64 as string, 'base64');
    expect(bytes.length).toBe(frame.length);
    expect(bytes.toString('latin1')).not.toContain(KEY);
    expect(bytes.toString('latin1')).toContain('bad key ********************');
    expect(redacted.response.headers?.['x-echo']).toBe(`received=${REDACTED}`);
  });
});
