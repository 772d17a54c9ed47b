import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { CatalogIR, ProviderIR } from '../ir.ts';
import { propertyKey, quote } from '../literal.ts';
import type { Output } from '../output.ts';
import { jsonText } from '../output.ts';
import { importFrom } from './shared.ts';

const CLI_PACKAGE_JSON = 'apps/cli/package.json';

/**
 * Providers the CLI always installs: the offline mock provider, which `demo` falls back to and
 * `chat --offline` asks for. Every other provider package is an optional peer the user installs.
 */
export const CLI_BUNDLED_PROVIDERS: ReadonlySet<string> = new Set(['mock']);

/**
 * `apps/cli/src/generated/providers.ts`: how to load each provider's runtime package. The imports are
 * dynamic, so the CLI starts (and its catalog commands run, from `@switchboard/catalog`) with any
 * provider package absent; `chat` and `models --live` load only the one they use.
 */
export function buildCliProviders(providers: readonly ProviderIR[]): Output {
  const entries = providers.map(
    (provider) =>
      `  ${propertyKey(provider.id)}: {\n    packageName: ${quote(provider.names.packageName)},\n` +
      `    load: async () => (await import(${quote(provider.names.packageName)})).${provider.names.camel},\n  },`,
  );
  return {
    kind: 'typescript',
    path: 'apps/cli/src/generated/providers.ts',
    source: 'catalog/providers/*.yaml',
    statements: [
      importFrom('@switchboard/core', ['ProviderDefinition'], true),
      {
        kind: StructureKind.Interface,
        docs: [
          "A provider's runtime package: its npm name (for the install hint) and a loader of its default instance.",
        ],
        isExported: true,
        name: 'ProviderPackage',
        properties: [
          { name: 'packageName', type: 'string', isReadonly: true },
          { name: 'load', type: '() => Promise<ProviderDefinition>', isReadonly: true },
        ],
      },
      {
        kind: StructureKind.VariableStatement,
        docs: ["Every catalog provider's runtime package by provider id, loaded only when a command needs it."],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'providerPackages',
            type: 'Readonly<Record<string, ProviderPackage>>',
            initializer: `{\n${entries.join('\n')}\n}`,
          },
        ],
      },
    ],
  };
}

/**
 * `apps/cli/package.json` with its provider packages in step with the catalog: the bundled ones (the
 * mock) and `@switchboard/catalog` as dependencies, every other provider as an optional peer (installed
 * in the workspace as a dev dependency). Only these blocks are rewritten; every other byte of the
 * hand-owned file is kept.
 */
export function buildCliPackageJson(catalog: CatalogIR): Output {
  const wanted = catalog.providers.map((provider) => provider.names.packageName);
  const bundled = catalog.providers
    .filter((provider) => CLI_BUNDLED_PROVIDERS.has(provider.id))
    .map((provider) => provider.names.packageName);
  const optional = wanted.filter((name) => !bundled.includes(name));
  const text =
    catalog.cliPackageJson ??
    jsonText({
      name: '@switchboard/cli',
      version: '0.1.0',
      private: true,
      type: 'module',
      bin: { switchboard: './dist/bin.js' },
      dependencies: { '@switchboard/core': 'workspace:^' },
    });
  return { kind: 'text', path: CLI_PACKAGE_JSON, text: syncProviderDependencies(text, { bundled, optional }) };
}

/** Rewrites the provider entries of a package.json text's dependency blocks, keeping everything else. */
export function syncProviderDependencies(
  text: string,
  packages: { bundled: readonly string[]; optional: readonly string[] },
): string {
  const isProvider = (name: string): boolean => name.startsWith('@switchboard/provider-');
  const workspace = (names: readonly string[]): [string, unknown][] => names.map((name) => [name, 'workspace:^']);
  let out = syncBlock(text, 'dependencies', (current) => [
    ...current.filter(([name]) => !isProvider(name) && name !== '@switchboard/catalog'),
    ['@switchboard/catalog', 'workspace:^'],
    ...workspace(packages.bundled),
  ]);
  out = syncBlock(out, 'peerDependencies', (current) => [
    ...current.filter(([name]) => !isProvider(name)),
    ...workspace(packages.optional),
  ]);
  out = syncBlock(out, 'peerDependenciesMeta', (current) => [
    ...current.filter(([name]) => !isProvider(name)),
    ...packages.optional.map((name): [string, unknown] => [name, { optional: true }]),
  ]);
  return syncBlock(out, 'devDependencies', (current) => [
    ...current.filter(([name]) => !isProvider(name)),
    ...workspace(packages.optional),
  ]);
}

/** Replaces (or appends) one top-level object of a package.json text; entries sorted by name. */
function syncBlock(text: string, key: string, update: (current: [string, unknown][]) => [string, unknown][]): string {
  const parsed = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
  const entries = update(Object.entries(parsed[key] ?? {})).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const block = findTopLevelKey(text, key);
  if (block === undefined) {
    if (entries.length === 0) return text;
    const close = text.lastIndexOf('}');
    const before = text.slice(0, close).replace(/\s*$/, '');
    return `${before},\n  ${JSON.stringify(key)}: ${printBlock(entries, '  ')}\n${text.slice(close)}`;
  }
  const lineStart = text.lastIndexOf('\n', block.keyStart) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, block.keyStart))?.[0] ?? '  ';
  return `${text.slice(0, block.valueStart)}${printBlock(entries, indent)}${text.slice(block.valueEnd)}`;
}

function printBlock(entries: [string, unknown][], indent: string): string {
  if (entries.length === 0) return '{}';
  const value = (item: unknown): string => JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}  `);
  return `{\n${entries.map(([name, item]) => `${indent}  ${JSON.stringify(name)}: ${value(item)}`).join(',\n')}\n${indent}}`;
}

/** Offsets of a key of the root object and of its value, scanning JSON text without reformatting it. */
function findTopLevelKey(
  text: string,
  key: string,
): { keyStart: number; valueStart: number; valueEnd: number } | undefined {
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = endOfString(text, index);
      if (depth === 1 && text.slice(index, end) === JSON.stringify(key)) {
        let cursor = end;
        while (/\s/.test(text[cursor] ?? '')) cursor++;
        if (text[cursor] === ':') {
          cursor++;
          while (/\s/.test(text[cursor] ?? '')) cursor++;
          return { keyStart: index, valueStart: cursor, valueEnd: endOfValue(text, cursor) };
        }
      }
      index = end;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    if (char === '}' || char === ']') depth--;
    index++;
  }
  return undefined;
}

function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index + 1;
}

function endOfValue(text: string, start: number): number {
  let depth = 0;
  let index = start;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index = endOfString(text, index);
      if (depth === 0) return index;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
    if (depth === 0 && (char === ',' || char === '\n')) return index;
    index++;
  }
  return index;
}
