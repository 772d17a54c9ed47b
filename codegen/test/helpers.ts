import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatDiagnostic } from '../src/diagnostics.ts';
import type { CatalogContext } from '../src/load.ts';
import { loadContext, loadProviderText } from '../src/load.ts';

/** The repository root. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** The real catalog. */
export const catalogDir = path.join(repoRoot, 'catalog');
/** The fake provider that uses every catalog feature. */
export const kitchenSinkFile = path.join(catalogDir, 'testing/kitchen-sink.yaml');
/** Golden copies of the kitchen sink's generated output. */
export const goldenDir = path.join(repoRoot, 'codegen/test/golden');

/** A fresh empty directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `switchboard-codegen-${prefix}-`));
}

let context: CatalogContext | undefined;

/** Every diagnostic of a provider YAML text, formatted, as if it were `catalog/providers/<file>`. */
export function problemsOf(text: string, file = 'acme.yaml'): string[] {
  context ??= loadContext(catalogDir);
  const result = loadProviderText(text, `catalog/providers/${file}`, context, path.basename(file, '.yaml'));
  return result.diagnostics.map(formatDiagnostic);
}
