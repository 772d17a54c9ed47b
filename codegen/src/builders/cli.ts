import { StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { CatalogIR, ProviderIR } from '../ir.ts';
import type { Output } from '../output.ts';
import { jsonText } from '../output.ts';
import { importFrom } from './shared.ts';

const CLI_PACKAGE_JSON = 'apps/cli/package.json';

/** `apps/cli/src/generated/providers.ts`: every generated provider's default instance. */
export function buildCliProviders(providers: readonly ProviderIR[]): Output {
  return {
    kind: 'typescript',
    path: 'apps/cli/src/generated/providers.ts',
    source: 'catalog/providers/*.yaml',
    statements: [
      importFrom('@switchboard/core', ['ProviderDefinition'], true),
      ...providers.map((provider) => importFrom(provider.names.packageName, [provider.names.camel])),
      {
        kind: StructureKind.VariableStatement,
        docs: ['Every provider in the catalog with default settings, for commands that query the whole catalog.'],
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'allProviders',
            type: 'readonly ProviderDefinition[]',
            initializer: printList(providers.map((provider) => provider.names.camel)),
          },
        ],
      },
    ],
  };
}

function printList(names: string[]): string {
  const inline = `[${names.join(', ')}]`;
  return inline.length <= 80 ? inline : `[\n${names.map((name) => `  ${name},`).join('\n')}\n]`;
}

/**
 * `apps/cli/package.json` with its `@switchboard/provider-*` dependencies in step with the catalog.
 * Only the `dependencies` block is rewritten; every other byte of the hand-owned file is kept.
 */
export function buildCliPackageJson(catalog: CatalogIR): Output {
  const wanted = catalog.providers.map((provider) => provider.names.packageName);
  if (catalog.cliPackageJson === undefined) {
    const minimal = {
      name: '@switchboard/cli',
      version: '0.1.0',
      private: true,
      type: 'module',
      bin: { switchboard: './dist/bin.js' },
      dependencies: Object.fromEntries(['@switchboard/core', ...wanted].map((name) => [name, 'workspace:^'])),
    };
    return { kind: 'text', path: CLI_PACKAGE_JSON, text: jsonText(minimal) };
  }
  return { kind: 'text', path: CLI_PACKAGE_JSON, text: syncDependencies(catalog.cliPackageJson, wanted) };
}

/** Rewrites the top-level `dependencies` object of a package.json text, keeping everything else. */
export function syncDependencies(text: string, providerPackages: readonly string[]): string {
  const parsed = JSON.parse(text) as { dependencies?: Record<string, string> };
  const kept = Object.entries(parsed.dependencies ?? {}).filter(([name]) => !name.startsWith('@switchboard/provider-'));
  const entries = [...kept, ...providerPackages.map((name): [string, string] => [name, 'workspace:^'])].sort(
    ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
  );
  const block = findTopLevelKey(text, 'dependencies');
  if (block === undefined) {
    const close = text.lastIndexOf('}');
    const before = text.slice(0, close).replace(/\s*$/, '');
    return `${before},\n  "dependencies": ${printDependencies(entries, '  ')}\n${text.slice(close)}`;
  }
  const lineStart = text.lastIndexOf('\n', block.keyStart) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, block.keyStart))?.[0] ?? '  ';
  return `${text.slice(0, block.valueStart)}${printDependencies(entries, indent)}${text.slice(block.valueEnd)}`;
}

function printDependencies(entries: [string, string][], indent: string): string {
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([name, range]) => `${indent}  ${JSON.stringify(name)}: ${JSON.stringify(range)}`).join(',\n')}\n${indent}}`;
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
