/**
 * Gemini's models list is paged (`pageSize` up to 1000, `nextPageToken` until the last page): the
 * adapter asks for the next page until the token is gone.
 * https://ai.google.dev/api/models#method:-models.list
 */
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../errors/errors.js';
import { loadDescriptor, makeContext } from '../anthropic-messages/test-helpers.js';
import { geminiAdapter as adapter } from './index.js';

const { descriptor } = loadDescriptor('gemini');
const ctx = makeContext(descriptor, '');
const BASE = 'https://generativelanguage.googleapis.com/v1beta';
const model = (name: string) => ({ name: `models/${name}`, displayName: name, inputTokenLimit: 1048576 });

describe('gemini models pagination', () => {
  const first = adapter.listModelsRequest?.(ctx);
  if (first === undefined || adapter.nextModelsRequest === undefined) throw new Error('gemini pages its models list');
  const next = adapter.nextModelsRequest.bind(adapter);

  it('asks for the largest page, then for the page the token names', () => {
    expect(first.url).toBe(`${BASE}/models?pageSize=1000`);
    const page = { models: [model('gemini-2.5-flash')], nextPageToken: 'Chxtb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA==' };
    expect(next(ctx, page, first)).toEqual({
      method: 'GET',
      url: `${BASE}/models?pageSize=1000&pageToken=Chxtb2RlbHMvZ2VtaW5pLTIuNS1mbGFzaA%3D%3D`,
      headers: {},
    });
  });

  it('replaces the token on later pages and stops when it is absent or empty', () => {
    const second = next(ctx, { models: [], nextPageToken: 'A' }, first);
    if (second === undefined) throw new Error('a token means a next page');
    expect(next(ctx, { models: [], nextPageToken: 'B' }, second)?.url).toBe(`${BASE}/models?pageSize=1000&pageToken=B`);
    expect(next(ctx, { models: [model('gemini-2.5-pro')] }, second)).toBeUndefined();
    expect(next(ctx, { models: [], nextPageToken: '' }, second)).toBeUndefined();
  });

  it('refuses a token that repeats the one just sent, or is not a string', () => {
    const second = next(ctx, { models: [], nextPageToken: 'A' }, first);
    if (second === undefined) throw new Error('a token means a next page');
    expect(() => next(ctx, { models: [], nextPageToken: 'A' }, second)).toThrow(InvalidResponseError);
    expect(() => next(ctx, { models: [], nextPageToken: 7 }, first)).toThrow(/nextPageToken/);
  });
});
