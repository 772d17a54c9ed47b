import { describe, expect, it } from 'vitest';
import type { ChatRequest, EmbedRequest } from '../../types/requests.js';
import { cacheSetting } from './cache.js';

const chat: ChatRequest = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
const embed: EmbedRequest = { model: 'openai/text-embedding-3-small', input: 'hi' };

describe('cacheSetting', () => {
  it('uses the cache for chat and embed calls without a cache field when the cache is on by default', () => {
    expect(cacheSetting(chat, true)).toEqual({});
    expect(cacheSetting(chat, true, 'chat')).toEqual({});
    expect(cacheSetting(embed, true, 'embed')).toEqual({});
    expect(cacheSetting(chat, false)).toBe(false);
    expect(cacheSetting(embed, false, 'embed')).toBe(false);
  });

  it('leaves streams out unless the call asks', () => {
    expect(cacheSetting(chat, true, 'stream')).toBe(false);
    expect(cacheSetting({ ...chat, cache: true }, false, 'stream')).toEqual({});
    expect(cacheSetting({ ...chat, cache: { ttl: 5000 } }, true, 'stream')).toEqual({ ttlMs: 5000 });
  });

  it('honours the call: false bypasses a default cache, a ttl overrides the default TTL', () => {
    expect(cacheSetting({ ...chat, cache: false }, true)).toBe(false);
    expect(cacheSetting({ ...embed, cache: { ttl: 1000 } }, false, 'embed')).toEqual({ ttlMs: 1000 });
    expect(cacheSetting({ ...chat, cache: {} }, false)).toEqual({});
  });

  it('leaves calls that read a local file by path out by default (the key holds the path, not the bytes)', () => {
    const withPath: ChatRequest = {
      model: 'openai/gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', path: './a.png' },
          ],
        },
      ],
    };
    expect(cacheSetting(withPath, true)).toBe(false);
    expect(cacheSetting({ ...withPath, cache: true }, true)).toEqual({});
    const withUrl: ChatRequest = {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/a.png' }] }],
    };
    expect(cacheSetting(withUrl, true)).toEqual({});
  });
});
