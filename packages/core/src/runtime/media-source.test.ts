import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/errors.js';
import { base64ByteLength, classifyMediaUrl, parseDataUrl } from './media-source.js';

const FIELD = 'messages[2].content[1].image';
const MB = 1024 * 1024;

function refusal(value: string | URL): InvalidRequestError {
  try {
    classifyMediaUrl(value, FIELD, MB);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe('classifyMediaUrl', () => {
  it('accepts http and https URLs as remote sources, as they are', () => {
    expect(classifyMediaUrl('https://example.com/cat.png', FIELD, MB)).toEqual({
      kind: 'url',
      url: 'https://example.com/cat.png',
    });
    expect(classifyMediaUrl(new URL('HTTP://example.com/a'), FIELD, MB)).toEqual({
      kind: 'url',
      url: 'http://example.com/a',
    });
  });

  it('accepts data URLs without decoding them', () => {
    expect(classifyMediaUrl('data:image/png;base64,iVBORw0KGgo=', FIELD, MB)).toEqual({
      kind: 'data',
      mediaType: 'image/png',
      base64: 'iVBORw0KGgo=',
    });
    expect(classifyMediaUrl('DATA:text/plain,hi%20there', FIELD, MB)).toEqual({
      kind: 'data',
      mediaType: 'text/plain',
      base64: Buffer.from('hi there').toString('base64'),
    });
  });

  it.each([
    ['/proc/self/environ', 'a file path'],
    ['/etc/passwd', 'a file path'],
    ['../../x', 'a file path'],
    ['photo.jpg', 'a file path'],
    ['C:\\Users\\me\\cat.png', 'a file path'],
    ['file:///etc/hostname', "a 'file:' URL"],
    ['ftp://example.com/a.png', "a 'ftp:' URL"],
    ['javascript:alert(1)', "a 'javascript:' URL"],
  ])('refuses %s as %s, naming the field, not retryable', (value, what) => {
    const error = refusal(value);
    expect(error.kind).toBe('invalid-request');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(FIELD);
    expect(error.message).toContain(what);
    expect(error.message).toContain('only http:, https: and data: URLs');
  });

  it('refuses a file: URL object like the string', () => {
    expect(refusal(new URL('file:///etc/hostname')).message).toContain("'file:' URL");
  });

  it('quotes at most a short preview of a huge value', () => {
    const error = refusal(`/tmp/${'a'.repeat(100_000)}`);
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a malformed http URL and a data URL without a comma', () => {
    expect(refusal('http://exa mple.com/').message).toContain('malformed URL');
    expect(refusal('data:image/png;base64').message).toContain('malformed data URL');
  });
});

describe('data URL size', () => {
  it('computes decoded bytes from the base64 length', () => {
    for (let n = 0; n < 10; n += 1) {
      const base64 = Buffer.alloc(n, 7).toString('base64');
      expect(base64ByteLength(base64)).toBe(n);
    }
  });

  it('refuses a payload over the cap from its length, before copying it', () => {
    const base64 = Buffer.alloc(MB + 3).toString('base64');
    expect(() => parseDataUrl(`data:image/png;base64,${base64}`, FIELD, MB)).toThrow(/over the limit of 1\.0 MB/);
    expect(parseDataUrl(`data:image/png;base64,${Buffer.alloc(MB).toString('base64')}`, FIELD, MB).kind).toBe('data');
  });
});
