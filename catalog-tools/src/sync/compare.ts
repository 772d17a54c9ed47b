import type { ModelSpec, ProviderSpec } from '@switchboard/core';
import { indexUpstream, upstreamIdsOf } from '../cross-check.js';
import { seedModel } from '../seed.js';
import { isSeedCandidate, snapshotBase } from '../select.js';
import type { UpstreamModel } from '../types.js';
import type { FactSource, LoadedUpstream } from './load-upstream.js';
import { hasPriceSchedule, type PriceRate, priceForms } from './price-forms.js';

/** A fact compared between a YAML model and the upstream record it follows. */
export type SyncField =
  | 'pricing.input'
  | 'pricing.output'
  | 'pricing.cacheRead'
  | 'limits.context'
  | 'limits.output'
  | 'capabilities'
  | 'status';

/**
 * What sync does with a change: `write` (the model follows this source and its YAML gives no reason
 * to differ), `kept` (the YAML says why it differs: a `source.notes` naming the fact, or a comment on
 * the value) or `review` (the model follows another source: a person decides).
 */
export type SyncAction = 'write' | 'kept' | 'review';

/** One fact on which a YAML model and an upstream record differ. */
export interface FactChange {
  model: string;
  field: SyncField;
  yaml: unknown;
  upstream: unknown;
  source: FactSource;
  action: SyncAction;
  /** Why the value is kept or left for review. */
  reason?: string;
}

/** A status change: deprecated or retired upstream, or a date of the YAML's own that has passed or is near. */
export interface StatusChange {
  model: string;
  kind: 'deprecated' | 'retired' | 'replaced';
  /** The status the YAML gives now. */
  yamlStatus: string;
  date?: string;
  replacedBy?: string;
  /** `yaml` when the YAML's own dates say so; otherwise the upstream record. */
  source: FactSource | 'yaml';
  detail?: string;
}

/** An upstream model the YAML does not list, released after the newest model the YAML lists. */
export interface NewModel {
  id: string;
  type: string;
  released?: string;
  source: FactSource;
  /** The YAML entry sync would add (seeded from both catalogs, as catalog-tools/src/seed-catalog.ts does). */
  spec: ModelSpec;
}

/** A price with an end date inside the warning window. */
export interface ExpiringPrice {
  model: string;
  /** Path inside the model, e.g. `pricing.timeBound[0]`. */
  path: string;
  /** Last day (or the instant) the price applies. */
  until: string;
  /** promotional, introductory or regular, as the YAML says. */
  kind?: string;
}

/** The sync report of one provider YAML. */
export interface ProviderSyncReport {
  provider: string;
  newModels: NewModel[];
  /** Upstream models missing from the YAML that are older than its newest model (chosen out before). */
  notListed: number;
  changes: FactChange[];
  statusChanges: StatusChange[];
  expiringPrices: ExpiringPrice[];
}

/** Options of {@link compareWithUpstream}. */
export interface CompareOptions {
  /** `YYYY-MM-DD`; default today. Dates on or before it have passed. */
  now?: string;
  /** Days ahead in which an ending price is reported. Default 30. */
  expiryWindowDays?: number;
  /**
   * `YYYY-MM-DD`: upstream models released after it that the YAML lacks are new. Default: the
   * newest `released` of the provider's YAML (what it was last reviewed up to).
   */
  newSince?: string;
  /** Whether a model's value at a path has a YAML comment (the YAML writer's reader supplies it). */
  hasComment?: (provider: string, model: string, path: string[]) => boolean;
}

const FIELD_PATHS: Record<Exclude<SyncField, 'capabilities' | 'status'>, string[]> = {
  'pricing.input': ['pricing', 'input'],
  'pricing.output': ['pricing', 'output'],
  'pricing.cacheRead': ['pricing', 'cacheRead'],
  'limits.context': ['limits', 'context'],
  'limits.output': ['limits', 'output'],
};

/** How a `source.notes` names each fact (the seed script's words, and the ones reviewers use). */
const NOTE_WORDS: Record<SyncField, RegExp> = {
  'pricing.input': /input price|\bprices\b|pricing/i,
  'pricing.output': /output price|\bprices\b|pricing/i,
  'pricing.cacheRead': /cache|\bprices\b|pricing/i,
  'limits.context': /context/i,
  'limits.output': /output limit|max output|output tokens/i,
  capabilities: /capabilit/i,
  status: /status|deprecat|retire/i,
};

