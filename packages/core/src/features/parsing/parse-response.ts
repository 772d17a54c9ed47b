/**
 * Response parsing presets (Aiex's response parser): one call turns a model's markdown answer into
 * the structure a task expects. `code-generation` gives the code blocks (each syntax-checked where a
 * well-kept parser covers its language, see `syntax-check.ts`) and the explanation around them;
 * `code-explanation` the sections, the code they refer to and a summary; `test-generation` the test
 * blocks, the test cases they define and the framework; `documentation` the title, sections and
 * examples; `general` a bit of everything, with any JSON found.
 */
import { InvalidRequestError } from '../../errors/errors.js';
import { type CodeBlock, locateCodeBlocks } from './code-blocks.js';
import { extractJson } from './extract-json.js';
import { type MarkdownSection, parseMarkdownSections } from './markdown-sections.js';
import { checkSyntax, type SyntaxProblem } from './syntax-check.js';

/** The presets. */
export type ResponseKind = 'code-generation' | 'code-explanation' | 'test-generation' | 'documentation' | 'general';

/** A code block with its syntax check. */
export interface CheckedCodeBlock extends CodeBlock {
  /** Whether the code parses; undefined when no parser covers the language. */
  valid: boolean | undefined;
  /** The first parse error, with its line within the block. */
  error?: SyntaxProblem;
}

/** A markdown section, flat (level says where it sits). */
export interface ParsedSection {
  heading: string;
  level: number;
  content: string;
}

export interface CodeGenerationResult {
  kind: 'code-generation';
  blocks: CheckedCodeBlock[];
  /** The text outside the code blocks. */
  explanation: string;
  /** True when every block a parser covers parses. */
  valid: boolean;
}

export interface CodeExplanationResult {
  kind: 'code-explanation';
  sections: ParsedSection[];
  /** Inline code spans (`name`) and fenced blocks the explanation refers to, first mention first. */
  codeReferences: string[];
  blocks: CodeBlock[];
  /** A `Summary` / `TL;DR` / `Overview` / `Conclusion` section, else the first paragraph. */
  summary: string;
}

export interface TestCase {
  name: string;
  /** The enclosing `describe` / class, when there is one. */
  suite?: string;
}

export interface TestGenerationResult {
  kind: 'test-generation';
  blocks: CheckedCodeBlock[];
  tests: TestCase[];
  framework: 'vitest' | 'jest' | 'mocha' | 'node:test' | 'pytest' | 'unittest' | 'go' | 'rust' | 'unknown';
  explanation: string;
  valid: boolean;
}

export interface DocumentationResult {
  kind: 'documentation';
  /** The first level-1 heading (else the first heading). */
  title: string | undefined;
  sections: ParsedSection[];
  examples: CheckedCodeBlock[];
  /** Markdown links `[text](url)`. */
  links: { text: string; url: string }[];
}

export interface GeneralResult {
  kind: 'general';
  text: string;
  blocks: CodeBlock[];
  sections: ParsedSection[];
  /** The first JSON object or array in the text, when there is one. */
  json: unknown;
}

export type ParsedResponse<K extends ResponseKind> = {
  'code-generation': CodeGenerationResult;
  'code-explanation': CodeExplanationResult;
  'test-generation': TestGenerationResult;
  documentation: DocumentationResult;
  general: GeneralResult;
}[K];

const KINDS: readonly ResponseKind[] = [
  'code-generation',
  'code-explanation',
  'test-generation',
  'documentation',
  'general',
];

function checkedBlocks(blocks: readonly CodeBlock[]): CheckedCodeBlock[] {
  return blocks.map((block) => {
    const check = checkSyntax(block.code, block.language);
    const checked: CheckedCodeBlock = { ...block, valid: check.valid };
    if (check.error !== undefined) checked.error = check.error;
    return checked;
  });
}

