import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModel } from '../cross-check.js';
import { defaultUpstreamDir } from '../default-dir.js';
import { priceAgreement } from './agreement.js';
import { compareWithUpstream, type ProviderSyncReport } from './compare.js';
import { type LoadedUpstream, loadUpstream } from './load-upstream.js';
import { resolveModelsDevTree } from './models-dev-tree.js';
import { syncCatalog } from './sync-catalog.js';
import { applySync, readProviderYaml } from './yaml-writer.js';

const NOW = '2026-12-06';

/** A small upstream: a July-style api.json and LiteLLM map, and a later models.dev TOML tree beside them. */
function writeSnapshot(root: string): void {
  const file = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const base = { type: 'chat', modalities: { input: ['text'], output: ['text'] }, tool_call: true };
  const model = (id: string, cost: object, extra: object = {}) => ({
    id,
    name: id,
    ...base,
    release_date: '2026-03-01',
    cost,
    limit: { context: 100000, output: 8000 },
    ...extra,
  });
  file(
    'models.dev/api.generated.json',
    JSON.stringify({
      acme: {
        id: 'acme',
        models: {
          'follows-model': model('follows-model', { input: 1, output: 2 }),
          'explained-model': model('explained-model', { input: 1, output: 2 }),
          'reviewed-model': model('reviewed-model', { input: 1, output: 2 }),
          'commented-model': model('commented-model', { input: 1, output: 2 }),
          'gone-model': model('gone-model', { input: 1, output: 2 }),
          'scheduled-model': model('scheduled-model', { input: 1, output: 5 }),
          'fading-model': model('fading-model', { input: 1, output: 2 }),
          'old-unlisted': model('old-unlisted', { input: 1, output: 2 }, { release_date: '2025-01-01' }),
        },
      },
    }),
  );
  file(
    'litellm/model_prices_and_context_window.json',
    JSON.stringify({
      'acme/dated-model': {
        litellm_provider: 'acme',
        mode: 'chat',
        input_cost_per_token: 0.000001,
        output_cost_per_token: 0.000002,
        max_input_tokens: 100000,
        deprecation_date: '2026-11-01',
      },
    }),
  );
  file('models.dev-later/PROVENANCE.tsv', 'path\tcommit\nproviders/acme/models/follows-model.toml\tabc123def4567890\n');
  file(
    'models.dev-later/models/acme/next.toml',
    'name = "Next"\nrelease_date = "2026-10-01"\ntool_call = true\n[limit]\ncontext = 400_000\noutput = 32_000\n[modalities]\ninput = ["text", "image"]\noutput = ["text"]\n',
  );
  const price = (input: number, output: number) => `[cost]\ninput = ${input}\noutput = ${output}\n`;
  file(
    'models.dev-later/providers/acme/models/follows-model.toml',
    `name = "Follows"\nrelease_date = "2026-03-01"\ntool_call = true\n${price(1.5, 3)}[limit]\ncontext = 200_000\noutput = 8_000\n`,
  );
  file(
    'models.dev-later/providers/acme/models/explained-model.toml',
    `name = "Explained"\nrelease_date = "2026-03-01"\ntool_call = true\n${price(9, 9)}[limit]\ncontext = 100_000\noutput = 8_000\n`,
  );
  file(
    'models.dev-later/providers/acme/models/reviewed-model.toml',
    `name = "Reviewed"\nrelease_date = "2026-03-01"\ntool_call = true\n${price(7, 7)}[limit]\ncontext = 100_000\noutput = 8_000\n`,
  );
  file(
    'models.dev-later/providers/acme/models/commented-model.toml',
    `name = "Commented"\nrelease_date = "2026-03-01"\ntool_call = true\n${price(5, 5)}[limit]\ncontext = 100_000\noutput = 8_000\n`,
  );
  file(
    'models.dev-later/providers/acme/models/fading-model.toml',
    `name = "Fading"\nrelease_date = "2026-03-01"\ntool_call = true\nstatus = "deprecated"\n${price(1, 2)}[limit]\ncontext = 100_000\noutput = 8_000\n`,
  );
  file(
    'models.dev-later/providers/acme/models/next-model.toml',
    `# Next served as next-model; legacy gone-model retired (upstream comment)\nbase_model = "acme/next"\n${price(2, 8)}`,
  );
}

