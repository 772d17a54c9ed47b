/**
 * The public surface of every published workspace package, as data: for each entry point in a
 * package's `exports` (core's ".", "./yaml", "./yaml/validator", each provider's ".", testing's
 * subpaths, ...), every exported name, whether it is a value or only a type, and a printed form of its
 * type. `public-exports.test.ts` compares it with the committed `public-exports.snapshot.json`, so a
 * refactoring that removes, renames or retypes an export fails (issue 15: "nothing changes for users").
 *
 *   ./run node test/packaging/public-exports.ts --write              regenerate the snapshot from this tree
 *   ./run node test/packaging/public-exports.ts --write --root DIR   ... from another checkout (e.g. a commit)
 *
 * How: one TypeScript program over the entry files' sources (resolved through the `@switchboard/source`
 * export condition, as the tests do; no build needed). Values print as the checker's `typeToString` of
 * their declared type (classes also list their constructor and non-private members); types and interfaces print as
 * their declaration text without comments. Every `import("...")` path is removed from the printed form,
 * so moving a declaration to another file is not a change; changing it is.
 *
 * Core's "./upstream" is left out on purpose: issue 15 moves the maintainers' upstream-catalog tooling to
 * the private @switchboard/catalog-tools package, so that export leaves by design.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Entry points that leave on purpose (not a user-facing change); see the header. */
export const LEFT_OUT: Readonly<Record<string, readonly string[]>> = { '@switchboard/core': ['./upstream'] };

export const SNAPSHOT_PATH = fileURLToPath(new URL('public-exports.snapshot.json', import.meta.url));
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One exported name: a value (maybe also a type, like a class or an enum) or a type only. */
export interface ExportedName {
  readonly kind: 'value' | 'type';
  readonly type: string;
}

/** package name -> entry (export subpath) -> exported name -> its kind and printed type. */
export type PublicSurface = Record<string, Record<string, Record<string, ExportedName>>>;

interface Entry {
  readonly packageName: string;
  readonly subpath: string;
  readonly file: string;
}

/** Every TypeScript entry point in the exports of packages/*: the file its `@switchboard/source` condition names. */
function entryPoints(root: string): Entry[] {
  const entries: Entry[] = [];
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', folder, 'package.json');
    let manifest: { name: string; private?: boolean; exports?: Record<string, unknown> };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private) continue;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (LEFT_OUT[manifest.name]?.includes(subpath)) continue;
      const source =
        typeof target === 'object' && target !== null
          ? (target as Record<string, unknown>)['@switchboard/source']
          : undefined;
      if (typeof source !== 'string' || !source.endsWith('.ts')) continue;
      entries.push({ packageName: manifest.name, subpath, file: resolve(root, 'packages', folder, source) });
    }
  }
  return entries;
}

