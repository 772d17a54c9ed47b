/**
 * The TypeScript examples of the package READMEs (what npm shows for each package) type-check against
 * the packages' sources with the repository's strict settings, each error reported at its README line.
 * Unlike the root README's examples they assume nothing: every block carries its own imports.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractSnippets, REPOSITORY } from '../readme/snippets.ts';

const SNIPPET_DIR = join(REPOSITORY, 'test/packaging/.readme-snippets');
const READMES = [
  'packages/core/README.md',
  'packages/redis/README.md',
  'packages/testing/README.md',
  'apps/gateway/README.md',
  'packages/provider-openai/README.md',
  'packages/provider-anthropic/README.md',
];

/** Writes every block of every README (and a tsconfig resolving `@switchboard/*` to sources). */
function writeSnippets(): { readme: string; line: number; file: string }[] {
  rmSync(SNIPPET_DIR, { recursive: true, force: true });
  mkdirSync(SNIPPET_DIR, { recursive: true });
  const fromSnippets = (path: string) => relative(SNIPPET_DIR, join(REPOSITORY, path));
  const tsconfig = {
    extends: fromSnippets('test/tsconfig.json'),
    compilerOptions: {
      rootDir: fromSnippets('.'),
      noEmit: true,
      paths: {
        '@switchboard/core': [fromSnippets('packages/core/src/index.ts')],
        '@switchboard/redis': [fromSnippets('packages/redis/src/index.ts')],
        '@switchboard/testing': [fromSnippets('packages/testing/src/index.ts')],
        '@switchboard/gateway': [fromSnippets('apps/gateway/src/index.ts')],
        '@switchboard/provider-*': [fromSnippets('packages/provider-*/src/index.ts')],
      },
    },
    include: ['*.ts'],
  };
  writeFileSync(join(SNIPPET_DIR, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return READMES.flatMap((readme) =>
    extractSnippets(readFileSync(join(REPOSITORY, readme), 'utf8')).map((snippet) => {
      const file = join(SNIPPET_DIR, `${readme.replace(/[/.]/g, '-')}-${snippet.index}.ts`);
      writeFileSync(file, `// ${readme} line ${snippet.line}\n${snippet.code}\nexport {};\n`);
      return { readme, line: snippet.line, file };
    }),
  );
}

/** Compiler errors by snippet file, as `<line>: TS<code> <message>`. */
function compile(): Map<string, string[]> {
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
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(no file)';
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
        : 0;
    const list = byFile.get(file) ?? [];
    list.push(`${line}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    byFile.set(file, list);
  }
  return byFile;
}

describe('package README examples', () => {
  const snippets = writeSnippets();
  const diagnostics = compile();

  it('every README listed has TypeScript examples', () => {
    for (const readme of READMES)
      expect(
        snippets.some((snippet) => snippet.readme === readme),
        readme,
      ).toBe(true);
  });

  for (const snippet of snippets) {
    it(`${snippet.readme} line ${snippet.line} type-checks`, () => {
      // Snippet file line n is README line snippet.line + n - 2 (one header line was added).
      const errors = (diagnostics.get(snippet.file) ?? []).map((error) => {
        const [line, ...rest] = error.split(': ');
        return `${snippet.readme}:${snippet.line + Number(line) - 2}: ${rest.join(': ')}`;
      });
      expect(errors).toEqual([]);
    });
  }
});