const YAML = `# yaml-language-server: $schema=../schema/provider.schema.json
# Acme, a test provider. This comment must survive sync.
id: acme
name: Acme
protocol: openai-chat
upstream: { modelsDev: acme, litellm: [acme] }
models:
  # Follows models.dev without a reason to differ: sync may write its price and context.
  - id: follows-model
    name: Follows
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
    source: { modelsDev: follows-model, follows: models.dev }
  - id: explained-model
    name: Explained
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
    source:
      follows: models.dev
      notes: "input price and output price: the provider's page says 1/2; models.dev is wrong."
  - id: reviewed-model
    name: Reviewed
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
    source: { follows: provider-docs }
  - id: commented-model
    name: Commented
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 } # the contract price of our account, not the list price
    source: { follows: models.dev }
  - id: gone-model
    name: Gone
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
  - id: fading-model
    name: Fading
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing: { input: 1, output: 2 }
  - id: dated-model
    name: Dated
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
    pricing:
      input: 1
      output: 2
      timeBound:
        - { from: "2026-11-01", until: "2026-12-20", kind: introductory, input: 0.5, output: 1, source: https://example.com/launch }
        - { from: "2026-12-21", until: "2027-03-01", kind: promotional, input: 0.8, output: 1.6, source: https://example.com/offer }
    source: { litellm: acme/dated-model, follows: litellm }
  - id: scheduled-model
    name: Scheduled
    type: chat
    status: active
    released: "2026-03-01"
    limits: { context: 100000, output: 8000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming, tools]
    pricing:
      input: 2
      output: 4
      timeBound:
        - { until: "2027-01-31", kind: introductory, input: 1, output: 3, source: https://example.com/launch }
    source: { follows: models.dev }
  - id: retiring-model
    name: Retiring
    type: chat
    status: deprecated
    released: "2026-03-01"
    deprecated: "2026-10-01"
    retires: "2026-12-31"
    replacedBy: follows-model
    limits: { context: 100000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
  - id: superseded-model
    name: Superseded
    type: chat
    status: deprecated
    released: "2026-03-01"
    replacedBy: follows-model
    limits: { context: 100000 }
    modalities: { input: [text], output: [text] }
    capabilities: [streaming]
`;

let root: string;
let upstream: LoadedUpstream;
let report: ProviderSyncReport;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'switchboard-sync-'));
  writeSnapshot(join(root, 'upstream'));
  upstream = await loadUpstream({ dirs: [join(root, 'upstream')], now: NOW });
  const yaml = readProviderYaml(YAML, 'acme.yaml');
  [report] = compareWithUpstream([yaml.spec], upstream, {
    now: NOW,
    hasComment: (_provider, model, path) => yaml.hasComment(model, path),
  }) as [ProviderSyncReport];
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const change = (model: string, field: string) => report.changes.find((c) => c.model === model && c.field === field);

