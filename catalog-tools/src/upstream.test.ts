import { join } from 'node:path';
import type { ProviderSpec } from '@switchboard/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  crossCheck,
  defaultUpstreamDir,
  isSeedCandidate,
  loadLiteLLM,
  loadModelsDev,
  roundSignificant,
  seedModels,
  snapshotBase,
  upstreamPaths,
  upstreamToModelInfo,
} from './index.js';
import type { UpstreamModel } from './types.js';

const dir = defaultUpstreamDir(import.meta.dirname);
let modelsDev: UpstreamModel[] = [];
let litellm: UpstreamModel[] = [];
const find = (list: UpstreamModel[], provider: string, id: string) =>
  list.find((m) => m.upstreamProvider === provider && m.id === id);

beforeAll(() => {
  if (!dir) throw new Error('upstream catalogs not found: set SWITCHBOARD_UPSTREAM_DIR');
  const paths = upstreamPaths(dir);
  modelsDev = loadModelsDev(paths.modelsDev);
  litellm = loadLiteLLM(paths.litellm, { now: '2026-07-24' });
});

describe('defaultUpstreamDir', () => {
  it('walks up to shared/upstream-catalogs', () => {
    expect(dir && join(dir, 'SOURCES.md')).toMatch(/shared[/\\]upstream-catalogs[/\\]SOURCES\.md$/);
  });
});

describe('roundSignificant', () => {
  it('removes float noise from per-token prices', () => {
    expect(4e-7 * 1e6).not.toBe(0.4);
    expect(roundSignificant(4e-7 * 1e6)).toBe(0.4);
    expect(roundSignificant(0.00000219 * 1e6)).toBe(2.19);
    expect(roundSignificant(0.0000025 * 1e6)).toBe(2.5);
    expect(roundSignificant(1.25e-7 * 1e6)).toBe(0.125);
  });
});

