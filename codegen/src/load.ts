import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProviderSpec } from '@switchboard/core';
import type { CapabilityTable, CatalogContext, Diagnostic } from '@switchboard/core/yaml/validator';
import {
  buildCapabilityTable,
  CatalogError,
  compileSchema,
  loadProviderText,
  readYaml,
  validateAgainstSchema,
} from '@switchboard/core/yaml/validator';

export type { CatalogContext } from '@switchboard/core/yaml/validator';
export { loadProviderText } from '@switchboard/core/yaml/validator';

/** A validated provider file. */
export interface LoadedProvider {
  /** The file's data, capabilities normalized to canonical names and de-duplicated. */
  spec: ProviderSpec;
  /** Path as written into generated headers and diagnostics, e.g. `catalog/providers/openai.yaml`. */
  sourcePath: string;
  /** False for `_`-prefixed files: validated, never generated. */
  generate: boolean;
}

/** Everything the generator reads from a catalog directory. */
export interface LoadedCatalog {
  capabilities: CapabilityTable;
  providers: LoadedProvider[];
}

export interface LoadOptions {
  /** The catalog directory (holds `capabilities.yaml`, `schema/`, `providers/`). */
  catalogDir: string;
  /** Provider files to load instead of `providers/*.yaml` (golden tests load the kitchen sink). */
  providerFiles?: string[];
}

/** Path shown for a catalog file: `catalog/<relative>` inside the catalog, else relative to cwd. */
export function displayPathOf(catalogDir: string, file: string): string {
  const relative = path.relative(catalogDir, file);
  const shown =
    relative.startsWith('..') || path.isAbsolute(relative)
      ? path.relative(process.cwd(), file)
      : path.join('catalog', relative);
  return shown.split(path.sep).join('/');
}

/** Loads `capabilities.yaml` and compiles the provider schema. */
export function loadContext(catalogDir: string): CatalogContext {
  const readJson = (name: string): object => JSON.parse(readFileSync(path.join(catalogDir, 'schema', name), 'utf8'));
  const file = path.join(catalogDir, 'capabilities.yaml');
  const { source, diagnostics } = readYaml(file, displayPathOf(catalogDir, file));
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  const data = source.document.toJS() as { capabilities: Record<string, { description: string; aliases?: string[] }> };
  const schemaDiagnostics = validateAgainstSchema(compileSchema(readJson('capabilities.schema.json')), data, source);
  if (schemaDiagnostics.length > 0) throw new CatalogError(schemaDiagnostics);
  const { table, diagnostics: tableDiagnostics } = buildCapabilityTable(data, source);
  if (tableDiagnostics.length > 0) throw new CatalogError(tableDiagnostics);
  return { capabilities: table, validateProvider: compileSchema(readJson('provider.schema.json')) };
}

/** Loads and validates a whole catalog; throws a CatalogError listing every problem in every file. */
export function loadCatalog(options: LoadOptions): LoadedCatalog {
  const context = loadContext(options.catalogDir);
  const providersDir = path.join(options.catalogDir, 'providers');
  const files =
    options.providerFiles ??
    readdirSync(providersDir)
      .filter((name) => name.endsWith('.yaml'))
      .sort()
      .map((name) => path.join(providersDir, name));
  const diagnostics: Diagnostic[] = [];
  const providers: LoadedProvider[] = [];
  for (const file of files) {
    const base = path.basename(file, '.yaml');
    const generate = !base.startsWith('_');
    const sourcePath = displayPathOf(options.catalogDir, file);
    const result = loadProviderText(readFileSync(file, 'utf8'), sourcePath, context, generate ? base : undefined);
    diagnostics.push(...result.diagnostics);
    if (result.spec) providers.push({ spec: result.spec, sourcePath, generate });
  }
  const seen = new Map<string, string>();
  for (const provider of providers.filter((item) => item.generate)) {
    const other = seen.get(provider.spec.id);
    if (other !== undefined) {
      diagnostics.push({
        file: provider.sourcePath,
        line: 1,
        column: 1,
        path: 'id',
        message: `provider id '${provider.spec.id}' is also used by ${other}`,
      });
    }
    seen.set(provider.spec.id, provider.sourcePath);
  }
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  providers.sort((a, b) => (a.spec.id < b.spec.id ? -1 : a.spec.id > b.spec.id ? 1 : 0));
  return { capabilities: context.capabilities, providers };
}
