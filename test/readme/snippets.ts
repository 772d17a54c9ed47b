/**
 * Extracts the TypeScript examples of README.md into files a compiler can check, so an example that
 * no longer type-checks fails CI instead of misleading the next reader (issue 9, "How it is
 * measured"). Each ```ts block becomes `.snippets/snippet-<n>.ts` (git-ignored, rewritten on every
 * run), made a module so its top-level names do not collide with the next block's, and compiled
 * together with `prelude.mts`, which declares what the README assumes the reader already has.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPOSITORY = join(here, '..', '..');
export const SNIPPET_DIR = join(here, '.snippets');
export const PRELUDE = join(here, 'prelude.mts');

/** One ```ts block of the README: where it starts (1-based line of its first code line) and its code. */
export interface Snippet {
  index: number;
  line: number;
  code: string;
}

/** Every ```ts (or ```typescript) fenced block of a markdown text, in order. */
export function extractSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  let open: { line: number; body: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (open === undefined) {
      if (/^```(ts|typescript)\s*$/.test(line)) open = { line: i + 2, body: [] };
    } else if (/^```\s*$/.test(line)) {
      snippets.push({ index: snippets.length + 1, line: open.line, code: open.body.join('\n') });
      open = undefined;
    } else open.body.push(line);
  }
  return snippets;
}

/**
 * The compiler settings of the snippet check: the repository's test settings, with every
 * `@switchboard/*` package resolved to its sources (the README imports packages test/ does not
 * depend on, and no build is needed).
 */
function tsconfig(): object {
  const fromSnippets = (path: string) => relative(SNIPPET_DIR, join(REPOSITORY, path));
  return {
    extends: fromSnippets('test/tsconfig.json'),
    compilerOptions: {
      rootDir: fromSnippets('.'),
      noEmit: true,
      paths: {
        '@switchboard/core': [fromSnippets('packages/core/src/index.ts')],
        '@switchboard/redis': [fromSnippets('packages/redis/src/index.ts')],
        '@switchboard/testing': [fromSnippets('packages/testing/src/index.ts')],
        '@switchboard/testing/*': [fromSnippets('packages/testing/src/*.ts')],
        '@switchboard/provider-*': [fromSnippets('packages/provider-*/src/index.ts')],
      },
    },
    files: [fromSnippets('test/readme/prelude.mts')],
    include: ['*.ts'],
  };
}

/**
 * Writes every snippet of README.md (plus a tsconfig) into {@link SNIPPET_DIR}, replacing what was
 * there; returns the snippets and their file paths.
 */
export function writeSnippets(readme = join(REPOSITORY, 'README.md')): (Snippet & { file: string })[] {
  rmSync(SNIPPET_DIR, { recursive: true, force: true });
  mkdirSync(SNIPPET_DIR, { recursive: true });
  writeFileSync(join(SNIPPET_DIR, 'tsconfig.json'), `${JSON.stringify(tsconfig(), null, 2)}\n`);
  return extractSnippets(readFileSync(readme, 'utf8')).map((snippet) => {
    const file = join(SNIPPET_DIR, `snippet-${snippet.index}.ts`);
    // `export {}` makes the block a module: its `const sb` shadows the prelude's instead of clashing.
    writeFileSync(file, `// README.md line ${snippet.line}\n${snippet.code}\nexport {};\n`);
    return { ...snippet, file };
  });
}