/** The text outside fenced blocks, blank runs collapsed. */
function prose(text: string): string {
  const lines = text.split(/\r?\n/);
  const blocks = locateCodeBlocks(text);
  const inside = new Set<number>();
  for (const block of blocks) for (let i = block.openLine; i <= block.closeLine; i += 1) inside.add(i);
  return lines
    .filter((_, index) => !inside.has(index))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function flatSections(sections: readonly MarkdownSection[]): ParsedSection[] {
  return sections.map(({ heading, level, content }) => ({ heading, level, content }));
}

const SUMMARY_HEADING = /^(summary|tl;?dr|overview|conclusion|in short)\b/i;

function firstParagraph(text: string): string {
  return (prose(text).split(/\n[ \t]*\n/)[0] ?? '').trim();
}

function inlineCode(text: string): string[] {
  const found: string[] = [];
  for (const match of prose(text).matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) {
    const code = (match[2] as string).trim();
    if (code !== '' && !found.includes(code)) found.push(code);
  }
  return found;
}

const TEST_CALL = /\b(describe|suite|it|test)(?:\.(?:only|skip|each\([^)]*\)))?\s*\(\s*(['"`])((?:\\.|(?!\2).)*)\2/g;

function testCases(blocks: readonly CodeBlock[]): TestCase[] {
  const tests: TestCase[] = [];
  for (const block of blocks) {
    let suite: string | undefined;
    for (const match of block.code.matchAll(TEST_CALL)) {
      if (match[1] === 'describe' || match[1] === 'suite') suite = match[3];
      else tests.push(suite === undefined ? { name: match[3] as string } : { name: match[3] as string, suite });
    }
    let pythonClass: string | undefined;
    for (const line of block.code.split('\n')) {
      const cls = /^class\s+(\w+)/.exec(line);
      if (cls !== null) pythonClass = cls[1];
      const def = /^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(/.exec(line);
      if (def !== null) {
        const inClass = (def[1] as string).length > 0 ? pythonClass : undefined;
        tests.push(inClass === undefined ? { name: def[2] as string } : { name: def[2] as string, suite: inClass });
      }
      const go = /^func\s+(Test\w+)\s*\(/.exec(line);
      if (go !== null) tests.push({ name: go[1] as string });
    }
    for (const match of block.code.matchAll(/#\[(?:tokio::)?test\]\s*(?:async\s+)?fn\s+(\w+)/g))
      tests.push({ name: match[1] as string });
  }
  return tests;
}

function framework(blocks: readonly CodeBlock[]): TestGenerationResult['framework'] {
  const code = blocks.map((block) => block.code).join('\n');
  if (/from\s+['"]vitest['"]/.test(code)) return 'vitest';
  if (/from\s+['"]node:test['"]|require\(['"]node:test['"]\)/.test(code)) return 'node:test';
  if (/@jest\/globals|\bjest\.(fn|mock|spyOn)\b/.test(code)) return 'jest';
  if (/from\s+['"](chai|mocha)['"]|require\(['"](chai|mocha)['"]\)/.test(code)) return 'mocha';
  if (/import\s+unittest|unittest\.TestCase/.test(code)) return 'unittest';
  if (/import\s+pytest|^\s*def\s+test_/m.test(code)) return 'pytest';
  if (/"testing"|\*testing\.T\b/.test(code)) return 'go';
  if (/#\[(tokio::)?test\]/.test(code)) return 'rust';
  if (/\b(describe|it|test)\s*\(/.test(code)) return 'jest';
  return 'unknown';
}

const allValid = (blocks: readonly CheckedCodeBlock[]): boolean => blocks.every((block) => block.valid !== false);

/**
 * Parses a model's answer with a preset. Throws an InvalidRequestError naming `kind` when it is not
 * one of the presets, and one naming `text` when the text is not a string.
 */
export function parseResponse<K extends ResponseKind>(text: string, kind: K): ParsedResponse<K> {
  if (typeof text !== 'string')
    throw new InvalidRequestError(`parseResponse: \`text\` must be a string, got ${typeof text}`, {
      retryable: false,
    });
  if (!KINDS.includes(kind))
    throw new InvalidRequestError(
      `parseResponse: \`kind\` must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}; got ${JSON.stringify(kind)}`,
      { retryable: false },
    );
  const raw = locateCodeBlocks(text).map(({ openLine: _open, closeLine: _close, ...block }) => block);
  switch (kind) {
    case 'code-generation': {
      const blocks = checkedBlocks(raw);
      return { kind, blocks, explanation: prose(text), valid: allValid(blocks) } as ParsedResponse<K>;
    }
    case 'code-explanation': {
      const document = parseMarkdownSections(text);
      const summarySection = document.sections.find((section) => SUMMARY_HEADING.test(section.heading));
      const references = [...inlineCode(text), ...raw.map((block) => block.code)];
      return {
        kind,
        sections: flatSections(document.sections),
        codeReferences: references,
        blocks: raw,
        summary:
          summarySection?.content ??
          (document.preamble === ''
            ? firstParagraph(document.sections[0]?.content ?? '')
            : firstParagraph(document.preamble)),
      } as ParsedResponse<K>;
    }
    case 'test-generation': {
      const blocks = checkedBlocks(raw);
      return {
        kind,
        blocks,
        tests: testCases(raw),
        framework: framework(raw),
        explanation: prose(text),
        valid: allValid(blocks),
      } as ParsedResponse<K>;
    }
    case 'documentation': {
      const document = parseMarkdownSections(text);
      const title = (document.sections.find((section) => section.level === 1) ?? document.sections[0])?.heading;
      const links = [...prose(text).matchAll(/(?<!!)\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => ({
        text: match[1] as string,
        url: match[2] as string,
      }));
      return {
        kind,
        title,
        sections: flatSections(document.sections),
        examples: checkedBlocks(raw),
        links,
      } as ParsedResponse<K>;
    }
    default:
      return {
        kind: 'general',
        text: text.trim(),
        blocks: raw,
        sections: flatSections(parseMarkdownSections(text).sections),
        json: extractJson(text),
      } as ParsedResponse<K>;
  }
}
