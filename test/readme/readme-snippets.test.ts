/**
 * The README's TypeScript examples type-check (issue 9, "How it is measured"): every ```ts block is
 * extracted (`snippets.ts`), compiled with the prelude against the packages' sources with the
 * repository's strict settings, and each compiler error is reported at its README line. An example
 * that stops compiling fails this test, so it cannot silently drift from the API.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PRELUDE, SNIPPET_DIR, writeSnippets } from './snippets.js';

/**
 * README blocks allowed to fail, by number, with the reason. Keep this empty: an entry is a known
 * defect with an owner, not a way to silence the check.
 */
const KNOWN_FAILURES: Readonly<Record<number, string>> = {};

/** Compiles the snippets once; returns the diagnostics per snippet file. */
function compileSnippets(): Map<string, string[]> {
  const configPath = join(SNIPPET_DIR, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  if (program.getSourceFile(PRELUDE) === undefined) throw new Error(`the prelude ${PRELUDE} is not compiled`);
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(no file)';
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
        : 0;
    const list = byFile.get(file) ?? [];
    list.push(`${line}: TS${diagnostic.code} ${message}`);
    byFile.set(file, list);
  }
  return byFile;
}

describe('README.md examples', () => {
  const snippets = writeSnippets();
  const diagnostics = compileSnippets();

  it('has TypeScript examples to check', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
  });

  it('the prelude and the library sources compile cleanly under the snippet settings', () => {
    const outside = [...diagnostics.entries()].filter(([file]) => !file.startsWith(SNIPPET_DIR));
    expect(outside).toEqual([]);
  });

  for (const snippet of snippets) {
    const known = KNOWN_FAILURES[snippet.index];
    it(`block ${snippet.index} (README.md line ${snippet.line}) type-checks${known ? ` [known failure: ${known}]` : ''}`, () => {
      // Snippet file line n is README line snippet.line + n - 2 (one header line was added).
      const errors = (diagnostics.get(snippet.file) ?? []).map((error) => {
        const [line, ...rest] = error.split(': ');
        return `README.md:${snippet.line + Number(line) - 2}: ${rest.join(': ')}`;
      });
      if (known)
        expect(errors.length, 'a known failure that now passes: remove it from KNOWN_FAILURES').toBeGreaterThan(0);
      else expect(errors).toEqual([]);
    });
  }
});
