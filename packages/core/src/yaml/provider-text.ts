import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ProviderSpec } from '../types/catalog.js';
import type { CapabilityTable } from './capability-table.js';
import { normalizeCapabilities } from './capability-table.js';
import type { Diagnostic } from './diagnostics.js';
import { compareDiagnostics } from './diagnostics.js';
import { checkProvider } from './semantic.js';
import { parseYaml } from './source.js';
import { validateAgainstSchema } from './validate.js';

/** Compiled schema and the capability table, shared by every provider file of one run. */
export interface CatalogContext {
  capabilities: CapabilityTable;
  validateProvider: ValidateFunction;
}

/**
 * Parses, normalizes, validates and checks one provider file's text: the one validator behind codegen,
 * `providerFromYaml` and `switchboard provider check`, so all three report the same `file:line:col`
 * problems. Returns the spec only when the file has no problem at all.
 */
export function loadProviderText(
  text: string,
  displayPath: string,
  context: CatalogContext,
  expectedId?: string,
): { spec?: ProviderSpec; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYaml(text, displayPath);
  if (diagnostics.length > 0) return { diagnostics };
  const capabilityDiagnostics = normalizeCapabilities(source, context.capabilities);
  const data = source.document.toJS() as ProviderSpec;
  const schemaDiagnostics = validateAgainstSchema(context.validateProvider, dedupeCapabilities(data), source);
  // An unknown capability is reported once, with its suggestion, not again as a schema enum error.
  const reported = new Set(capabilityDiagnostics.map((diagnostic) => diagnostic.path));
  const problems = [
    ...capabilityDiagnostics,
    ...schemaDiagnostics.filter((diagnostic) => !reported.has(diagnostic.path)),
  ];
  if (problems.length > 0) return { diagnostics: problems.sort(compareDiagnostics) };
  const semanticDiagnostics = checkProvider(data, source, expectedId);
  if (semanticDiagnostics.length > 0) return { diagnostics: semanticDiagnostics.sort(compareDiagnostics) };
  return { spec: data, diagnostics: [] };
}

/** Sorts and de-duplicates capability lists (two aliases of one capability collapse). */
function dedupeCapabilities(data: ProviderSpec): ProviderSpec {
  const clean = (list: unknown): unknown =>
    Array.isArray(list) && list.every((item) => typeof item === 'string') ? [...new Set(list)].sort() : list;
  if (data && typeof data === 'object') {
    data.capabilities = clean(data.capabilities) as string[];
    if (Array.isArray(data.models)) {
      for (const model of data.models) {
        if (model && typeof model === 'object') model.capabilities = clean(model.capabilities) as string[];
      }
    }
  }
  return data;
}
