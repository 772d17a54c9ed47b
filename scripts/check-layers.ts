/**
 * Checks the workspace's dependency rules (issue 15) with dependency-cruiser and the rules in
 * `.dependency-cruiser.cjs`: core's layers point one way, no cycles, no deep imports into another
 * package's `src`, apps only through packages' public exports, nothing unresolvable.
 *
 *   ./run node scripts/check-layers.ts            one summary line; exit 1 on any violation
 *   ./run node scripts/check-layers.ts --report   the violations too, grouped by rule
 *
 * Prints `layers: N modules, N dependencies, N violations (N upward, N cycles, N deep imports)`, plus
 * the other rules' counts when they have any. A folder of core that belongs to no layer is counted once
 * per file, not once per import.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = '.dependency-cruiser.cjs';

/** A violation as dependency-cruiser's JSON reporter writes it (the fields this script reads). */
interface Violation {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
  readonly cycle?: ReadonlyArray<{ readonly name: string } | string>;
}

interface CruiseSummary {
  readonly totalCruised: number;
  readonly totalDependenciesCruised: number;
  readonly violations: readonly Violation[];
}

/** Every source and test folder of the workspace that exists: packages, apps, codegen, catalog-tools, test/. */
function cruisedFolders(): string[] {
  const folders: string[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(ROOT, group)).sort()) {
      for (const part of ['src', 'test']) folders.push(`${group}/${name}/${part}`);
    }
  }
  folders.push('codegen/src', 'codegen/test', 'catalog-tools/src', 'catalog-tools/test', 'test');
  return folders.filter((folder) => existsSync(join(ROOT, folder)));
}

function cruise(): CruiseSummary {
  const bin = join(ROOT, 'node_modules/.bin/depcruise');
  // depcruise exits non-zero when a rule is violated; its JSON is on stdout either way.
  let output: string;
  try {
    output = execFileSync(bin, ['--config', CONFIG, '--output-type', 'json', ...cruisedFolders()], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    output = stdout;
  }
  return (JSON.parse(output) as { summary: CruiseSummary }).summary;
}

/** Which count of the summary line a rule feeds. */
function category(ruleName: string): 'upward' | 'cycles' | 'deep imports' | 'unassigned folders' | 'other' {
  if (ruleName === 'layer-unassigned-folder') return 'unassigned folders';
  if (ruleName.startsWith('layer-')) return 'upward';
  if (ruleName === 'no-circular') return 'cycles';
  if (ruleName.startsWith('no-deep-import')) return 'deep imports';
  return 'other';
}

/** One line per violation; a file in an unassigned folder appears once, whatever it imports. */
function distinctViolations(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((violation) => {
    const key =
      violation.rule.name === 'layer-unassigned-folder'
        ? `${violation.rule.name} ${violation.from}`
        : `${violation.rule.name} ${violation.from} ${violation.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(violation: Violation): string {
  if (violation.rule.name === 'layer-unassigned-folder') return violation.from;
  if (violation.cycle?.length) {
    const names = violation.cycle.map((step) => (typeof step === 'string' ? step : step.name));
    return `${violation.from} -> ${names.join(' -> ')}`;
  }
  return `${violation.from} -> ${violation.to}`;
}

function main(): void {
  const report = process.argv.includes('--report');
  const summary = cruise();
  const violations = distinctViolations(summary.violations.filter((violation) => violation.rule.severity === 'error'));
  const counts = { upward: 0, cycles: 0, 'deep imports': 0, 'unassigned folders': 0, other: 0 };
  for (const violation of violations) counts[category(violation.rule.name)] += 1;
  const extra = (['unassigned folders', 'other'] as const)
    .filter((name) => counts[name] > 0)
    .map((name) => `, ${counts[name]} ${name}`)
    .join('');
  console.log(
    `layers: ${summary.totalCruised} modules, ${summary.totalDependenciesCruised} dependencies, ${violations.length} violations ` +
      `(${counts.upward} upward, ${counts.cycles} cycles, ${counts['deep imports']} deep imports${extra})`,
  );
  if (report) {
    const byRule = Map.groupBy(violations, (violation) => violation.rule.name);
    for (const [rule, list] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`\n${rule} (${list.length})`);
      for (const violation of list) console.log(`  ${describe(violation)}`);
    }
  } else if (violations.length > 0) {
    console.log('run with --report to list them by rule');
  }
  process.exitCode = violations.length > 0 ? 1 : 0;
}

main();
