/**
 * axe-core injected into the page under test: the serious and critical violations of the current
 * view, as readable lines (rule, impact, the first offending elements), so a failure says what to fix.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The view's serious and critical accessibility violations (empty when there are none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.addScriptTag({ content: AXE_SOURCE });
  const { violations, passes } = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document): Promise<{ violations: unknown[]; passes: unknown[] }> } }
    ).axe;
    const results = await axe.run(document);
    return { violations: results.violations, passes: results.passes.length };
  })) as { violations: AxeViolation[]; passes: number };
  // A run that checked nothing would pass any page: make sure axe really looked.
  if (passes === 0) throw new Error('axe-core ran no check on the page');
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}
