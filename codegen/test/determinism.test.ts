import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFiles, run } from '../src/run.ts';
import { catalogDir, kitchenSinkFile, tempDir } from './helpers.ts';

describe('determinism', () => {
  it('two runs produce identical output', () => {
    const options = { catalogDir, outDir: tempDir('determinism'), providerFiles: [kitchenSinkFile] };
    const first = generateFiles(options);
    const second = generateFiles(options);
    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  it('a second write changes nothing, and check mode names stale, missing and extra files', () => {
    const outDir = tempDir('check');
    const options = { catalogDir, outDir, providerFiles: [kitchenSinkFile] };
    const first = run(options, true);
    expect(first.written.length).toBeGreaterThan(0);
    const second = run(options, true);
    expect(second.written).toEqual([]);
    expect(second.extra).toEqual([]);

    const models = path.join(outDir, 'packages/provider-kitchen-sink/src/models.ts');
    writeFileSync(models, `${readFileSync(models, 'utf8')}// edited by hand\n`);
    writeFileSync(path.join(outDir, 'packages/provider-kitchen-sink/src/extra.ts'), 'export {};\n');
    const readme = path.join(outDir, 'packages/provider-kitchen-sink/README.md');
    writeFileSync(readme, '');
    const check = run(options, false);
    expect(check.stale).toEqual([
      'packages/provider-kitchen-sink/README.md',
      'packages/provider-kitchen-sink/src/models.ts',
    ]);
    expect(check.extra).toEqual(['packages/provider-kitchen-sink/src/extra.ts']);
    expect(check.written).toEqual([]);

    const repaired = run(options, true);
    expect(repaired.written).toHaveLength(2);
    expect(run(options, false)).toMatchObject({ stale: [], missing: [], extra: [] });
  });
});
