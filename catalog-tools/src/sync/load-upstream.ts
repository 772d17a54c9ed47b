import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseLiteLLM } from '../litellm.js';
import { parseModelsDev } from '../models-dev.js';
import type { UpstreamModel } from '../types.js';
import { isModelsDevTree, resolveModelsDevTree } from './models-dev-tree.js';
import {
  DEFAULT_LITELLM_URL,
  DEFAULT_MODELS_DEV_URL,
  type ReadLocationOptions,
  readJsonLocation,
} from './read-location.js';

/** Where to read the upstream catalogs from. Nothing given means the public URLs. */
export interface UpstreamLocations extends ReadLocationOptions {
  /** models.dev `api.json`: URL or file. */
  modelsDev?: string;
  /** LiteLLM's cost map: URL or file. */
  litellm?: string;
  /**
   * Snapshot folders, read in order (later ones win): the shared layout (`models.dev/api.generated.json`,
   * `litellm/model_prices_and_context_window.json`, and any `models.dev-*` TOML tree beside them,
   * such as the post-July sample), or a models.dev TOML tree itself (`providers/`, `models/`).
   */
  dirs?: string[];
  /** `YYYY-MM-DD` against which LiteLLM's deprecation dates are judged. */
  now?: string;
}

/** The source of one upstream fact, precise enough to cite in a YAML `source:`. */
export interface FactSource {
  catalog: 'models.dev' | 'litellm';
  /** The upstream id (LiteLLM: its key). */
  id: string;
  /** The URL, file or folder the record was read from. */
  location: string;
  /** The TOML file inside a models.dev tree, and its commit when known. */
  file?: string;
  commit?: string;
}

/** A retirement an upstream file states only in a comment ("legacy X retired"), with its successor. */
export interface CommentedRetirement {
  upstreamProvider: string;
  id: string;
  replacedBy: string;
  comment: string;
  source: FactSource;
}

/** Both upstream catalogs, read and normalized, with the source of every record. */
export interface LoadedUpstream {
  modelsDev: UpstreamModel[];
  litellm: UpstreamModel[];
  /** Everything that was read, in order. */
  locations: string[];
  retirements: CommentedRetirement[];
  sourceOf(model: UpstreamModel): FactSource;
}

type Api = Record<string, { id?: string; models?: Record<string, Record<string, unknown>> }>;

const LITELLM_FILE = ['litellm', 'model_prices_and_context_window.json'];
const MODELS_DEV_FILES = [
  ['models.dev', 'api.generated.json'],
  ['models.dev', 'api.json'],
];

const RETIRED_IN_COMMENT = /legacy ([\w.:/-]+) retired|([\w.:/-]+) (?:is )?retired in favou?r of/i;

/**
 * Reads models.dev and LiteLLM from URLs, files or snapshot folders and normalizes both. TOML trees
 * (the post-July sample) overlay the models.dev records of the same provider and id, and each record
 * remembers its file and commit, so a report can cite it.
 */
export async function loadUpstream(locations: UpstreamLocations = {}): Promise<LoadedUpstream> {
  const read: string[] = [];
  let api: Api | undefined;
  let apiLocation = '';
  let litellmData: unknown;
  let litellmLocation = '';
  const overlays: { dir: string; fallbacks: string[] }[] = [];
  const fallbacks: string[] = [];

  for (const dir of locations.dirs ?? []) {
    if (!existsSync(dir)) throw new Error(`--upstream ${dir}: no such folder`);
    const apiFile = MODELS_DEV_FILES.map((parts) => join(dir, ...parts)).find(existsSync);
    if (apiFile) {
      api = (await readJsonLocation(apiFile, locations)) as Api;
      apiLocation = apiFile;
      read.push(apiFile);
    }
    if (existsSync(join(dir, 'models.dev', 'models'))) fallbacks.unshift(join(dir, 'models.dev'));
    const litellmFile = join(dir, ...LITELLM_FILE);
    if (existsSync(litellmFile)) {
      litellmData = await readJsonLocation(litellmFile, locations);
      litellmLocation = litellmFile;
      read.push(litellmFile);
    }
    const trees = isModelsDevTree(dir)
      ? [dir]
      : readdirSync(dir, { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && entry.name.startsWith('models.dev'))
          .map((entry) => join(dir, entry.name))
          .filter(isModelsDevTree)
          .sort();
    for (const tree of trees) overlays.push({ dir: tree, fallbacks });
    if (!apiFile && !existsSync(litellmFile) && trees.length === 0)
      throw new Error(
        `--upstream ${dir}: holds neither models.dev/api.generated.json, litellm/model_prices_and_context_window.json nor a models.dev TOML tree`,
      );
  }
  const nothingGiven = !locations.modelsDev && !locations.litellm && (locations.dirs ?? []).length === 0;
  const modelsDevLocation = locations.modelsDev ?? (nothingGiven ? DEFAULT_MODELS_DEV_URL : undefined);
  const litellmLocationGiven = locations.litellm ?? (nothingGiven ? DEFAULT_LITELLM_URL : undefined);
  if (modelsDevLocation) {
    api = (await readJsonLocation(modelsDevLocation, locations)) as Api;
    apiLocation = modelsDevLocation;
    read.push(modelsDevLocation);
  }
  if (litellmLocationGiven) {
    litellmData = await readJsonLocation(litellmLocationGiven, locations);
    litellmLocation = litellmLocationGiven;
    read.push(litellmLocationGiven);
  }

  const merged: Api = structuredClone(api ?? {});
  const sources = new Map<string, FactSource>();
  const retirements: CommentedRetirement[] = [];
  for (const overlay of overlays) {
    const tree = resolveModelsDevTree(overlay.dir, overlay.fallbacks);
    read.push(overlay.dir);
    for (const [provider, { models }] of Object.entries(tree.api)) {
      const entry = merged[provider] ?? { id: provider };
      const target = entry.models ?? {};
      entry.models = target;
      merged[provider] = entry;
      for (const [id, record] of Object.entries(models)) {
        target[id] = record;
        const provenance = tree.provenance.get(`${provider}/${id}`);
        const source: FactSource = { catalog: 'models.dev', id, location: overlay.dir };
        if (provenance?.file) source.file = provenance.file;
        if (provenance?.commit) source.commit = provenance.commit;
        sources.set(`models.dev|${provider}|${id}`, source);
        for (const comment of provenance?.comments ?? []) {
          const match = RETIRED_IN_COMMENT.exec(comment);
          const retired = match?.[1] ?? match?.[2];
          if (retired && retired !== id)
            retirements.push({ upstreamProvider: provider, id: retired, replacedBy: id, comment, source });
        }
      }
    }
  }
  const litellmOptions = locations.now ? { now: locations.now } : {};
  return {
    modelsDev: parseModelsDev(merged),
    litellm: litellmData === undefined ? [] : parseLiteLLM(litellmData, litellmOptions),
    locations: read,
    retirements,
    sourceOf(model) {
      const known = sources.get(`${model.source}|${model.upstreamProvider}|${model.id}`);
      if (known) return known;
      return model.source === 'models.dev'
        ? { catalog: 'models.dev', id: model.id, location: apiLocation }
        : { catalog: 'litellm', id: model.key ?? model.id, location: litellmLocation };
    },
  };
}

/** One line naming a source: `models.dev providers/x/models/y.toml@abc1234` or `litellm <key> (<location>)`. */
export function describeSource(source: FactSource): string {
  if (source.file) return `${source.catalog} ${source.file}${source.commit ? `@${source.commit.slice(0, 12)}` : ''}`;
  return `${source.catalog} ${source.id} (${source.location})`;
}
