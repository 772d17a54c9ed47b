import { describe, expect, it } from 'vitest';
import { compileGlob, globToRegExp } from './glob.js';

describe('globs', () => {
  it('match like the regular expression they stand for', () => {
    const texts = ['openai/gpt-4o', 'openai/gpt-4o-mini', 'google/gemini-2.0-flash-preview', 'a', '', 'aa', 'mini'];
    for (const glob of ['openai/*', '*-preview', '*mini*', '*', 'a*a', '*o*o*', 'gpt-?o', 'openai/gpt-4o', '**']) {
      const fast = compileGlob(glob);
      const regexp = globToRegExp(glob);
      for (const text of texts) expect(fast(text), `${glob} on ${text}`).toBe(regexp.test(text));
    }
  });
});
