import type { ExportDeclarationStructure } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { ProviderIR } from '../ir.ts';
import { quote } from '../literal.ts';
import type { Output } from '../output.ts';
import { importFrom } from './shared.ts';

function reexport(moduleSpecifier: string, names: string[], typeOnly = false): ExportDeclarationStructure {
  return {
    kind: StructureKind.ExportDeclaration,
    moduleSpecifier,
    isTypeOnly: typeOnly,
    namedExports: [...names].sort(),
  };
}

/** `src/index.ts`: the factory, the default instance and explicit re-exports of the package's data. */
export function buildIndex(provider: ProviderIR): Output {
  const { camel, pascal } = provider.names;
  const name = provider.spec.name;
  const definition = `ProviderDefinition<${quote(provider.id)}, ${pascal}ModelId>`;
  const envNames = provider.spec.auth.env.map((env) => `\`${env}\``).join(', ');
  const keyText =
    provider.spec.auth.type === 'none' || envNames === ''
      ? 'it needs no API key'
      : provider.spec.auth.optional
        ? `an API key is optional and read from ${envNames} when set`
        : `the API key comes from ${envNames}`;
  return {
    kind: 'typescript',
    path: `${provider.names.directory}/src/index.ts`,
    source: provider.sourcePath,
    statements: [
      importFrom('@switchboard/core', ['defineProvider']),
      importFrom('@switchboard/core', ['ProviderDefinition', 'ProviderSettings'], true),
      importFrom('./descriptor.js', [`${camel}Descriptor`]),
      importFrom('./models.js', [`${camel}ModelAliases`, `${camel}Models`]),
      importFrom('./models.js', [`${pascal}ModelId`], true),
      {
        kind: StructureKind.TypeAlias,
        docs: [`Settings for \`create${pascal}\`; anything left out is read from the environment at call time.`],
        isExported: true,
        name: `${pascal}ProviderSettings`,
        type: 'ProviderSettings',
      },
      {
        kind: StructureKind.TypeAlias,
        docs: [
          `${name} as core sees it: catalog data, settings and the model-id union for \`'${provider.id}/<model>'\` references.`,
        ],
        isExported: true,
        name: `${pascal}Provider`,
        type: definition,
      },
      {
        kind: StructureKind.Function,
        docs: [`Configures ${name} (API key, base URL, headers, fetch); pass the result to \`createSwitchboard\`.`],
        isExported: true,
        name: `create${pascal}`,
        parameters: [{ name: 'settings', type: `${pascal}ProviderSettings`, initializer: '{}' }],
        returnType: `${pascal}Provider`,
        statements: [
          `return defineProvider<${quote(provider.id)}, ${pascal}ModelId>(\n{ descriptor: ${camel}Descriptor, models: ${camel}Models, aliases: ${camel}ModelAliases },\nsettings,\n);`,
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        docs: [`${name} with default settings: ${keyText}.`],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [{ name: camel, type: `${pascal}Provider`, initializer: `create${pascal}()` }],
      },
      reexport('./capabilities.js', [`${camel}Capabilities`, `${camel}ModelCapabilities`]),
      reexport('./descriptor.js', [`${camel}Descriptor`]),
      reexport('./models.js', [`${camel}ModelAliases`, `${camel}Models`, `resolve${pascal}ModelId`]),
      reexport('./models.js', [`${pascal}CanonicalModelId`, `${pascal}ModelId`], true),
      reexport('./pricing.js', [`calculate${pascal}Cost`, `${camel}Pricing`]),
    ],
  };
}
