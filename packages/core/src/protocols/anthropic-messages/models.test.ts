/**
 * Anthropic's models list is paged (`limit` up to 1000; `has_more` and `last_id`, sent back as
 * `after_id`): the adapter asks for the next page while `has_more` is true.
 * https://docs.anthropic.com/en/api/models-list
 */
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../errors/errors.js';
import { anthropicMessagesAdapter as adapter } from './index.js';
import { loadDescriptor, makeContext } from './test-helpers.js';

const { descriptor } = loadDescriptor('anthropic');
const ctx = makeContext(descriptor, '');
const page = (ids: string[], hasMore: boolean) => ({
  data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-02-19T00:00:00Z' })),
  has_more: hasMore,
  first_id: ids[0] ?? null,
  last_id: ids.at(-1) ?? null,
});

describe('anthropic models pagination', () => {
  const first = adapter.listModelsRequest?.(ctx);
  if (first === undefined || adapter.nextModelsRequest === undefined) throw new Error('anthropic pages its models');
  const next = adapter.nextModelsRequest.bind(adapter);

  it('follows has_more with after_id = last_id, and stops when has_more is false', () => {
    expect(first.url).toBe('https://api.anthropic.com/v1/models?limit=1000');
    const second = next(ctx, page(['claude-opus-4-1', 'claude-sonnet-4-5'], true), first);
    expect(second?.url).toBe('https://api.anthropic.com/v1/models?limit=1000&after_id=claude-sonnet-4-5');
    expect(second?.headers).toEqual(first.headers);
    expect(next(ctx, page(['claude-3-haiku-20240307'], false), first)).toBeUndefined();
  });

  it('refuses has_more without a last_id, or with the after_id just sent', () => {
    expect(() => next(ctx, { data: [], has_more: true, last_id: null }, first)).toThrow(/last_id/);
    const second = next(ctx, page(['a'], true), first);
    if (second === undefined) throw new Error('has_more means a next page');
    expect(() => next(ctx, page(['a'], true), second)).toThrow(InvalidResponseError);
  });
});
