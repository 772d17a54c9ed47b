import { StructureKind } from 'ts-morph';
import type { ProviderIR } from '../ir.ts';
import { printLiteral, quote } from '../literal.ts';
import type { Output } from '../output.ts';
import { jsonText } from '../output.ts';
import { licenseFile, NODE_ENGINES, prepackScript, publishMetadata } from './package-metadata.ts';
import { exportedConst, importFrom } from './shared.ts';

const DIRECTORY = 'packages/catalog';
const SOURCE = 'catalog/providers/*.yaml';

/**
 * `@switchboard/catalog`: every provider's catalog facts (descriptor, models, aliases) as plain data,
 * so the CLI's catalog commands cover the whole catalog without installing sixteen runtime packages.
 * The data module is imported lazily (`loadCatalogProviders`), so `switchboard --help` never parses it.
 */
export function buildCatalogPackage(providers: readonly ProviderIR[]): Output[] {
  return [...buildCatalogPackageFiles(), buildCatalogIndex(providers), buildCatalogData(providers)];
}

function buildCatalogPackageFiles(): Output[] {
  const packageJson = {
    name: '@switchboard/catalog',
    version: '0.1.0',
    description:
      "Every Switchboard provider's catalog facts (endpoints, auth, models, limits, capabilities, prices) as data, generated from catalog/providers/*.yaml.",
    ...publishMetadata(DIRECTORY, ['switchboard', 'llm', 'model-catalog', 'pricing']),
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: NODE_ENGINES },
    exports: {
      '.': {
        '@switchboard/source': './src/index.ts',
        types: './dist/index.d.ts',
        default: './dist/index.js',
      },
      './package.json': './package.json',
    },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    // Source maps would point at src/, which is not shipped.
    files: ['dist', '!dist/**/*.map'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      prepack: prepackScript('@switchboard/catalog'),
    },
    dependencies: { '@switchboard/core': 'workspace:^' },
  };
  const tsconfig = {
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist' },
    include: ['src'],
  };
  const readme = [
    '# @switchboard/catalog',
    '',
    "Every Switchboard provider's catalog facts as data: endpoints, auth, models, limits, capabilities and",
    'prices, generated from `catalog/providers/*.yaml`. The `switchboard` CLI reads it so its catalog',
    'commands (`providers`, `models`, `model`, `recommend`, `compare`, `cost`) cover every provider without',
    "installing the providers' runtime packages.",
    '',
    '```ts',
    "import { createCatalog } from '@switchboard/core';",
    "import { loadCatalogProviders } from '@switchboard/catalog';",
    '',
    'const catalog = createCatalog(await loadCatalogProviders());',
    "console.log(catalog.recommendModels({ features: ['tools'], limit: 3 }));",
    '```',
    '',
    'To call a provider, install its package (`@switchboard/provider-<id>`, listed in `catalogProviderPackages`).',
    '',
  ].join('\n');
  return [
    { kind: 'text', path: `${DIRECTORY}/package.json`, text: jsonText(packageJson) },
    { kind: 'text', path: `${DIRECTORY}/tsconfig.json`, text: jsonText(tsconfig) },
    {
      kind: 'text',
      path: `${DIRECTORY}/tsconfig.build.json`,
      // The package ships dist only: no maps pointing at sources it does not ship.
      text: jsonText({ extends: './tsconfig.json', compilerOptions: { sourceMap: false, declarationMap: false } }),
    },
    { kind: 'text', path: `${DIRECTORY}/README.md`, text: readme },
    licenseFile(DIRECTORY),
  ];
}

function buildCatalogIndex(providers: readonly ProviderIR[]): Output {
  const packages = Object.fromEntries(providers.map((provider) => [provider.id, provider.names.packageName]));
  return {
    kind: 'typescript',
    path: `${DIRECTORY}/src/index.ts`,
    source: SOURCE,
    statements: [
      importFrom('@switchboard/core', ['CatalogProviderInput'], true),
      exportedConst(
        'catalogProviderPackages',
        'Provider id -> the npm package that calls it, for "install @switchboard/provider-<id>" hints.',
        printLiteral(packages, { quoteTopLevelKeys: true }),
        'Readonly<Record<string, string>>',
      ),
      {
        kind: StructureKind.Function,
        docs: [
          'Every provider of the catalog as data for `createCatalog`, loaded on first call (the data module is large).',
        ],
        isExported: true,
        isAsync: true,
        name: 'loadCatalogProviders',
        returnType: 'Promise<readonly CatalogProviderInput[]>',
        statements: [`return (await import(${quote('./providers.js')})).catalogProviders;`],
      },
    ],
  };
}

function buildCatalogData(providers: readonly ProviderIR[]): Output {
  const data = providers.map((provider) => ({
    descriptor: provider.descriptor,
    models: provider.models,
    aliases: Object.fromEntries(provider.aliases),
  }));
  return {
    kind: 'typescript',
    path: `${DIRECTORY}/src/providers.ts`,
    source: SOURCE,
    statements: [
      importFrom('@switchboard/core', ['CatalogProviderInput'], true),
      exportedConst(
        'catalogProviders',
        "Every provider's descriptor, models and aliases, sorted by id: the same data its generated package holds.",
        printLiteral(data),
        'readonly CatalogProviderInput[]',
      ),
    ],
  };
}
