import type { ProviderIR } from '../ir.ts';
import type { Output } from '../output.ts';
import { jsonText } from '../output.ts';
import { protocolDependencies } from '../protocol-dependencies.ts';
import { licenseFile, NODE_ENGINES, prepackScript, publishMetadata } from './package-metadata.ts';

/**
 * `package.json`, `tsconfig.json`, `tsconfig.build.json` and `LICENSE` of a provider package, shaped
 * like core's and ready to publish (repository, engines, a build before pack).
 */
export function buildPackageFiles(provider: ProviderIR): Output[] {
  const { directory, packageName } = provider.names;
  const packageJson = {
    name: packageName,
    version: '0.1.0',
    description: `${provider.spec.name} for Switchboard: models, capabilities and pricing generated from ${provider.sourcePath}.`,
    ...publishMetadata(directory, [
      'switchboard',
      'llm',
      'ai',
      provider.id,
      ...(provider.spec.local ? ['local-llm'] : []),
    ]),
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
    files: ['dist', 'src'],
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      prepack: prepackScript(packageName),
    },
    dependencies: { '@switchboard/core': 'workspace:^', ...protocolDependencies(provider.spec.protocol) },
  };
  const tsconfig = {
    extends: '../../tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'dist' },
    include: ['src'],
  };
  return [
    { kind: 'text', path: `${directory}/package.json`, text: jsonText(packageJson) },
    { kind: 'text', path: `${directory}/tsconfig.json`, text: jsonText(tsconfig) },
    { kind: 'text', path: `${directory}/tsconfig.build.json`, text: jsonText({ extends: './tsconfig.json' }) },
    licenseFile(directory),
  ];
}
