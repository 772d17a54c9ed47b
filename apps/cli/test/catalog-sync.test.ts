import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultUpstreamDir,
  readProviderYaml,
  resolveModelsDevTree,
  type SyncResult,
} from '@switchboard/catalog-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamServer, type UpstreamServer } from '../../../test/upstream/upstream-server.ts';

// Spawned as users run it, on the built output (`./run test` builds first), from a folder outside the repository.
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const repoCatalog = fileURLToPath(new URL('../../../catalog', import.meta.url));
const frozenProviders = fileURLToPath(new URL('../../../test/upstream/fixtures/providers', import.meta.url));
const shared = defaultUpstreamDir(import.meta.dirname);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, ...args: string[]): Promise<Result> {
  // Without SWITCHBOARD_UPSTREAM_DIR: the command must find its upstream from its arguments alone.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SWITCHBOARD_UPSTREAM_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let server: UpstreamServer;
let work: string;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (./run test does).`);
  if (!shared) throw new Error('upstream catalogs not found: set SWITCHBOARD_UPSTREAM_DIR');
  // What models.dev's api.json would serve after July: the July snapshot with the post-July sample resolved into it.
  const api = JSON.parse(readFileSync(join(shared, 'models.dev', 'api.generated.json'), 'utf8'));
  const later = resolveModelsDevTree(join(shared, 'models.dev-post-2026-07'), [join(shared, 'models.dev')]);
  for (const [provider, { models }] of Object.entries(later.api)) {
    api[provider] ??= { id: provider, models: {} };
    Object.assign(api[provider].models, models);
  }
  server = await startUpstreamServer({
    '/api.json': JSON.stringify(api),
    '/litellm.json': readFileSync(join(shared, 'litellm', 'model_prices_and_context_window.json'), 'utf8'),
  });
  work = mkdtempSync(join(tmpdir(), 'switchboard-cli-sync-'));
});
afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const commentLines = (text: string) => text.split('\n').filter((line) => line.trimStart().startsWith('#'));

/** Every value sync kept or left for review still reads as the YAML had it. */
function expectUntouched(result: SyncResult, providersDir: string): void {
  for (const provider of result.providers) {
    const after = readProviderYaml(readFileSync(provider.file, 'utf8'), provider.file).spec;
    for (const change of provider.changes.filter((c) => c.action !== 'write')) {
      const model = after.models.find((m) => m.id === change.model) as unknown as Record<string, unknown>;
      const value = change.field
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], model);
      if (change.field === 'capabilities') expect(value).toEqual(change.yaml);
      else expect(value, `${provider.provider}/${change.model} ${change.field}`).toBe(change.yaml);
    }
  }
  expect(readdirSync(providersDir).length).toBeGreaterThan(0);
}

describe('switchboard catalog sync against a local models.dev and LiteLLM', () => {
  it('reports new facts with their source, and --write applies only the ones that follow upstream', async () => {
    const providersDir = join(work, 'frozen');
    cpSync(frozenProviders, providersDir, { recursive: true });
    const before = readFileSync(join(providersDir, 'deepseek.yaml'), 'utf8');
    const urls = ['--from-models-dev', `${server.url}/api.json`, '--from-litellm', `${server.url}/litellm.json`];

    const dry = await cli(work, 'catalog', 'sync', '--catalog', providersDir, ...urls, '--json');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout) as SyncResult;
    expect(report.upstream).toEqual([`${server.url}/api.json`, `${server.url}/litellm.json`]);
    const deepseek = report.providers.find((p) => p.provider === 'deepseek');
    expect(deepseek?.changes).toContainEqual(
      expect.objectContaining({
        model: 'deepseek-v4-pro',
        field: 'pricing.input',
        yaml: 0.435,
        upstream: 1.32,
        action: 'write',
        source: { catalog: 'models.dev', id: 'deepseek-v4-pro', location: `${server.url}/api.json` },
      }),
    );
    expect(deepseek?.newModels.map((m) => m.id)).toContain('deepseek-flash');
    const perplexity = report.providers.find((p) => p.provider === 'perplexity');
    expect(perplexity?.statusChanges).toContainEqual(
      expect.objectContaining({ model: 'sonar-deep-research', kind: 'deprecated', yamlStatus: 'active' }),
    );
    expect(readFileSync(join(providersDir, 'deepseek.yaml'), 'utf8')).toBe(before);

    const written = await cli(work, 'catalog', 'sync', '--catalog', providersDir, ...urls, '--write');
    expect(written.code).toBe(0);
    expect(written.stdout).toContain('# Catalog sync report');
    expect(written.stdout).toContain('### Written');
    const after = readFileSync(join(providersDir, 'deepseek.yaml'), 'utf8');
    for (const line of commentLines(before)) expect(after).toContain(line);
    const spec = readProviderYaml(after).spec;
    expect(spec.models.find((m) => m.id === 'deepseek-v4-pro')?.pricing).toMatchObject({ input: 1.32, output: 3.96 });
    expect(spec.models.find((m) => m.id === 'deepseek-flash')?.source?.notes).toContain(`${server.url}/api.json`);
    const sonar = readProviderYaml(readFileSync(join(providersDir, 'perplexity.yaml'), 'utf8')).spec;
    expect(sonar.models.find((m) => m.id === 'sonar-deep-research')?.status).toBe('deprecated');
    expectUntouched(report, providersDir);
  });

  it('runs on a temp copy of the real catalog from the snapshot folders, citing the sample files, never overwriting a value the YAML explains', async () => {
    const providersDir = join(work, 'real', 'providers');
    cpSync(join(repoCatalog, 'providers'), providersDir, { recursive: true });
    const originals = new Map(
      readdirSync(providersDir).map((name) => [name, readFileSync(join(providersDir, name), 'utf8')]),
    );
    const result = await cli(
      work,
      'catalog',
      'sync',
      '--catalog',
      providersDir,
      '--upstream',
      shared as string,
      '--write',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as SyncResult;
    expect(report.upstream).toContain(join(shared as string, 'models.dev-post-2026-07'));
    for (const provider of report.providers)
      for (const change of provider.changes)
        expect(change.source.location, `${provider.provider}/${change.model}`).toBeTruthy();
    const cited = report.providers.flatMap((p) => p.changes.map((c) => c.source.file)).filter(Boolean);
    expect(cited.length + report.providers.flatMap((p) => p.statusChanges).length).toBeGreaterThan(0);
    for (const [name, text] of originals) {
      const after = readFileSync(join(providersDir, name), 'utf8');
      for (const line of commentLines(text)) expect(after, name).toContain(line);
    }
    expectUntouched(report, providersDir);
  });

  it('says what to pass when a download fails', async () => {
    const result = await cli(
      work,
      'catalog',
      'sync',
      '--catalog',
      join(work, 'frozen'),
      '--from-models-dev',
      `${server.url}/hang`,
      '--from-litellm',
      `${server.url}/litellm.json`,
      '--timeout',
      '300',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot download ${server.url}/hang`);
    expect(result.stderr).toContain('--upstream <dir>');
  });

  it('names --catalog when no catalog folder is found', async () => {
    const result = await cli(tmpdir(), 'catalog', 'sync', '--upstream', shared as string);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--catalog <dir>');
  });
});

