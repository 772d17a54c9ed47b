import { describe, expect, it } from 'vitest';
import { parseResponse } from './parse-response.js';
import { checkSyntax, typeScriptLoaded } from './syntax-check.js';

const fence = '```';

describe('parseResponse: code-generation', () => {
  it('checks JSON without loading the TypeScript parser', () => {
    const result = parseResponse(
      `Here is the config:\n${fence}json\n{\n  "a": 1,\n  "b": \n}\n${fence}\nIt sets a and b.`,
      'code-generation',
    );
    expect(typeScriptLoaded()).toBe(false);
    expect(result.explanation).toBe('Here is the config:\nIt sets a and b.');
    expect(result.valid).toBe(false);
    expect(result.blocks[0]).toMatchObject({ language: 'json', valid: false, error: { line: 4 } });
    expect(result.blocks[0]?.error?.message).toMatch(/JSON/);
  });

  it('checks JavaScript and TypeScript with the TypeScript parser (loaded on first use), naming the line', () => {
    const text = [
      'Two files.',
      `${fence}ts`,
      'export function add(a: number, b: number): number {',
      '  return a + b;',
      '}',
      fence,
      `${fence}javascript`,
      'const x = {',
      '  a: 1,',
      '  b: (2',
      '};',
      fence,
      `${fence}js`,
      'const typed: number = 1;',
      fence,
      `${fence}python`,
      'print("not checked")',
      fence,
    ].join('\n');
    const result = parseResponse(text, 'code-generation');
    expect(typeScriptLoaded()).toBe(true);
    expect(result.blocks.map((b) => [b.language, b.valid])).toEqual([
      ['ts', true],
      ['javascript', false],
      ['js', false],
      ['python', undefined],
    ]);
    expect(result.blocks[1]?.error).toMatchObject({ line: 4, message: "')' expected." });
    expect(result.blocks[2]?.error).toMatchObject({ line: 1, message: expect.stringMatching(/TypeScript files/) });
    expect(result.valid).toBe(false);
    expect(result.explanation).toBe('Two files.');
    expect(checkSyntax('const a = <div>{1}</div>;', 'tsx')).toEqual({ valid: true });
  });
});

describe('parseResponse: other presets', () => {
  it('code-explanation: sections with levels, code references, summary', () => {
    const result = parseResponse(
      [
        '# How it works',
        'The `retry` helper calls `sleep` between attempts.',
        '## Details',
        'It doubles the delay:',
        `${fence}ts`,
        'delay *= 2;',
        fence,
        '## Summary',
        'Retries with exponential backoff.',
      ].join('\n'),
      'code-explanation',
    );
    expect(result.sections.map((s) => [s.heading, s.level])).toEqual([
      ['How it works', 1],
      ['Details', 2],
      ['Summary', 2],
    ]);
    expect(result.sections[1]?.content).toContain('It doubles the delay:');
    expect(result.codeReferences).toEqual(['retry', 'sleep', 'delay *= 2;']);
    expect(result.summary).toBe('Retries with exponential backoff.');
    expect(parseResponse('First paragraph here.\n\nMore.', 'code-explanation').summary).toBe('First paragraph here.');
  });

  it('test-generation: test cases with their suites, the framework, syntax checks', () => {
    const result = parseResponse(
      [
        'Tests:',
        `${fence}ts`,
        "import { describe, expect, it } from 'vitest';",
        "describe('add', () => {",
        "  it('adds two numbers', () => expect(add(1, 2)).toBe(3));",
        "  it.skip('handles \\'quotes\\'', () => {});",
        '});',
        fence,
      ].join('\n'),
      'test-generation',
    );
    expect(result.framework).toBe('vitest');
    expect(result.tests).toEqual([
      { name: 'adds two numbers', suite: 'add' },
      { name: "handles \\'quotes\\'", suite: 'add' },
    ]);
    expect(result.valid).toBe(true);
    const python = parseResponse(
      `${fence}python\nimport pytest\n\ndef test_one():\n    assert 1\n\nclass TestMath:\n    def test_two(self):\n        pass\n${fence}`,
      'test-generation',
    );
    expect(python.framework).toBe('pytest');
    expect(python.tests).toEqual([{ name: 'test_one' }, { name: 'test_two', suite: 'TestMath' }]);
  });

  it('documentation and general', () => {
    const doc = parseResponse(
      `Intro\n# Switchboard\nSee [the guide](https://example.com/guide).\n## Usage\n${fence}ts\nsb.chat({})\n${fence}`,
      'documentation',
    );
    expect(doc.title).toBe('Switchboard');
    expect(doc.sections.map((s) => s.heading)).toEqual(['Switchboard', 'Usage']);
    expect(doc.examples[0]).toMatchObject({ language: 'ts', valid: true });
    expect(doc.links).toEqual([{ text: 'the guide', url: 'https://example.com/guide' }]);
    const general = parseResponse('Result: {"ok": true}\n# Notes\nnone', 'general');
    expect(general.json).toEqual({ ok: true });
    expect(general.sections).toEqual([{ heading: 'Notes', level: 1, content: 'none' }]);
  });

  it('names a wrong kind or text', () => {
    expect(() => parseResponse('x', 'code' as never)).toThrow(
      /`kind` must be one of 'code-generation', .*; got "code"/,
    );
    expect(() => parseResponse(undefined as never, 'general')).toThrow('`text` must be a string, got undefined');
  });
});