function createProgram(root: string, files: readonly string[]): ts.Program {
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
  if (base.error) throw new Error(ts.flattenDiagnosticMessageText(base.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, root);
  return ts.createProgram(files, {
    ...options,
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    allowImportingTsExtensions: true,
    customConditions: ['@switchboard/source'],
  });
}

/** Removes `import("...").` qualifiers and collapses whitespace: a printed type that does not depend on file layout. */
export function normalise(text: string): string {
  return text
    .replace(/typeof import\("[^"]*"\)/g, 'typeof import(module)')
    .replace(/import\("[^"]*"\)\./g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
const printer = ts.createPrinter({ removeComments: true });

function printDeclarations(symbol: ts.Symbol): string {
  return (symbol.declarations ?? [])
    .map((declaration) => printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile()))
    .join('\n');
}

function isOutside(declaration: ts.Declaration): boolean {
  return /[\\/]node_modules[\\/]/.test(declaration.getSourceFile().fileName);
}

function isPrivate(declaration: ts.Declaration): boolean {
  return (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Private) !== 0;
}

/** A class prints as its constructor signatures, its static side and its instance members, each with its type. */
function printClass(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): string {
  const staticSide = checker.getTypeOfSymbolAtLocation(symbol, at);
  const instance = checker.getDeclaredTypeOfSymbol(symbol);
  const members = (type: ts.Type) =>
    checker
      .getPropertiesOfType(type)
      .filter((property) => !property.getName().startsWith('#') && property.getName() !== 'prototype')
      // Members inherited from the platform (Error's stack, captureStackTrace, ...) belong to TypeScript's
      // lib and @types/node, not to our surface: an upgrade of those must not read as a change here.
      .filter((property) => !(property.declarations ?? []).every((declaration) => isOutside(declaration)))
      // Private members are not reachable by users: adding or changing one is not a public change.
      .filter((property) => !(property.declarations ?? []).some((declaration) => isPrivate(declaration)))
      .map(
        (property) =>
          `${property.getName()}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(property, at), at, FORMAT)}`,
      )
      .sort();
  const constructors = staticSide
    .getConstructSignatures()
    .map((signature) => `new ${checker.signatureToString(signature, at, FORMAT)}`);
  const bases = checker
    .getBaseTypes(instance as ts.InterfaceType)
    .map((base) => checker.typeToString(base, at, FORMAT));
  return [
    `class${bases.length ? ` extends ${bases.join(', ')}` : ''}`,
    ...constructors,
    ...members(staticSide).map((member) => `static ${member}`),
    ...members(instance),
  ].join('; ');
}

function describeExport(checker: ts.TypeChecker, exported: ts.Symbol, at: ts.SourceFile): ExportedName {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  if (symbol.flags & ts.SymbolFlags.Class) return { kind: 'value', type: normalise(printClass(checker, symbol, at)) };
  if (symbol.flags & ts.SymbolFlags.Enum) return { kind: 'value', type: normalise(printDeclarations(symbol)) };
  if (symbol.flags & ts.SymbolFlags.Value) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, at);
    return { kind: 'value', type: normalise(checker.typeToString(type, at, FORMAT)) };
  }
  return { kind: 'type', type: normalise(printDeclarations(symbol)) };
}

/** The public surface of the packages under `root` (this repository by default). */
export function collectPublicExports(root = REPOSITORY_ROOT): PublicSurface {
  const entries = entryPoints(root);
  const program = createProgram(
    root,
    entries.map((entry) => entry.file),
  );
  const checker = program.getTypeChecker();
  const surface: PublicSurface = {};
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(entry.file);
    if (!sourceFile) throw new Error(`${entry.packageName} "${entry.subpath}": ${entry.file} is missing`);
    const moduleSymbol = checker.getSymbolAtLocation(sourceFile);
    const names: Record<string, ExportedName> = {};
    for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      names[exported.getName()] = describeExport(checker, exported, sourceFile);
    }
    const sorted = Object.fromEntries(Object.entries(names).sort(([a], [b]) => a.localeCompare(b)));
    surface[entry.packageName] ??= {};
    (surface[entry.packageName] as Record<string, Record<string, ExportedName>>)[entry.subpath] = sorted;
  }
  return surface;
}

/** What the snapshot file holds: a header for the reader, then the surface. */
export interface Snapshot {
  readonly '//': readonly string[];
  readonly packages: PublicSurface;
}

export function readSnapshot(): Snapshot {
  return JSON.parse(readFileSync(SNAPSHOT_PATH, 'utf8')) as Snapshot;
}

const HEADER = [
  'The public exports of every published workspace package (issue 15): name, value or type, printed type.',
  'Compared by test/packaging/public-exports.test.ts; regenerate ONLY for an intended public change:',
  '  ./run node test/packaging/public-exports.ts --write',
  'Left out on purpose: @switchboard/core "./upstream" (the upstream-catalog tooling moves to the private',
  '@switchboard/catalog-tools package by the design of issue 15, so that export leaves).',
];

function main(): void {
  const args = process.argv.slice(2);
  const rootIndex = args.indexOf('--root');
  const root = rootIndex >= 0 && args[rootIndex + 1] ? resolve(args[rootIndex + 1] as string) : REPOSITORY_ROOT;
  const surface = collectPublicExports(root);
  const counts = Object.entries(surface).map(
    ([name, entries]) => `${name} ${Object.values(entries).reduce((sum, names) => sum + Object.keys(names).length, 0)}`,
  );
  if (args.includes('--write')) {
    const snapshot: Snapshot = { '//': HEADER, packages: surface };
    writeFileSync(SNAPSHOT_PATH, `${JSON.stringify(snapshot, null, 2)}\n`);
    console.log(`wrote ${SNAPSHOT_PATH}: ${counts.join(', ')}`);
  } else {
    console.log(JSON.stringify(surface, null, 2));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
