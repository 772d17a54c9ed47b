import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { CapabilityTable } from '../capabilities.ts';
import { quote } from '../literal.ts';
import type { Output } from '../output.ts';

/** `packages/core/src/generated/capabilities.ts`: canonical names, the alias table and descriptions. */
export function buildCoreCapabilities(table: CapabilityTable): Output {
  const names = table.definitions.map((definition) => quote(definition.name));
  const aliasLines = [...table.aliases.entries()].map(([alias, name]) => `  ${quote(alias)}: ${quote(name)},`);
  const descriptionLines = table.definitions.map(
    (definition) => `  ${quote(definition.name)}: ${JSON.stringify(definition.description)},`,
  );
  return {
    kind: 'typescript',
    path: 'packages/core/src/generated/capabilities.ts',
    source: 'catalog/capabilities.yaml',
    statements: [
      {
        kind: StructureKind.VariableStatement,
        docs: ['Every canonical capability name, sorted.'],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: 'CANONICAL_CAPABILITIES', initializer: `[${names.join(', ')}] as const` }],
      },
      {
        kind: StructureKind.TypeAlias,
        docs: ['A canonical capability name.'],
        isExported: true,
        name: 'CanonicalCapability',
        type: '(typeof CANONICAL_CAPABILITIES)[number]',
      },
      {
        kind: StructureKind.VariableStatement,
        docs: [
          'Normalized alias (lower case, `_` and spaces as `-`) -> canonical name. Canonical names map to themselves.',
        ],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'CAPABILITY_ALIASES',
            type: 'Readonly<Record<string, CanonicalCapability>>',
            initializer: `{\n${aliasLines.join('\n')}\n}`,
          },
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        docs: ['What each capability means.'],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'CAPABILITY_DESCRIPTIONS',
            type: 'Readonly<Record<CanonicalCapability, string>>',
            initializer: `{\n${descriptionLines.join('\n')}\n}`,
          },
        ],
      },
    ],
  };
}
