/**
 * Syntax checks of generated code, by well-kept parsers only: `JSON.parse` for JSON, the TypeScript
 * compiler's parser for JavaScript, TypeScript, JSX and TSX. `typescript` is an optional peer
 * dependency loaded on the first check of a JavaScript or TypeScript block (it is large; most
 * programs never check code). Languages no parser here covers are reported as unchecked.
 */
import type * as TypeScript from 'typescript';

/** Where and why a block does not parse (line and column are 1-based). */
export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
}

/** The outcome of a check: `valid` is undefined when no parser covers the language. */
export interface SyntaxCheck {
  valid: boolean | undefined;
  error?: SyntaxProblem;
}

const SCRIPT_LANGUAGES: Readonly<Record<string, string>> = {
  js: 'block.js',
  javascript: 'block.js',
  mjs: 'block.mjs',
  cjs: 'block.cjs',
  jsx: 'block.jsx',
  ts: 'block.ts',
  typescript: 'block.ts',
  mts: 'block.mts',
  cts: 'block.cts',
  tsx: 'block.tsx',
};

const JSON_LANGUAGES = new Set(['json', 'jsonc', 'json5']);

/** Languages a parser covers (code blocks in other languages get `valid: undefined`). */
export const CHECKED_LANGUAGES: readonly string[] = [...JSON_LANGUAGES, ...Object.keys(SCRIPT_LANGUAGES)];

let typescript: typeof TypeScript | undefined;

/** Loads the TypeScript compiler on first use (an optional peer: `npm install typescript`). */
function loadTypeScript(): typeof TypeScript | undefined {
  if (typescript === undefined) {
    const nodeModule = (
      globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined
    )?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
    if (nodeModule === undefined) return undefined;
    try {
      typescript = nodeModule.createRequire(import.meta.url)('typescript') as typeof TypeScript;
    } catch {
      return undefined;
    }
  }
  return typescript;
}

/** Line and column (1-based) of a character offset. */
function position(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function checkJson(code: string, language: string): SyntaxCheck {
  // jsonc and json5 allow comments and trailing commas; only plain JSON is checked strictly.
  if (language !== 'json') return { valid: undefined };
  try {
    JSON.parse(code);
    return { valid: true };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at === null ? position(code, code.length) : position(code, Number(at[1]));
    return { valid: false, error: { message: message.replace(/\s*\(line \d+ column \d+\)/, ''), ...where } };
  }
}

function checkScript(code: string, fileName: string): SyntaxCheck {
  const ts = loadTypeScript();
  if (ts === undefined) return { valid: undefined };
  const output = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.Latest, jsx: ts.JsxEmit.Preserve, allowJs: true },
  });
  const first = (output.diagnostics ?? []).find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (first === undefined) return { valid: true };
  return {
    valid: false,
    error: {
      message: ts.flattenDiagnosticMessageText(first.messageText, '\n'),
      ...position(code, first.start ?? code.length),
    },
  };
}

/**
 * Checks that `code` parses as `language` (a code fence's language, case-insensitive). Returns
 * `valid: undefined` for languages no parser covers, or when `typescript` is not installed.
 */
export function checkSyntax(code: string, language: string): SyntaxCheck {
  const lower = language.toLowerCase();
  if (JSON_LANGUAGES.has(lower)) return checkJson(code, lower);
  const fileName = SCRIPT_LANGUAGES[lower];
  if (fileName !== undefined) return checkScript(code, fileName);
  return { valid: undefined };
}

/** Whether the TypeScript compiler has been loaded (tests check it is loaded only when used). */
export function typeScriptLoaded(): boolean {
  return typescript !== undefined;
}
