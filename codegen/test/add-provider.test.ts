import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../src/run.ts';
import { catalogDir, repoRoot, tempDir } from './helpers.ts';

// Adding a provider is one YAML file: no TypeScript is written by hand. The new package is generated
// into a temporary repository root, compiled with tsc against core's sources and then imported.
const ACME = `# yaml-language-server: $schema=../schema/provider.schema.json
id: acme
name: Acme AI
docs: https://docs.acme.test
protocol: openai-chat
baseURL: https://api.acme.test/v1
auth:
  type: bearer
  header: Authorization
  prefix: 'Bearer '
  env: [ACME_API_KEY]
  baseURLEnv: ACME_BASE_URL
endpoints:
  chat: /chat/completions
  embeddings: /embeddings
  models: /models
capabilities: [streaming, function_calling, json_mode]
defaultModel: acme-large
models:
  - id: acme-large
    name: Acme Large
    aliases: [acme-large-latest]
    type: chat
    status: active
    limits: { context: 131072, output: 8192 }
    modalities: { input: [text, image], output: [text] }
    capabilities: [streaming, tool_use, multimodal]
    pricing: { input: 2, output: 8, cacheRead: 0.5 }
  - id: acme-small
    name: Acme Small
    type: chat
    status: preview
    limits: { context: 32768 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
    pricing: { input: 0.1, output: 0.4 }
`;

describe('adding a provider with one YAML file', () => {
  const root = tempDir('add-provider');
  const catalog = path.join(root, 'catalog');
  const out = path.join(root, 'out');
  cpSync(catalogDir, catalog, { recursive: true });
  writeFileSync(path.join(catalog, 'providers/acme.yaml'), ACME);
  const packageDir = path.join(out, 'packages/provider-acme');

  it('generates the package and lists it for the CLI', () => {
    const report = run({ catalogDir: catalog, outDir: out }, true);
    expect(report.written).toContain('packages/provider-acme/src/index.ts');
    const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@switchboard/provider-acme');
    expect(manifest.dependencies).toEqual({ '@switchboard/core': 'workspace:^' });
    const cli = JSON.parse(readFileSync(path.join(out, 'apps/cli/package.json'), 'utf8'));
    expect(cli.peerDependencies['@switchboard/provider-acme']).toBe('workspace:^');
    expect(cli.peerDependenciesMeta['@switchboard/provider-acme']).toEqual({ optional: true });
    expect(readFileSync(path.join(out, 'apps/cli/src/generated/providers.ts'), 'utf8')).toContain(
      "load: async () => (await import('@switchboard/provider-acme')).acme,",
    );
    expect(readFileSync(path.join(out, 'packages/catalog/src/index.ts'), 'utf8')).toContain(
      "'acme': '@switchboard/provider-acme',",
    );
  });

  it('compiles with tsc under the repository settings', () => {
    const tsconfig = {
      extends: path.join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: {
        outDir: path.join(root, 'build'),
        typeRoots: [path.join(repoRoot, 'node_modules/@types')],
        paths: { '@switchboard/core': [path.join(repoRoot, 'packages/core/src/index.ts')] },
      },
      include: [path.join(packageDir, 'src')],
    };
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    expect(output).toBe('');
    const built = readdirSync(path.join(root, 'build'), { recursive: true, encoding: 'utf8' }).map((file) =>
      file.split(path.sep).join('/'),
    );
    expect(built.some((file) => file.endsWith('packages/provider-acme/src/index.js'))).toBe(true);
    expect(built.some((file) => file.endsWith('packages/provider-acme/src/index.d.ts'))).toBe(true);
  });

  it('exposes its models, aliases and prices', async () => {
    // Make the temporary root look like the repository: shared tsconfig, @switchboard/core linked.
    copyFileSync(path.join(repoRoot, 'tsconfig.base.json'), path.join(out, 'tsconfig.base.json'));
    mkdirSync(path.join(out, 'node_modules/@switchboard'), { recursive: true });
    symlinkSync(path.join(repoRoot, 'packages/core'), path.join(out, 'node_modules/@switchboard/core'));
    const acmePackage = await import(pathToFileURL(path.join(packageDir, 'src/index.ts')).href);
    const { acme, createAcme, resolveAcmeModelId, acmePricing, acmeModelCapabilities, calculateAcmeCost } = acmePackage;

    expect(acme.id).toBe('acme');
    expect(acme.models.map((model: { id: string }) => model.id)).toEqual(['acme-large', 'acme-small']);
    expect(acme.models[0].ref).toBe('acme/acme-large');
    expect(acme.aliases).toEqual({ 'acme-large-latest': 'acme-large' });
    expect(resolveAcmeModelId('acme-large-latest')).toBe('acme-large');
    expect(resolveAcmeModelId('acme-small')).toBe('acme-small');
    expect(acme.descriptor.capabilities).toEqual(['json-mode', 'streaming', 'tools']);
    expect(acmeModelCapabilities['acme-large']).toEqual(['streaming', 'tools', 'vision']);
    expect(acmePricing['acme-large']).toEqual({ input: 2, output: 8, cacheRead: 0.5 });
    expect(calculateAcmeCost('acme-large-latest', { inputTokens: 1_000_000, outputTokens: 1_000_000 })?.total).toBe(10);
    expect(createAcme({ apiKey: 'k' }).settings.apiKey).toBe('k');
  });
});
