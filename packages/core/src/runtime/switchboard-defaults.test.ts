/**
 * The smaller defects of issue 9 as a user meets them through `createSwitchboard`: status calls
 * that answer without optional features, defaults that fill what a call leaves out.
 */
import { describe, expect, it } from 'vitest';
import { createMockProvider } from '../protocols/mock/mock-provider.js';
import { createSwitchboard } from './switchboard.js';

describe('rateLimitStatus without rateLimit', () => {
  it('answers with an open status instead of throwing', async () => {
    const sb = createSwitchboard({ providers: [createMockProvider()] });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    const status = await sb.rateLimitStatus('mock', { key: 'team-a' });
    expect(status).toEqual({
      provider: 'mock',
      key: 'team-a',
      requests: { current: 0, limit: undefined, remaining: undefined, resetMs: 0 },
      tokens: { current: 0, limit: undefined, remaining: undefined, resetMs: 0 },
    });
  });
});