describe('loadModelsDev', () => {
  it('reads every provider model', () => {
    expect(modelsDev.length).toBeGreaterThan(5000);
  });

  it('normalizes claude-sonnet-4-5', () => {
    const model = find(modelsDev, 'anthropic', 'claude-sonnet-4-5');
    expect(model?.pricing).toMatchObject({ input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(model?.limits).toEqual({ context: 200000, output: 64000 });
    expect(model?.capabilities).toEqual(
      expect.arrayContaining(['tools', 'vision', 'pdf-input', 'reasoning', 'prompt-caching']),
    );
    expect(model?.reasoning).toMatchObject({ supported: true, control: 'budget-tokens', minBudgetTokens: 1024 });
    expect(model?.knowledge).toBe('2025-07-31');
    expect(model?.released).toBe('2025-09-29');
    expect(model?.openWeights).toBe(false);
  });

  it('reads context tiers of gemini-2.5-pro', () => {
    const model = find(modelsDev, 'google', 'gemini-2.5-pro');
    expect(model?.pricing).toMatchObject({ input: 1.25, output: 10, cacheRead: 0.125 });
    expect(model?.pricing?.tiers).toEqual([{ above: 200000, input: 2.5, output: 15, cacheRead: 0.25 }]);
    expect(model?.capabilities).toEqual(expect.arrayContaining(['audio-input', 'video-input', 'structured-output']));
  });

  it('types embedding models and keeps their dimensions apart from limits', () => {
    const model = find(modelsDev, 'openai', 'text-embedding-3-small');
    expect(model?.type).toBe('embedding');
    expect(model?.capabilities).toContain('embeddings');
    expect(model?.embeddingDimensions).toBe(1536);
    expect(model?.limits.output).toBeUndefined();
  });
});

describe('loadLiteLLM', () => {
  it('converts gpt-4o prices to USD per 1M tokens', () => {
    const model = find(litellm, 'openai', 'gpt-4o');
    expect(model?.pricing).toMatchObject({ input: 2.5, output: 10, cacheRead: 1.25, batchDiscount: 0.5 });
    expect(model?.limits).toEqual({ context: 128000, output: 16384 });
    expect(model?.capabilities).toEqual(
      expect.arrayContaining([
        'tools',
        'parallel-tools',
        'tool-choice',
        'vision',
        'pdf-input',
        'structured-output',
        'system-message',
        'batch',
      ]),
    );
    expect(model?.modalities.input).toEqual(['text', 'image', 'pdf']);
  });

  it('strips the provider prefix and reads _above_200k_tokens tiers', () => {
    const model = find(litellm, 'gemini', 'gemini-2.5-pro');
    expect(model?.key).toBe('gemini/gemini-2.5-pro');
    expect(model?.pricing).toMatchObject({ input: 1.25, output: 10 });
    expect(model?.pricing?.tiers).toEqual([{ above: 200000, input: 2.5, output: 15, cacheRead: 0.25 }]);
  });

  it('reads tiered_pricing ranges', () => {
    const model = find(litellm, 'dashscope', 'qwen-flash');
    expect(model?.pricing).toMatchObject({
      input: 0.05,
      output: 0.4,
      tiers: [{ above: 256000, input: 0.25, output: 2 }],
    });
  });

  it('skips sample_spec and modes outside the catalog', () => {
    expect(litellm.some((model) => model.id === 'sample_spec')).toBe(false);
    expect(
      litellm.every((model) => ['chat', 'embedding', 'image', 'audio', 'rerank', 'moderation'].includes(model.type)),
    ).toBe(true);
  });
});

describe('upstreamToModelInfo', () => {
  it('builds a catalog of 5,000+ models with refs', () => {
    const infos = upstreamToModelInfo([...modelsDev, ...litellm]);
    expect(infos.length).toBeGreaterThan(5000);
    const sonnet = infos.find((info) => info.ref === 'anthropic/claude-sonnet-4-5');
    expect(sonnet).toMatchObject({ provider: 'anthropic', id: 'claude-sonnet-4-5', pricing: { input: 3, output: 15 } });
    expect(new Set(infos.map((info) => info.ref)).size).toBe(infos.length);
  });
});

describe('selection and snapshots', () => {
  it('folds dated and -latest ids onto their base', () => {
    expect(snapshotBase('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(snapshotBase('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(snapshotBase('mistral-large-2411')).toBe('mistral-large');
    expect(snapshotBase('gemini-2.0-flash-001')).toBe('gemini-2.0-flash');
    expect(snapshotBase('claude-3-5-haiku-latest')).toBe('claude-3-5-haiku');
    expect(snapshotBase('gpt-4.1')).toBe('gpt-4.1');
  });

  it('skips fine-tune, realtime, speech and image entries', () => {
    for (const id of [
      'ft:gpt-4o-2024-08-06',
      'gpt-4o-realtime-preview',
      'tts-1',
      'gpt-4o-mini-transcribe',
      'gpt-image-1',
      'omni-moderation-latest',
    ]) {
      const model = find(litellm, 'openai', id);
      if (model) expect(isSeedCandidate(model), id).toBe(false);
    }
    const gpt4o = find(litellm, 'openai', 'gpt-4o');
    expect(gpt4o && isSeedCandidate(gpt4o)).toBe(true);
  });

  it('seeds anthropic with both sources and aliases', () => {
    const models = seedModels(
      modelsDev.filter((m) => m.upstreamProvider === 'anthropic'),
      litellm.filter((m) => m.upstreamProvider === 'anthropic'),
    );
    const sonnet = models.find((m) => m.id === 'claude-sonnet-4-5');
    expect(sonnet?.aliases).toContain('claude-sonnet-4-5-20250929');
    expect(sonnet?.source).toMatchObject({
      modelsDev: 'claude-sonnet-4-5',
      litellm: 'claude-sonnet-4-5',
      follows: 'models.dev',
    });
    expect(models.some((m) => m.id === 'claude-sonnet-4-5-20250929')).toBe(false);
  });
});

describe('crossCheck', () => {
  it('reports found, missing and disagreeing models', () => {
    const spec: ProviderSpec = {
      id: 'openai',
      name: 'OpenAI',
      protocol: 'openai-chat',
      baseURL: 'https://api.openai.com/v1',
      auth: { type: 'bearer', env: ['OPENAI_API_KEY'] },
      endpoints: {},
      capabilities: [],
      defaultModel: 'gpt-4o',
      upstream: { modelsDev: 'openai', litellm: ['openai'] },
      models: [
        {
          id: 'gpt-4o',
          name: 'GPT-4o',
          type: 'chat',
          status: 'active',
          limits: { context: 128000, output: 16384 },
          modalities: { input: ['text'], output: ['text'] },
          capabilities: [],
          pricing: { input: 2.6, output: 10 },
        },
        {
          id: 'no-such-model',
          name: 'x',
          type: 'chat',
          status: 'active',
          limits: { context: 1 },
          modalities: { input: ['text'], output: ['text'] },
          capabilities: [],
        },
      ],
    };
    const [report] = crossCheck([spec], { modelsDev, litellm });
    expect(report?.found).toEqual([{ model: 'gpt-4o', modelsDev: 'gpt-4o', litellm: 'gpt-4o' }]);
    expect(report?.notFound).toEqual(['no-such-model']);
    expect(report?.missing.map((m) => m.id)).toContain('gpt-4.1');
    expect(report?.missing.map((m) => m.id)).not.toContain('gpt-4o-2024-08-06');
    expect(report?.disagreements).toContainEqual({
      model: 'gpt-4o',
      field: 'pricing.input',
      yaml: 2.6,
      modelsDev: 2.5,
      litellm: 2.5,
      follows: 'neither',
    });
  });
});