describe('compareWithUpstream', () => {
  it('reports a changed price of a model that follows the source as a write, citing the TOML file and commit', () => {
    expect(change('follows-model', 'pricing.input')).toMatchObject({
      yaml: 1,
      upstream: 1.5,
      action: 'write',
      source: { catalog: 'models.dev', file: 'providers/acme/models/follows-model.toml', commit: 'abc123def4567890' },
    });
    expect(change('follows-model', 'limits.context')).toMatchObject({
      yaml: 100000,
      upstream: 200000,
      action: 'write',
    });
  });

  it('keeps a value whose source.notes says why it differs, and one with a comment on it', () => {
    expect(change('explained-model', 'pricing.input')?.action).toBe('kept');
    expect(change('explained-model', 'pricing.input')?.reason).toContain("provider's page");
    expect(change('commented-model', 'pricing.input')).toMatchObject({
      action: 'kept',
      reason: 'a YAML comment on the value',
    });
  });

  it("takes an upstream price equal to one of the YAML's dated prices as agreement, and never rewrites a price schedule", () => {
    expect(change('scheduled-model', 'pricing.input')).toBeUndefined();
    expect(change('scheduled-model', 'pricing.output')).toMatchObject({
      yaml: 4,
      upstream: 5,
      action: 'review',
      reason: 'the YAML prices this model by date range or time of day',
    });
  });

  it('leaves a model that follows the provider page for review', () => {
    expect(change('reviewed-model', 'pricing.input')).toMatchObject({ upstream: 7, action: 'review' });
  });

  it('reports deprecations (models.dev status, LiteLLM date) and a retirement stated in an upstream comment', () => {
    const status = (model: string) => report.statusChanges.find((s) => s.model === model);
    expect(status('fading-model')).toMatchObject({ kind: 'deprecated', yamlStatus: 'active' });
    expect(status('dated-model')).toMatchObject({
      kind: 'deprecated',
      date: '2026-11-01',
      source: { catalog: 'litellm' },
    });
    expect(status('gone-model')).toMatchObject({ kind: 'retired', replacedBy: 'next-model' });
  });

  it("reports the YAML's own dates: a retirement due within 30 days with its successor, and a replacement", () => {
    const status = (model: string) => report.statusChanges.find((s) => s.model === model);
    expect(status('retiring-model')).toMatchObject({
      kind: 'retired',
      date: '2026-12-31',
      replacedBy: 'follows-model',
      source: 'yaml',
      detail: 'retires within the window',
    });
    expect(status('superseded-model')).toMatchObject({ kind: 'replaced', replacedBy: 'follows-model', source: 'yaml' });
  });

  it('reports a price that ends within 30 days, not one that ends later', () => {
    expect(report.expiringPrices).toEqual([
      { model: 'dated-model', path: 'pricing.timeBound[0]', until: '2026-12-20', kind: 'introductory' },
    ]);
  });

  it('lists models released after the newest YAML model as new, with the fields of the base model', () => {
    expect(report.newModels.map((m) => m.id)).toEqual(['next-model']);
    const spec = report.newModels[0]?.spec;
    expect(spec?.limits).toMatchObject({ context: 400000, output: 32000 });
    expect(spec?.pricing).toMatchObject({ input: 2, output: 8 });
    expect(spec?.capabilities).toContain('vision');
    expect(report.notListed).toBe(1);
  });

  it('counts every unlisted model released after --since as new', () => {
    const [early] = compareWithUpstream([readProviderYaml(YAML).spec], upstream, { now: NOW, newSince: '2024-12-31' });
    expect(early?.newModels.map((m) => m.id).sort()).toEqual(['next-model', 'old-unlisted']);
    expect(early?.notListed).toBe(0);
  });
});

describe('crossCheck with price schedules', () => {
  it('counts an upstream price equal to a dated price as agreement, and a different one as a disagreement', () => {
    const model = readProviderYaml(YAML).spec.models.find((m) => m.id === 'scheduled-model');
    const record = upstream.modelsDev.find((m) => m.id === 'scheduled-model');
    if (!model || !record) throw new Error('fixture missing');
    expect(compareModel(model, record, undefined).map((d) => [d.field, d.yaml, d.modelsDev])).toEqual([
      ['pricing.output', 4, 5],
    ]);
  });
});

describe('priceAgreement', () => {
  it('counts per source the priced models whose price is the YAML one, and the unexplained differences', () => {
    const spec = readProviderYaml(YAML, 'acme.yaml').spec;
    const [agreement] = priceAgreement(
      [spec],
      [
        {
          provider: 'acme',
          found: [
            { model: 'follows-model', modelsDev: 'follows-model', litellm: 'acme/follows-model' },
            { model: 'explained-model', modelsDev: 'explained-model' },
            { model: 'retiring-model', modelsDev: 'retiring-model' },
          ],
          notFound: ['gone-model'],
          missing: [],
          disagreements: [
            {
              model: 'follows-model',
              field: 'pricing.input',
              yaml: 1,
              modelsDev: 1,
              litellm: 2,
              follows: 'models.dev',
            },
            {
              model: 'explained-model',
              field: 'pricing.input',
              yaml: 1,
              modelsDev: 9,
              litellm: undefined,
              follows: 'neither',
            },
          ],
        },
      ],
      () => true,
    );
    // retiring-model has no price in the YAML: it is not compared.
    expect(agreement).toEqual({
      provider: 'acme',
      coverage: { models: 4, found: 3 },
      modelsDev: { compared: 2, agreeing: 1 },
      litellm: { compared: 1, agreeing: 0 },
      unexplained: 1,
    });
  });
});

