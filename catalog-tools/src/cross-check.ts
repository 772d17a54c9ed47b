import type { ModelSpec, ProviderSpec } from '@switchboard/core';
import { isSeedCandidate, snapshotBase } from './select.js';
import { priceForms } from './sync/price-forms.js';
import type {
  CrossCheckDisagreement,
  CrossCheckField,
  ProviderCrossCheck,
  UpstreamCatalogs,
  UpstreamModel,
} from './types.js';

/** The upstream provider ids a YAML names, defaulting to its own id. */
export function upstreamIdsOf(spec: Pick<ProviderSpec, 'id' | 'upstream'>): { modelsDev?: string; litellm: string[] } {
  const modelsDev = spec.upstream ? spec.upstream.modelsDev : spec.id;
  const litellm = spec.upstream ? (spec.upstream.litellm ?? []) : [spec.id];
  return modelsDev === undefined ? { litellm } : { modelsDev, litellm };
}

/** Indexes records by id and (LiteLLM) key; the first record of an id wins. */
export function indexUpstream(models: UpstreamModel[]): Map<string, UpstreamModel> {
  const byId = new Map<string, UpstreamModel>();
  for (const model of models) {
    if (!byId.has(model.id)) byId.set(model.id, model);
    if (model.key && !byId.has(model.key)) byId.set(model.key, model);
  }
  return byId;
}

function lookup(
  byId: Map<string, UpstreamModel>,
  model: ModelSpec,
  explicit: string | undefined,
): UpstreamModel | undefined {
  if (explicit !== undefined) return byId.get(explicit);
  for (const id of [model.id, ...(model.aliases ?? [])]) {
    const found = byId.get(id);
    if (found) return found;
  }
  return undefined;
}

const FIELDS: [
  CrossCheckField,
  (value: {
    pricing?: { input: number; output: number };
    limits: { context?: number; output?: number };
  }) => number | undefined,
][] = [
  ['pricing.input', (value) => value.pricing?.input],
  ['pricing.output', (value) => value.pricing?.output],
  ['limits.context', (value) => value.limits.context],
  ['limits.output', (value) => value.limits.output],
];

/** Compares one YAML model with its upstream records; returns the fields on which they differ. */
export function compareModel(
  model: ModelSpec,
  modelsDev: UpstreamModel | undefined,
  litellm: UpstreamModel | undefined,
): CrossCheckDisagreement[] {
  const out: CrossCheckDisagreement[] = [];
  for (const [field, read] of FIELDS) {
    // Embedding models have no output limit upstream (models.dev writes dimensions there).
    if (field === 'limits.output' && model.type === 'embedding') continue;
    const yaml = read(model);
    let fromModelsDev = modelsDev ? read(modelsDev) : undefined;
    let fromLiteLLM = litellm ? read(litellm) : undefined;
    // An upstream price equal to one of the YAML's dated or time-of-day prices (an introductory
    // price, a peak rate) agrees with it.
    if (field === 'pricing.input' || field === 'pricing.output') {
      const forms = priceForms(model.pricing, field === 'pricing.input' ? 'input' : 'output');
      if (fromModelsDev !== undefined && forms.includes(fromModelsDev)) fromModelsDev = yaml;
      if (fromLiteLLM !== undefined && forms.includes(fromLiteLLM)) fromLiteLLM = yaml;
    }
    // LiteLLM's max_input_tokens is an input limit: it agrees when it equals the YAML's input limit.
    if (field === 'limits.context' && fromLiteLLM !== undefined && fromLiteLLM === model.limits.input)
      fromLiteLLM = yaml;
    const values = [yaml, fromModelsDev, fromLiteLLM].filter((value) => value !== undefined);
    if (values.length < 2 || values.every((value) => value === values[0])) continue;
    let follows: CrossCheckDisagreement['follows'];
    if (yaml !== undefined && yaml === fromModelsDev && yaml === fromLiteLLM) follows = 'both';
    else if (yaml !== undefined && yaml === fromModelsDev) follows = 'models.dev';
    else if (yaml !== undefined && yaml === fromLiteLLM) follows = 'litellm';
    else follows = model.source?.follows ?? 'neither';
    out.push({ model: model.id, field, yaml, modelsDev: fromModelsDev, litellm: fromLiteLLM, follows });
  }
  return out;
}

/**
 * Checks provider YAMLs against both upstream catalogs: which YAML models each catalog knows, which
 * current chat and embedding models upstream the YAML lacks, and where prices (input, output) and
 * limits (context, output) disagree, with the value of each side and the side the YAML follows.
 * `upstream` is either both catalogs apart or one list of records of both sources.
 */
export function crossCheck(
  providerSpecs: ProviderSpec[],
  upstream: UpstreamCatalogs | UpstreamModel[],
): ProviderCrossCheck[] {
  const all = Array.isArray(upstream) ? upstream : [...upstream.modelsDev, ...upstream.litellm];
  const modelsDevByProvider = new Map<string, UpstreamModel[]>();
  const litellmByProvider = new Map<string, UpstreamModel[]>();
  for (const model of all) {
    const map = model.source === 'models.dev' ? modelsDevByProvider : litellmByProvider;
    const list = map.get(model.upstreamProvider);
    if (list) list.push(model);
    else map.set(model.upstreamProvider, [model]);
  }

  return providerSpecs.map((spec) => {
    const ids = upstreamIdsOf(spec);
    const modelsDevModels = ids.modelsDev ? (modelsDevByProvider.get(ids.modelsDev) ?? []) : [];
    const litellmModels = ids.litellm.flatMap((provider) => litellmByProvider.get(provider) ?? []);
    const modelsDevIndex = indexUpstream(modelsDevModels);
    const litellmIndex = indexUpstream(litellmModels);
    const result: ProviderCrossCheck = { provider: spec.id, found: [], notFound: [], missing: [], disagreements: [] };
    const covered = new Set<string>();

    for (const model of spec.models) {
      for (const id of [model.id, ...(model.aliases ?? [])]) covered.add(id);
      const fromModelsDev = lookup(modelsDevIndex, model, model.source?.modelsDev);
      const fromLiteLLM = lookup(litellmIndex, model, model.source?.litellm);
      if (fromModelsDev) covered.add(fromModelsDev.id);
      if (fromLiteLLM) {
        covered.add(fromLiteLLM.id);
        if (fromLiteLLM.key) covered.add(fromLiteLLM.key);
      }
      if (!fromModelsDev && !fromLiteLLM) {
        result.notFound.push(model.id);
        continue;
      }
      const found: ProviderCrossCheck['found'][number] = { model: model.id };
      if (fromModelsDev) found.modelsDev = fromModelsDev.id;
      if (fromLiteLLM) found.litellm = fromLiteLLM.key ?? fromLiteLLM.id;
      result.found.push(found);
      result.disagreements.push(...compareModel(model, fromModelsDev, fromLiteLLM));
    }

    const reported = new Set<string>();
    for (const model of [...modelsDevModels, ...litellmModels]) {
      if (!isSeedCandidate(model)) continue;
      if (covered.has(model.id) || covered.has(snapshotBase(model.id)) || (model.key && covered.has(model.key)))
        continue;
      if (reported.has(model.id)) continue;
      reported.add(model.id);
      result.missing.push({ source: model.source, id: model.id, type: model.type });
    }
    return result;
  });
}
