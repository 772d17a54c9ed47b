/**
 * How fast `recommendModels` answers over every model the two public upstream catalogs know
 * (models.dev + LiteLLM, 5,000+ models). Target: <= 1 ms median per query on a 2-core machine.
 * A naive implementation (filter `ModelInfo[]` with array lookups, score, full sort) runs in the same
 * process as the baseline. Run all benches with `pnpm bench`, or this one with
 * `node test/bench/run.ts recommend`.
 */

import {
  defaultUpstreamDir,
  loadLiteLLM,
  loadModelsDev,
  upstreamPaths,
  upstreamToModelInfo,
} from '@switchboard/catalog-tools';
import type { CatalogProviderInput, ModelInfo, ProviderDescriptor } from '@switchboard/core';
import { createCatalog, normalizeCapability } from '@switchboard/core';
import { type BenchResult, measure, printTable } from './measure.ts';

const LOCAL_PROVIDERS = new Set(['ollama', 'ollama-cloud', 'lmstudio', 'llamacpp', 'vllm']);

/** Groups upstream models by provider into catalog inputs with minimal descriptors. */
function upstreamProviders(models: readonly ModelInfo[]): CatalogProviderInput[] {
  const byProvider = new Map<string, ModelInfo[]>();
  for (const model of models) {
    const list = byProvider.get(model.provider);
    if (list) list.push(model);
    else byProvider.set(model.provider, [model]);
  }
  return [...byProvider].map(([id, providerModels]) => {
    const descriptor: ProviderDescriptor = {
      id,
      name: id,
      protocol: 'openai-chat',
      baseURL: `https://${id}.example`,
      local: LOCAL_PROVIDERS.has(id),
      auth: LOCAL_PROVIDERS.has(id)
        ? { type: 'none', env: [] }
        : { type: 'bearer', env: [`${id.toUpperCase().replace(/\W/g, '_')}_API_KEY`] },
      endpoints: { chat: '/chat/completions' },
      capabilities: ['streaming'],
      defaultModel: (providerModels[0] as ModelInfo).id,
    };
    return { descriptor, models: providerModels };
  });
}

/** The straightforward way, for comparison: array scans, per-call capability normalization, full sort. */
function naiveRecommend(
  models: readonly ModelInfo[],
  features: string[],
  minContext: number,
  maxCost: number,
  limit: number,
): ModelInfo[] {
  const wanted = features.map((name) => normalizeCapability(name));
  const scored: { model: ModelInfo; score: number }[] = [];
  for (const model of models) {
    if (model.type !== 'chat' || model.status === 'deprecated' || model.status === 'retired') continue;
    const capabilities = model.capabilities.map((name) => normalizeCapability(name));
    if (model.modalities.input.includes('image')) capabilities.push('vision');
    if (!wanted.every((name) => capabilities.includes(name))) continue;
    if (model.limits.context < minContext) continue;
    if (!model.pricing) continue;
    const blended = (3 * model.pricing.input + model.pricing.output) / 4;
    if (blended > maxCost) continue;
    scored.push({ model, score: Math.log2(model.limits.context) - Math.log10(blended + 0.01) });
  }
  scored.sort((a, b) => b.score - a.score || (a.model.ref < b.model.ref ? -1 : 1));
  return scored.slice(0, limit).map((entry) => entry.model);
}

export async function run(): Promise<BenchResult[]> {
  const dir = defaultUpstreamDir();
  if (!dir) throw new Error('upstream catalogs not found (set SWITCHBOARD_UPSTREAM_DIR)');
  const paths = upstreamPaths(dir);
  const loadStart = process.hrtime.bigint();
  const models = upstreamToModelInfo([...loadModelsDev(paths.modelsDev), ...loadLiteLLM(paths.litellm)]);
  const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
  const inputs = upstreamProviders(models);
  const createStart = process.hrtime.bigint();
  const catalog = createCatalog(inputs);
  const createMs = Number(process.hrtime.bigint() - createStart) / 1e6;
  const count = catalog.models.length;

  const queries: [string, Parameters<typeof catalog.recommendModels>[0]][] = [
    ['defaults (chat, limit 10)', {}],
    ['vision+tool_use, ctx>=100K, <=$5', { features: ['vision', 'tool_use'], minContext: 100_000, maxCostPer1M: 5 }],
    [
      'reasoning, fast, open weights, top 5',
      { features: ['thinking'], speed: 'fast', preferOpenWeights: true, limit: 5 },
    ],
    [
      'preferLocal+Free, exclude globs',
      { preferLocal: true, preferFree: true, exclude: ['openai/*', '*-preview', 'azure'] },
    ],
    ['tools, minQuality 60, limit 25', { features: ['function_calling'], minQuality: 60, limit: 25 }],
    ['all chat models, full sort', { limit: Number.POSITIVE_INFINITY }],
  ];
  const results: BenchResult[] = [];
  for (const [name, options] of queries) {
    const returned = catalog.recommendModels(options).length;
    results.push(
      measure(`recommendModels: ${name}`, () => catalog.recommendModels(options), {
        iterations: 2000,
        note: `${returned} results`,
      }),
    );
  }
  let fresh = 0;
  results.push(
    measure(
      'recommendModels: exclude glob, cold pattern cache',
      () => catalog.recommendModels({ exclude: [`*-nothing-${fresh++}*`] }),
      { iterations: 1000, note: 'a new glob every call' },
    ),
  );
  const baselineOptions = { features: ['vision', 'tool_use'], minContext: 100_000, maxCostPer1M: 5 };
  results.push(
    measure(
      'baseline naive: vision+tool_use, ctx>=100K, <=$5',
      () => naiveRecommend(catalog.models, baselineOptions.features, 100_000, 5, 10),
      {
        iterations: 1000,
        note: 'array scans + full sort',
      },
    ),
  );
  results.push(measure('findModels: tools', () => catalog.findModels({ features: ['tools'] }), { iterations: 2000 }));
  results.push(
    measure('getModel: alias lookup', () => catalog.getModel('anthropic/claude-3-5-sonnet-latest'), {
      iterations: 5000,
    }),
  );

  printTable(
    `recommendModels over ${count.toLocaleString('en-US')} models from ${inputs.length} providers (models.dev + LiteLLM); load ${loadMs.toFixed(0)} ms, createCatalog ${createMs.toFixed(0)} ms`,
    results,
  );
  return results;
}

if (import.meta.main) await run();
