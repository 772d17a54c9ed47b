import { describe, expect, it, vi } from 'vitest';
import { createSwitchboard } from '../../composition/create-switchboard.js';
import { createMockProvider } from '../../protocols/mock/mock-provider.js';
import { getMockRequests } from '../../protocols/mock/mock-requests.js';
import type { Message } from '../../types/requests.js';

describe('switchboard hooks', () => {
  it('applies the truncate option before the call', async () => {
    const mock = createMockProvider();
    const sb = createSwitchboard({ providers: [mock] });
    const messages: Message[] = [{ role: 'system', content: 'sys' }];
    for (let i = 0; i < 40; i += 1)
      messages.push({ role: i % 2 ? 'assistant' : 'user', content: `${i} ${'word '.repeat(400)}` });
    messages.push({ role: 'user', content: 'last question' });
    const res = await sb.chat({ model: 'mock/mock-text', messages, maxTokens: 500, truncate: true });
    const sent = getMockRequests(mock).at(-1)?.messages ?? [];
    expect(sent.length).toBeLessThan(messages.length);
    expect(sent[0]?.role).toBe('system');
    expect(sent.at(-1)?.content).toBe('last question');
    expect(res.warnings.some((w) => w.startsWith('truncate: dropped'))).toBe(true);
  });

  it('fetches config lazily from the config provider and reports configured()', async () => {
    const get = vi.fn(async () => ({ headers: { 'x-team': 'a' } }));
    const sb = createSwitchboard({ providers: [createMockProvider()], configProvider: { get } });
    expect(get).not.toHaveBeenCalled();
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'hi' }] });
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith('mock');
    expect(await sb.configured('mock')).toBe(true);
  });
});
