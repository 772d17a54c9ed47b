import path from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogError, UsageError } from './diagnostics.ts';
import { run } from './run.ts';

/**
 * `pnpm codegen [--catalog <dir>] [--out <repoRoot>] [--only <id>] [--check]`: regenerates provider
 * packages and core's capability table from the catalog, or (with --check) fails when they are stale.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');

function main(): number {
  const { values } = parseArgs({
    options: {
      catalog: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const options = {
    catalogDir: path.resolve(values.catalog ?? path.join(repoRoot, 'catalog')),
    outDir: path.resolve(values.out ?? repoRoot),
    ...(values.only === undefined ? {} : { only: values.only }),
  };
  const check = values.check ?? false;
  const report = run(options, !check);
  if (check) {
    const problems = [
      ...report.stale.map((file) => `stale: ${file}`),
      ...report.missing.map((file) => `missing: ${file}`),
      ...report.extra.map((file) => `extra: ${file}`),
    ];
    if (problems.length > 0) {
      console.error(
        `codegen: generated files are out of date with the catalog:\n  ${problems.join('\n  ')}\nRun \`pnpm codegen\`.`,
      );
      return 1;
    }
    console.log(`codegen: ${report.unchanged} generated files are up to date.`);
    return 0;
  }
  const changed = report.written.length + report.extra.length;
  console.log(
    `codegen: ${report.written.length} written, ${report.extra.length} removed, ${report.unchanged} unchanged.` +
      (changed > 0 ? ' Run `pnpm install` if a provider package was added or removed.' : ''),
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof CatalogError) {
    console.error(`codegen: the catalog has ${error.diagnostics.length} problem(s):\n${error.message}`);
    process.exitCode = 1;
  } else if (
    error instanceof UsageError ||
    (error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
  ) {
    console.error(`codegen: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
