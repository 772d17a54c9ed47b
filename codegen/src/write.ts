import type { CodeBlockWriter } from 'ts-morph';
import { IndentationText, Project, QuoteKind, StructureKind, ts } from 'ts-morph';
import type { Output } from './output.ts';
import { generatedHeader } from './output.ts';

/** Formatting every generated TypeScript file gets; pinned so output never depends on the machine. */
const FORMAT_SETTINGS = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: '\n',
  ensureNewLineAtEndOfFile: true,
  semicolons: ts.SemicolonPreference.Ignore,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBrackets: false,
  trimTrailingWhitespace: true,
} as const;

/**
 * Turns builder outputs into final file texts: TypeScript files get the `@generated` header, are
 * printed by ts-morph from their structures and formatted with pinned settings. Sorted by path.
 */
export function render(outputs: readonly Output[]): Map<string, string> {
  const project = new Project({
    useInMemoryFileSystem: true,
    // Formatting needs no type information: without lib files each format pass stays cheap.
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true, noResolve: true, types: [] },
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: ts.NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  const files = new Map<string, string>();
  for (const output of [...outputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (files.has(output.path)) throw new Error(`two builders emit ${output.path}`);
    if (output.kind === 'text') {
      files.set(output.path, output.text);
      continue;
    }
    const statements = output.statements.flatMap((statement, index) => {
      const previous = output.statements[index - 1];
      const adjacentImports =
        (isImport(previous) && isImport(statement)) || (isExport(previous) && isExport(statement));
      return index === 0 || adjacentImports
        ? [statement]
        : [(writer: CodeBlockWriter) => writer.blankLineIfLastNot(), statement];
    });
    const file = project.createSourceFile(`/${output.path}`, { statements }, { overwrite: true });
    file.formatText(FORMAT_SETTINGS);
    const body = file.getFullText().replace(/^\s+/, '');
    files.set(output.path, `${generatedHeader(output.source)}\n\n${body.endsWith('\n') ? body : `${body}\n`}`);
    project.removeSourceFile(file);
  }
  return files;
}

function isImport(statement: unknown): boolean {
  return (
    typeof statement === 'object' &&
    statement !== null &&
    'kind' in statement &&
    statement.kind === StructureKind.ImportDeclaration
  );
}

function isExport(statement: unknown): boolean {
  return (
    typeof statement === 'object' &&
    statement !== null &&
    'kind' in statement &&
    statement.kind === StructureKind.ExportDeclaration
  );
}