describe('applySync', () => {
  it('writes the decided edits and nothing else, keeping comments and the lines it did not change', () => {
    const yaml = readProviderYaml(YAML, 'acme.yaml');
    const { text } = applySync(yaml, report);
    const after = readProviderYaml(text, 'acme.yaml').spec;
    const model = (id: string) => after.models.find((m) => m.id === id);
    expect(model('follows-model')?.pricing).toMatchObject({ input: 1.5, output: 3 });
    expect(model('follows-model')?.limits.context).toBe(200000);
    expect(model('explained-model')?.pricing).toMatchObject({ input: 1, output: 2 });
    expect(model('commented-model')?.pricing).toMatchObject({ input: 1, output: 2 });
    expect(model('reviewed-model')?.pricing).toMatchObject({ input: 1, output: 2 });
    expect(model('fading-model')?.status).toBe('deprecated');
    // Retired is reported for review, not written: a successor needs a person to check it.
    expect(model('gone-model')?.status).toBe('active');
    expect(model('next-model')?.source?.notes).toContain('providers/acme/models/next-model.toml');
    for (const comment of YAML.split('\n').filter((line) => line.includes('#'))) expect(text).toContain(comment);
    expect(text).toContain('# Added by switchboard catalog sync from models.dev providers/acme/models/next-model.toml');
    expect(text).toContain('released: "2026-10-01"');
    // Every original line is still there, as written, except the ones an edit replaced.
    const remaining = text.split('\n');
    const lost = YAML.split('\n').filter((line) => {
      const at = remaining.indexOf(line);
      if (at >= 0) remaining.splice(at, 1);
      return at < 0;
    });
    expect(lost.sort()).toEqual([
      '    limits: { context: 100000, output: 8000 }',
      '    pricing: { input: 1, output: 2 }',
      '    status: active',
    ]);
  });
});

describe('syncCatalog', () => {
  it('writes the YAML file only with --write', async () => {
    const providersDir = join(root, 'providers');
    mkdirSync(providersDir, { recursive: true });
    writeFileSync(join(providersDir, 'acme.yaml'), YAML);
    const dry = await syncCatalog({ providersDir, dirs: [join(root, 'upstream')], now: NOW });
    expect(readFileSync(join(providersDir, 'acme.yaml'), 'utf8')).toBe(YAML);
    expect(dry.providers[0]?.edits).toEqual([]);
    const written = await syncCatalog({ providersDir, dirs: [join(root, 'upstream')], now: NOW, write: true });
    expect(written.providers[0]?.edits.map((e) => e.model)).toContain('next-model');
    expect(readFileSync(join(providersDir, 'acme.yaml'), 'utf8')).toContain('- id: next-model');
  });

  it('names the provider it cannot find', async () => {
    await expect(
      syncCatalog({ providersDir: join(root, 'providers'), dirs: [join(root, 'upstream')], providers: ['nope'] }),
    ).rejects.toThrow(/--provider: no YAML .* for nope/);
  });
});

describe('the post-July models.dev sample', () => {
  const shared = defaultUpstreamDir(import.meta.dirname);

  it('resolves provider files over their base models and cites file and commit', () => {
    if (!shared) throw new Error('upstream catalogs not found: set SWITCHBOARD_UPSTREAM_DIR');
    const tree = resolveModelsDevTree(join(shared, 'models.dev-post-2026-07'), [join(shared, 'models.dev')]);
    const flash = tree.api.deepseek?.models['deepseek-flash'];
    expect(flash).toMatchObject({ name: 'DeepSeek V4.1 Flash', cost: { input: 0.15, output: 0.6 } });
    expect(flash?.limit).toMatchObject({ context: 1000000, output: 393216 });
    expect(tree.provenance.get('deepseek/deepseek-flash')?.file).toBe('providers/deepseek/models/deepseek-flash.toml');
  });

  it('overlays the July snapshot: new models appear, DeepSeek V4 Pro has its post-July price, V4 Flash is retired', async () => {
    if (!shared) throw new Error('upstream catalogs not found: set SWITCHBOARD_UPSTREAM_DIR');
    const loaded = await loadUpstream({ dirs: [shared], now: NOW });
    const find = (provider: string, id: string) =>
      loaded.modelsDev.find((m) => m.upstreamProvider === provider && m.id === id);
    expect(find('openai', 'gpt-6-astra')).toBeDefined();
    expect(find('deepseek', 'deepseek-v4-pro')?.pricing).toMatchObject({ input: 1.32, output: 3.96 });
    expect(find('perplexity', 'sonar-deep-research')?.status).toBe('deprecated');
    expect(loaded.retirements).toContainEqual(
      expect.objectContaining({ upstreamProvider: 'deepseek', id: 'deepseek-v4-flash', replacedBy: 'deepseek-flash' }),
    );
  });
});
