import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const coreDir = path.resolve(import.meta.dirname, '../..');
const sourceHooks = path.resolve(coreDir, '../../codegen/src/register-source.ts');

/**
 * Imports `@switchboard/core/yaml` (its TypeScript sources, through codegen's source hooks) in a fresh
 * Node process that records every module it resolves, before and after the first call.
 */
const PROBE = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); resolved.push(result.url); return result; } });
const loaded = (name) => resolved.some((url) => url.includes('/node_modules/' + name + '/'));
const yamlEntry = await import('@switchboard/core/yaml');
const before = { yaml: loaded('yaml'), ajv: loaded('ajv') };
const { diagnostics } = await yamlEntry.checkProviderYaml('id: acme\\n');
console.log(JSON.stringify({ before, after: { yaml: loaded('yaml'), ajv: loaded('ajv') }, problems: diagnostics.length }));
`;

describe('@switchboard/core/yaml loads its parser and validator only when used', () => {
  it('imports without yaml or ajv, and loads both on the first check', () => {
    const output = execFileSync(process.execPath, ['--import', sourceHooks, '--input-type=module', '--eval', PROBE], {
      cwd: coreDir,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      before: { yaml: false, ajv: false },
      after: { yaml: true, ajv: true },
      problems: expect.any(Number),
    });
    expect(JSON.parse(output).problems).toBeGreaterThan(0);
  });
});
