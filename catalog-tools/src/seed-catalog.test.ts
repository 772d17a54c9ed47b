import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultUpstreamDir } from './default-dir.js';

// The seeding script as maintainers run it: `node catalog-tools/src/seed-catalog.ts <id>` on the sources,
// with no build, from any working directory (here a temporary folder outside the repository).
const script = fileURLToPath(new URL('./seed-catalog.ts', import.meta.url));

function seed(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: tmpdir() }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('seed-catalog.ts', () => {
  it('prints a models: section for one provider from the upstream snapshots, ids from its YAML', async () => {
    if (!defaultUpstreamDir(import.meta.dirname))
      throw new Error('upstream catalogs not found: set SWITCHBOARD_UPSTREAM_DIR');
    const result = await seed(['xai', '--match', '^grok-2$']);
    expect(result.stderr).toMatch(/^seed-catalog: 1 models \(\d+ models\.dev, \d+ LiteLLM records\)\n$/);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      '# Seeded by catalog-tools/src/seed-catalog.ts xai --match ^grok-2$ from models.dev (xai) and LiteLLM (xai); review before committing.',
    );
    const { models } = parse(result.stdout) as { models: { id: string; type: string; source: object }[] };
    expect(models).toEqual([expect.objectContaining({ id: 'grok-2', type: 'chat', source: expect.any(Object) })]);
  });

  it('without a provider id prints its usage with the new path and exits 2', async () => {
    const result = await seed([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'usage: node catalog-tools/src/seed-catalog.ts <provider-id> [--match <regex>] [--exclude <regex>] [--no-litellm-only]\n',
    );
  });
});
