import { StructureKind } from 'ts-morph';
import type { ProviderIR } from '../ir.ts';
import { printLiteral, quote } from '../literal.ts';
import type { Output } from '../output.ts';
import { exportedConst, importFrom, union } from './shared.ts';

/** `src/models.ts`: model id unions, the model list and the alias table. */
export function buildModels(provider: ProviderIR): Output {
  const { camel, pascal } = provider.names;
  const name = provider.spec.name;
  const aliasNames = provider.aliases.map(([alias]) => alias);
  const aliasRecord = Object.fromEntries(provider.aliases);
  return {
    kind: 'typescript',
    path: `${provider.names.directory}/src/models.ts`,
    source: provider.sourcePath,
    statements: [
      importFrom('@switchboard/core', ['ModelInfo'], true),
      {
        kind: StructureKind.TypeAlias,
        docs: [`Every model id ${name}'s catalog lists, aliases excluded.`],
        isExported: true,
        name: `${pascal}CanonicalModelId`,
        type: union(provider.modelIds.map(quote)),
      },
      {
        kind: StructureKind.TypeAlias,
        docs: [`A model id or alias ${name} accepts: what \`'${provider.id}/<model>'\` references may name.`],
        isExported: true,
        name: `${pascal}ModelId`,
        type: union([`${pascal}CanonicalModelId`, ...aliasNames.map(quote)]),
      },
      exportedConst(
        `${camel}Models`,
        `${name}'s models with limits, modalities, capabilities and pricing, in catalog order.`,
        printLiteral(provider.models),
        'readonly ModelInfo[]',
      ),
      exportedConst(
        `${camel}ModelAliases`,
        `Alias -> model id, for names ${name} accepts besides the canonical ids (dated snapshots, \`-latest\`).`,
        printLiteral(aliasRecord, { quoteTopLevelKeys: true }),
        `Readonly<Record<string, ${pascal}CanonicalModelId>>`,
      ),
      {
        kind: StructureKind.Function,
        docs: [`The canonical id a ${name} model id or alias stands for, so lookups need one key per model.`],
        isExported: true,
        name: `resolve${pascal}ModelId`,
        parameters: [{ name: 'model', type: `${pascal}ModelId` }],
        returnType: `${pascal}CanonicalModelId`,
        statements: [`return ${camel}ModelAliases[model] ?? (model as ${pascal}CanonicalModelId);`],
      },
    ],
  };
}