const read = (object: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    object,
  );

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function find(byId: Map<string, UpstreamModel>, model: ModelSpec, explicit: string | undefined) {
  if (explicit !== undefined) return byId.get(explicit);
  for (const id of [model.id, ...(model.aliases ?? [])]) {
    const found = byId.get(id);
    if (found) return found;
  }
  return undefined;
}

/** Every `until` date inside a model's pricing, whatever shape the schema gives dated prices. */
function untilDates(node: unknown, path: string, out: { path: string; until: string; kind?: string }[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      untilDates(item, `${path}[${i}]`, out);
    });
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.until === 'string')
      out.push({ path, until: record.until, ...(typeof record.kind === 'string' ? { kind: record.kind } : {}) });
    for (const [key, value] of Object.entries(record)) if (key !== 'until') untilDates(value, `${path}.${key}`, out);
  }
}

/**
 * Compares provider YAMLs with the upstream catalogs for `catalog sync` and `catalog check`: new
 * models, changed prices, limits and capabilities (against the source each model follows), status
 * changes (upstream deprecations and retirements, and the YAML's own dates) and prices that end
 * within the window. Each change names its source and what sync may do with it.
 */
export function compareWithUpstream(
  specs: ProviderSpec[],
  upstream: LoadedUpstream,
  options: CompareOptions = {},
): ProviderSyncReport[] {
  const now = options.now ?? new Date().toISOString().slice(0, 10);
  const horizon = addDays(now, options.expiryWindowDays ?? 30);
  return specs.map((spec) => {
    const ids = upstreamIdsOf(spec);
    const fromModelsDev = upstream.modelsDev.filter((model) => model.upstreamProvider === ids.modelsDev);
    const fromLiteLLM = upstream.litellm.filter((model) => ids.litellm.includes(model.upstreamProvider));
    const modelsDevIndex = indexUpstream(fromModelsDev);
    const litellmIndex = indexUpstream(fromLiteLLM);
    const report: ProviderSyncReport = {
      provider: spec.id,
      newModels: [],
      notListed: 0,
      changes: [],
      statusChanges: [],
      expiringPrices: [],
    };
    const covered = new Set<string>();
    for (const model of spec.models ?? []) {
      for (const id of [model.id, ...(model.aliases ?? [])]) covered.add(id);
      const modelsDev = find(modelsDevIndex, model, model.source?.modelsDev);
      const litellm = find(litellmIndex, model, model.source?.litellm);
      if (modelsDev) covered.add(modelsDev.id);
      if (litellm) for (const id of [litellm.id, litellm.key]) if (id) covered.add(id);
      compareFacts(spec.id, model, modelsDev, litellm, upstream, options, report);
      compareStatus(model, modelsDev, litellm, upstream, now, horizon, report);
      const dates: ExpiringPrice[] = [];
      untilDates(model.pricing, 'pricing', dates);
      // `until` is a day or an instant; comparing the day part keeps both right.
      for (const date of dates)
        if (date.until.slice(0, 10) >= now && date.until.slice(0, 10) <= horizon)
          report.expiringPrices.push({ ...date, model: model.id });
    }
    for (const retirement of upstream.retirements) {
      if (retirement.upstreamProvider !== ids.modelsDev) continue;
      const model = spec.models?.find((m) => m.id === retirement.id || m.source?.modelsDev === retirement.id);
      if (!model || model.status === 'retired' || (model.retires && model.replacedBy === retirement.replacedBy))
        continue;
      report.statusChanges.push({
        model: model.id,
        kind: 'retired',
        yamlStatus: model.status,
        replacedBy: retirement.replacedBy,
        source: retirement.source,
        detail: retirement.comment,
      });
    }
    const newest =
      options.newSince ??
      (spec.models ?? []).reduce((max, model) => (model.released && model.released > max ? model.released : max), '');
    const litellmById = new Map(fromLiteLLM.filter(isSeedCandidate).map((model) => [model.id, model]));
    const seen = new Set<string>();
    for (const model of [...fromModelsDev, ...litellmById.values()]) {
      if (!isSeedCandidate(model) || seen.has(model.id)) continue;
      if (covered.has(model.id) || covered.has(snapshotBase(model.id)) || (model.key && covered.has(model.key)))
        continue;
      seen.add(model.id);
      const isNew = model.released !== undefined && model.released > newest;
      if (!isNew) {
        report.notListed += 1;
        continue;
      }
      const pair = model.source === 'models.dev' ? litellmById.get(model.id) : undefined;
      const spec = model.source === 'models.dev' ? seedModel(model, pair) : seedModel(undefined, model);
      const source = upstream.sourceOf(model);
      const entry: NewModel = { id: model.id, type: model.type, source, spec };
      if (model.released) entry.released = model.released;
      report.newModels.push(entry);
    }
    return report;
  });
}

