import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCoreSchema } from './builders/core-schema.ts';
import { buildAll } from './generate.ts';
import { catalogIR } from './ir.ts';
import { loadCatalog } from './load.ts';
import { render } from './write.ts';

export interface RunOptions {
  /** Catalog directory to read. */
  catalogDir: string;
  /** Repository root the generated paths are relative to. */
  outDir: string;
  /** Only this provider's package. */
  only?: string;
  /** Provider files to load instead of `<catalog>/providers/*.yaml`. */
  providerFiles?: string[];
}

/** What a run found or changed, as paths relative to the output root. */
export interface RunReport {
  written: string[];
  stale: string[];
  missing: string[];
  extra: string[];
  unchanged: number;
}

/** Directories and files inside generated directories that belong to tools, not to the generator. */
const IGNORED = new Set(['node_modules', 'dist', '.turbo', 'coverage']);

/** Generates every output in memory, as path -> text. Throws CatalogError on invalid catalogs. */
export function generateFiles(options: RunOptions): Map<string, string> {
  const catalog = loadCatalog(
    options.providerFiles === undefined
      ? { catalogDir: options.catalogDir }
      : { catalogDir: options.catalogDir, providerFiles: options.providerFiles },
  );
  const cliPackagePath = path.join(options.outDir, 'apps/cli/package.json');
  const cliPackageJson = existsSync(cliPackagePath) ? readFileSync(cliPackagePath, 'utf8') : undefined;
  const outputs = buildAll(catalogIR(catalog, cliPackageJson), options.only);
  return render(options.only === undefined ? [...outputs, ...buildCoreSchema(options.catalogDir)] : outputs);
}

/** Files currently inside the generator's directories, relative to the output root. */
export function ownedFiles(outDir: string, only?: string): string[] {
  const roots: string[] = [];
  if (only !== undefined) {
    roots.push(`packages/provider-${only}`);
  } else {
    const packages = path.join(outDir, 'packages');
    if (existsSync(packages)) {
      for (const entry of readdirSync(packages, { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name.startsWith('provider-')) roots.push(`packages/${entry.name}`);
      }
    }
    roots.push('packages/core/src/generated', 'packages/core/schema', 'apps/cli/src/generated', 'packages/catalog');
  }
  const found: string[] = [];
  const walk = (relative: string): void => {
    const absolute = path.join(outDir, relative);
    if (!existsSync(absolute)) return;
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (IGNORED.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  roots.forEach(walk);
  return found.sort();
}

/** Compares generated files with the output root; with `write`, brings the root in step. */
export function run(options: RunOptions, write: boolean): RunReport {
  const files = generateFiles(options);
  const report: RunReport = { written: [], stale: [], missing: [], extra: [], unchanged: 0 };
  for (const [relative, text] of files) {
    const absolute = path.join(options.outDir, relative);
    const current = existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
    if (current === text) {
      report.unchanged++;
      continue;
    }
    (current === undefined ? report.missing : report.stale).push(relative);
    if (write) {
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(absolute, text);
      report.written.push(relative);
    }
  }
  for (const relative of ownedFiles(options.outDir, options.only)) {
    if (files.has(relative)) continue;
    report.extra.push(relative);
    if (write) rmSync(path.join(options.outDir, relative));
  }
  return report;
}
