/**
 * Issue 9 item 4: a typo in a model reference is a type error where the types can say it, and
 * nothing the types cannot judge is refused (see packages/core/src/composition/model-ref-check.ts).
 * Compiles `model-ref-fixture.mts` against the sources and compares the lines with errors to the
 * lines marked `// error`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY } from '../readme/snippets.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'model-ref-fixture.mts');

function diagnosticsByLine(): Map<number, string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPOSITORY, 'test', 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error('cannot read test/tsconfig.json');
  const source = (path: string) => [join(REPOSITORY, path)];
  const program = ts.createProgram([FIXTURE], {
    ...parsed.options,
    paths: {
      '@switchboard/core': source('packages/core/src/index.ts'),
      '@switchboard/provider-*': source('packages/provider-*/src/index.ts'),
    },
  });
  const byLine = new Map<number, string>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.file?.fileName !== FIXTURE || diagnostic.start === undefined)
      throw new Error(`unexpected error: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    byLine.set(line, ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }
  return byLine;
}

describe('model references checked by the types', () => {
  const errors = diagnosticsByLine();
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  const marked = lines.flatMap((line, index) => (line.endsWith('// error') ? [index + 1] : []));

  it('refuses exactly the misspelled references of closed providers', () => {
    expect(marked).toHaveLength(3);
    expect([...errors.keys()].sort((a, b) => a - b)).toEqual(marked);
  });

  it("names the references the provider has, with TypeScript's closest suggestion", () => {
    const typo = errors.get(marked[0] as number) ?? '';
    expect(typo).toContain('"openai/gpt-4oo"');
    expect(typo).toContain('"openai/gpt-4o"');
    expect(typo).not.toContain('anthropic/');
  });
});