function compareFacts(
  provider: string,
  model: ModelSpec,
  modelsDev: UpstreamModel | undefined,
  litellm: UpstreamModel | undefined,
  upstream: LoadedUpstream,
  options: CompareOptions,
  report: ProviderSyncReport,
): void {
  const follows = model.source?.follows;
  // The record the model follows; a model following the provider's page is compared with models.dev for review.
  const followed = follows === 'litellm' ? litellm : (modelsDev ?? (follows === undefined ? litellm : undefined));
  if (!followed) return;
  const source = upstream.sourceOf(followed);
  const followsThis = follows === followed.source || (follows === undefined && followed.source === 'models.dev');
  const decide = (field: SyncField, path: string[]): Pick<FactChange, 'action' | 'reason'> => {
    const notes = model.source?.notes;
    if (notes && NOTE_WORDS[field].test(notes)) return { action: 'kept', reason: `source.notes: ${notes}` };
    if (options.hasComment?.(provider, model.id, path))
      return { action: 'kept', reason: 'a YAML comment on the value' };
    if (!followsThis) return { action: 'review', reason: `the model follows ${follows ?? 'no source'}` };
    return { action: 'write' };
  };
  for (const [field, path] of Object.entries(FIELD_PATHS) as [SyncField, string[]][]) {
    const yaml = read(model, path);
    const value = read(followed, path);
    if (value === undefined || yaml === undefined || yaml === value) continue;
    if (typeof yaml !== 'number') continue;
    if (path[0] === 'pricing') {
      // An upstream price equal to one of the YAML's dated or time-of-day prices agrees with it.
      if (priceForms(model.pricing, path[1] as PriceRate).includes(value as number)) continue;
      if (hasPriceSchedule(model.pricing)) {
        report.changes.push({
          model: model.id,
          field,
          yaml,
          upstream: value,
          source,
          action: 'review',
          reason: 'the YAML prices this model by date range or time of day',
        });
        continue;
      }
    }
    // LiteLLM's max_input_tokens is an input limit: equal to the YAML's input limit is agreement.
    if (field === 'limits.context' && followed.source === 'litellm' && value === model.limits.input) continue;
    if (field === 'limits.output' && model.type === 'embedding') continue;
    report.changes.push({ model: model.id, field, yaml, upstream: value, source, ...decide(field, path) });
  }
  const yamlCapabilities = new Set(model.capabilities ?? []);
  const added = followed.capabilities.filter((capability) => !yamlCapabilities.has(capability));
  if (added.length > 0)
    report.changes.push({
      model: model.id,
      field: 'capabilities',
      yaml: [...yamlCapabilities],
      upstream: added,
      source,
      ...decide('capabilities', ['capabilities']),
    });
}

function compareStatus(
  model: ModelSpec,
  modelsDev: UpstreamModel | undefined,
  litellm: UpstreamModel | undefined,
  upstream: LoadedUpstream,
  now: string,
  horizon: string,
  report: ProviderSyncReport,
): void {
  // The YAML's own dates (schema: `deprecated`, `retires`, `replacedBy`): passed, or due within the window.
  const successor = model.replacedBy ? { replacedBy: model.replacedBy } : {};
  if (model.retires && model.retires <= horizon && model.status !== 'retired')
    report.statusChanges.push({
      model: model.id,
      kind: 'retired',
      yamlStatus: model.status,
      date: model.retires,
      ...successor,
      source: 'yaml',
      detail: model.retires <= now ? 'retirement date passed' : 'retires within the window',
    });
  else if (model.replacedBy && model.status !== 'retired')
    report.statusChanges.push({
      model: model.id,
      kind: 'replaced',
      yamlStatus: model.status,
      ...successor,
      source: 'yaml',
    });
  if (model.deprecated && model.deprecated <= now && model.status === 'active')
    report.statusChanges.push({
      model: model.id,
      kind: 'deprecated',
      yamlStatus: model.status,
      date: model.deprecated,
      source: 'yaml',
    });
  if (model.status === 'deprecated' || model.status === 'retired') return;
  if (modelsDev?.status === 'deprecated')
    report.statusChanges.push({
      model: model.id,
      kind: 'deprecated',
      yamlStatus: model.status,
      source: upstream.sourceOf(modelsDev),
    });
  else if (litellm?.deprecated && !model.deprecated)
    report.statusChanges.push({
      model: model.id,
      kind: 'deprecated',
      yamlStatus: model.status,
      date: litellm.deprecated,
      source: upstream.sourceOf(litellm),
    });
}
