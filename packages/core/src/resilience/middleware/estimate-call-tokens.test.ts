import { describe, expect, it } from 'vitest';
import { countTokens } from '../../catalog/tokens.js';
import { estimateCallTokens } from './rate-limit.js';

describe('estimateCallTokens (what the rate limiter and budgets reserve before a call)', () => {
  it('counts an OpenAI prompt with the real tokenizer and OpenAI message framing, plus maxTokens', () => {
    // "hello world" is 2 o200k tokens; "user" 1; 3 per message; 3 to prime the reply: 9, plus 10 output.
    const request = {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user' as const, content: 'hello world' }],
      maxTokens: 10,
    };
    expect(countTokens(request.messages, 'gpt-4o')).toMatchObject({ tokens: 9, exact: true });
    expect(estimateCallTokens(request, 'gpt-4o')).toBe(19);
  });

  it('falls back to the documented estimate for models without a tokenizer in core', () => {
    const request = { model: 'anthropic/x', messages: [{ role: 'user' as const, content: 'a'.repeat(400) }] };
    const count = countTokens(request.messages, 'claude-sonnet-4-5');
    expect(count.exact).toBe(false);
    expect(estimateCallTokens(request, 'claude-sonnet-4-5')).toBe(count.tokens);
  });

  it('counts every embedding input with the model tokenizer', () => {
    expect(
      estimateCallTokens(
        { model: 'openai/text-embedding-3-small', input: ['hello world', 'hello'] },
        'text-embedding-3-small',
      ),
    ).toBe(3);
  });
});
