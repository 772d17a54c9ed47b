import { describe, expect, it } from 'vitest';
import { countTokens, encodingForModel, estimateTextTokens, estimateTokens } from './tokens.js';

// OpenAI cookbook "How to count tokens with tiktoken": these messages are 129 prompt tokens for
// gpt-4-0613 (cl100k_base) and 124 for gpt-4o (o200k_base), as the API itself reported.
const cookbookMessages = [
  {
    role: 'system',
    content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  {
    role: 'system',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

describe('encodingForModel', () => {
  it('knows the OpenAI families, wherever they are served', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('o3')).toBe('o200k_base');
    expect(encodingForModel('gpt-5')).toBe('o200k_base');
    expect(encodingForModel('openai/gpt-4.1')).toBe('o200k_base');
    expect(encodingForModel('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingForModel('text-embedding-3-small')).toBe('cl100k_base');
    expect(encodingForModel('claude-sonnet-4-5')).toBeUndefined();
    expect(encodingForModel('omega-1')).toBeUndefined();
  });
});

describe('countTokens', () => {
  it('matches tiktoken reference counts', () => {
    expect(countTokens('hello world', 'gpt-4o')).toEqual({
      tokens: 2,
      exact: true,
      method: 'gpt-tokenizer o200k_base',
      encoding: 'o200k_base',
    });
    expect(countTokens('hello world', 'gpt-4').tokens).toBe(2);
    // "tiktoken is great!" -> [83, 1609, 5963, 374, 2294, 0] in cl100k_base
    expect(countTokens('tiktoken is great!', 'gpt-3.5-turbo').tokens).toBe(6);
  });

  it('frames chat messages the way OpenAI documents', () => {
    expect(countTokens(cookbookMessages, 'gpt-4-0613')).toMatchObject({ tokens: 129, exact: true });
    expect(countTokens(cookbookMessages, 'gpt-4o')).toMatchObject({ tokens: 124, exact: true });
    // 3 (message) + 1 ("user") + 2 ("Hello!") + 3 (reply priming)
    expect(estimateTokens([{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }], 'gpt-4o')).toBe(9);
  });

  it('says when a count is only an estimate', () => {
    const images = countTokens(
      [{ role: 'user', content: [{ type: 'image', image: 'https://x.example/a.png' }] }],
      'gpt-4o',
    );
    expect(images.exact).toBe(false);
    const claude = countTokens('a'.repeat(400), 'claude-sonnet-4-5');
    expect(claude).toMatchObject({ tokens: 100, exact: false });
    expect(claude.method).toMatch(/^estimate/);
  });

  it('estimates about 4 characters per token, one per CJK character', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abcdefgh')).toBe(2);
    expect(estimateTextTokens('abcde')).toBe(2);
    expect(estimateTextTokens('你好世界')).toBe(4);
    expect(estimateTextTokens('こんにちは hello')).toBe(5 + 2);
  });
});
