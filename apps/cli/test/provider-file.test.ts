import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/spawn-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-provider-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switchboard provider init', () => {
  it('writes a commented template whose modeline points editors at the published schema', async () => {
    const result = await runCli(['provider', 'init', 'acme.yaml'], { cwd: dir, installed: [] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote acme.yaml');
    const text = readFileSync(join(dir, 'acme.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://unpkg.com/@switchboard/core/schema/provider.schema.json',
    );
    expect(text).toMatch(/^id: example\s+#/m);
  });

  it('refuses to overwrite a file unless --force', async () => {
    const again = await runCli(['provider', 'init', 'acme.yaml'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('acme.yaml already exists; pass --force');
    expect((await runCli(['provider', 'init', 'acme.yaml', '--force'], { cwd: dir })).code).toBe(0);
  });

  it('- writes the template to stdout', async () => {
    const result = await runCli(['provider', 'init', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, 'acme.yaml'), 'utf8'));
  });
});

describe('switchboard provider check', () => {
  it('accepts the template as written', async () => {
    const result = await runCli(['provider', 'check', 'acme.yaml'], { cwd: dir, installed: [] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /acme\.yaml: valid provider 'example' \(Example AI, openai-chat\) with \d+ models?\./,
    );
  });

  it('reports each problem at its file:line:col and exits 1', async () => {
    const text = readFileSync(join(dir, 'acme.yaml'), 'utf8')
      .replace(/^ {2}type: bearer\b/m, '  type: bearr')
      .replace(/^defaultModel: .*$/m, 'defaultModel: no-such-model');
    writeFileSync(join(dir, 'broken.yaml'), text);
    const lineOf = (pattern: RegExp) => text.split('\n').findIndex((line) => pattern.test(line)) + 1;
    const result = await runCli(['provider', 'check', 'broken.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `broken.yaml:${lineOf(/^ {2}type: bearr/)}:9: auth.type: must be one of: bearer, header, query, aws-sigv4, none`,
    );
    expect(result.stderr).toContain('1 problem in broken.yaml.');
  });

  it('--json lists the problems for scripts', async () => {
    const result = await runCli(['provider', 'check', 'broken.yaml', '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { valid: boolean; problems: { path: string }[] };
    expect(report.valid).toBe(false);
    expect(report.problems.map((problem) => problem.path)).toEqual(['auth.type']);
  });

  it('a missing file is one clear line', async () => {
    const result = await runCli(['provider', 'check', 'nope.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: nope.yaml: no such file.\n');
  });
});
