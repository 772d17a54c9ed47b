import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractCodeBlocks } from './code-blocks.js';
import { extractJson } from './extract-json.js';
import { parseMarkdownSections } from './markdown-sections.js';

describe('extractCodeBlocks', () => {
  it('finds fenced blocks with languages, nested fences and unclosed blocks', () => {
    const text = [
      'Here:',
      '```TypeScript title="a.ts"',
      'const a = 1;',
      '```',
      'and',
      '~~~',
      'plain',
      '~~~',
      '````md',
      '```js',
      'inner()',
      '```',
      '````',
      '```python',
      'print("cut off")',
    ].join('\n');
    expect(extractCodeBlocks(text)).toEqual([
      { language: 'typescript', code: 'const a = 1;', meta: 'title="a.ts"' },
      { language: '', code: 'plain' },
      { language: 'md', code: '```js\ninner()\n```' },
      { language: 'python', code: 'print("cut off")' },
    ]);
    expect(extractCodeBlocks('no code `inline` here')).toEqual([]);
  });
});

describe('parseMarkdownSections', () => {
  it('returns sections in order and as a tree, ignoring # inside code', () => {
    const doc = parseMarkdownSections(
      [
        'Intro text',
        '# Plan',
        'overview',
        '## Step 1',
        'do a',
        '```sh',
        '# not a heading',
        '```',
        '## Step 2 ##',
        'do b',
        '# Risks',
        'none',
      ].join('\n'),
    );
    expect(doc.preamble).toBe('Intro text');
    expect(doc.sections.map((s) => [s.heading, s.level])).toEqual([
      ['Plan', 1],
      ['Step 1', 2],
      ['Step 2', 2],
      ['Risks', 1],
    ]);
    expect(doc.sections[1]?.content).toBe('do a\n```sh\n# not a heading\n```');
    expect(doc.tree.map((s) => s.heading)).toEqual(['Plan', 'Risks']);
    expect(doc.tree[0]?.children.map((s) => s.heading)).toEqual(['Step 1', 'Step 2']);
    expect(doc.tree[0]?.content).toBe('overview');
  });
});

describe('extractJson', () => {
  it('prefers a json fence, then other fences, then prose', () => {
    expect(extractJson('Sure!\n```json\n{"a": 1}\n```\nAlso {"b": 2}')).toEqual({ a: 1 });
    expect(extractJson('```\n[1, 2]\n```')).toEqual([1, 2]);
    expect(extractJson('The result is {"name": "x", "tags": ["a}", "b"]} as requested.')).toEqual({
      name: 'x',
      tags: ['a}', 'b'],
    });
    expect(extractJson('Braces {like this} then [1,2,3]')).toEqual([1, 2, 3]);
    expect(extractJson('nothing here')).toBeUndefined();
  });

  it('validates with a zod schema and types the result', () => {
    const schema = z.object({ city: z.string(), temp: z.number() });
    const text = 'First {"city": "Oslo"} then {"city": "Rome", "temp": 21}';
    const value = extractJson(text, { schema });
    expect(value).toEqual({ city: 'Rome', temp: 21 });
    expect(() => extractJson('{"city": 1}', { schema, required: true })).toThrow(/did not match the schema/);
    expect(() => extractJson('just words', { required: true })).toThrow(/No JSON object or array found/);
  });
});
