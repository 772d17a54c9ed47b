import type { ImportDeclarationStructure, VariableStatementStructure } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from 'ts-morph';

/** `import { a, b } from 'module'` (or `import type`), names sorted. */
export function importFrom(moduleSpecifier: string, names: string[], typeOnly = false): ImportDeclarationStructure {
  return {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier,
    isTypeOnly: typeOnly,
    namedImports: [...names].sort(),
  };
}

/** `export const name: type = initializer;` with its TSDoc. */
export function exportedConst(
  name: string,
  doc: string,
  initializer: string,
  type?: string,
): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    docs: [doc],
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [type === undefined ? { name, initializer } : { name, type, initializer }],
  };
}

/** A union of already printed type members, one member per line when long; `never` when empty. */
export function union(quoted: string[]): string {
  if (quoted.length === 0) return 'never';
  const inline = quoted.join(' | ');
  return inline.length <= 80 ? inline : `\n${quoted.map((member) => `  | ${member}`).join('\n')}`;
}