describe('switchboard catalog check outside the repository', () => {
  it('reports coverage, price agreement and status changes per provider from the July snapshots and the post-July sample', async () => {
    const result = await cli(work, 'catalog', 'check', '--upstream', shared as string, '--json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      upstream: string[];
      providers: {
        provider: string;
        coverage: { models: number; found: number };
        priceAgreement: Record<'modelsDev' | 'litellm', { compared: number; agreeing: number }>;
        statusChanges: { model: string; kind: string }[];
      }[];
    };
    expect(report.upstream).toContain(join(shared as string, 'models.dev-post-2026-07'));
    const openai = report.providers.find((p) => p.provider === 'openai');
    expect(openai?.coverage.found).toBe(openai?.coverage.models);
    expect(openai?.priceAgreement.modelsDev.compared).toBeGreaterThan(10);
    expect(openai?.priceAgreement.modelsDev.agreeing).toBeLessThanOrEqual(
      openai?.priceAgreement.modelsDev.compared ?? 0,
    );
    expect(openai?.priceAgreement.litellm.compared).toBeGreaterThan(10);
    const table = await cli(work, 'catalog', 'check', '--upstream', shared as string);
    // It says where the facts came from: folders read here, not a download.
    expect(table.stdout).toMatch(new RegExp(`^upstream: read from ${shared}/`, 'm'));
    expect(table.stdout).not.toContain('downloaded');
    expect(table.stdout).toMatch(
      /PROVIDER\s+MODELS\s+FOUND UPSTREAM\s+COVERAGE\s+PRICE = MODELS.DEV\s+PRICE = LITELLM/,
    );
  });

  it('without --upstream downloads, and says so', async () => {
    const result = await cli(
      work,
      'catalog',
      'check',
      '--from-models-dev',
      `${server.url}/api.json`,
      '--from-litellm',
      `${server.url}/litellm.json`,
      '--provider',
      'openai',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`upstream: downloaded from ${server.url}/api.json, ${server.url}/litellm.json`);
  });

  it('without --upstream downloads, and says what to pass when it cannot', async () => {
    const result = await cli(
      work,
      'catalog',
      'check',
      '--from-models-dev',
      `${server.url}/missing.json`,
      '--from-litellm',
      `${server.url}/litellm.json`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot download ${server.url}/missing.json: HTTP 404`);
    expect(result.stderr).toContain('Pass --upstream <dir>');
  });
});
