import { it } from 'vitest';
import { syncCatalog, syncReportMarkdown } from '../index.js';

it('smoke', async () => {
  const r = await syncCatalog({
    providersDir: '/tmp/r2cat/providers',
    dirs: ['/work/shared/upstream-catalogs'],
    write: true,
    now: '2026-12-06',
  });
  (await import('node:fs')).writeFileSync('/tmp/r2report.md', syncReportMarkdown(r));
}, 60000);
