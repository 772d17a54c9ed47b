import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseToml } from 'smol-toml';

type Json = Record<string, unknown>;

/** Where one resolved models.dev record came from: its TOML file and the models.dev commit, when known. */
export interface TreeProvenance {
  /** Path inside the tree, e.g. `providers/deepseek/models/deepseek-flash.toml`. */
  file: string;
  /** models.dev commit of the file (from the tree's `PROVENANCE.tsv`), when the copy recorded one. */
  commit?: string;
  /** The file's `#` comments, which sometimes carry facts the fields do not (a retirement, a promotion). */
  comments: string[];
}

/** A models.dev TOML tree resolved into `api.json`'s shape, with the file of every model. */
export interface ResolvedTree {
  /** `{ providerId: { id, models: { modelId: {...} } } }`, as https://models.dev/api.json. */
  api: Record<string, { id: string; models: Record<string, Json> }>;
  /** `<provider>/<model>` -> where it came from. */
  provenance: Map<string, TreeProvenance>;
}

/** Fields models.dev does not inherit from a `base_model` (its generation rules). */
const NOT_INHERITED = ['benchmarks', 'license', 'links', 'weights'];

const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
    ? (value as Json)
    : undefined;

/** Whether a folder holds models.dev's TOML layout (`providers/<id>/models/*.toml`). */
export function isModelsDevTree(dir: string): boolean {
  return existsSync(join(dir, 'providers')) && statSync(join(dir, 'providers')).isDirectory();
}

function tomlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tomlFiles(path));
    else if (entry.name.endsWith('.toml')) out.push(path);
  }
  return out.sort();
}

function readToml(path: string): Json {
  try {
    return parseToml(readFileSync(path, 'utf8')) as Json;
  } catch (error) {
    throw new Error(`${path}: not valid TOML: ${(error as Error).message}`, { cause: error });
  }
}

function commentsOf(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('#'))
    .map((line) => line.trimStart().replace(/^#+\s?/, ''));
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const left = asObject(out[key]);
    const right = asObject(value);
    out[key] = left && right ? deepMerge(left, right) : value;
  }
  return out;
}

function omit(record: Json, path: string): void {
  const parts = path.split('.');
  let node: Json | undefined = record;
  for (const part of parts.slice(0, -1)) node = asObject(node?.[part]);
  const last = parts.at(-1);
  if (node && last) delete node[last];
}

/** TOML dates and numbers to plain JSON values (models.dev writes dates as strings, but TOML allows both). */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(toJson);
  const object = asObject(value);
  if (object) return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, toJson(item)]));
  if (typeof value === 'object' && value !== null && 'toString' in value) return String(value);
  return value;
}

function readProvenanceTable(dir: string): Map<string, string> {
  const table = new Map<string, string>();
  const path = join(dir, 'PROVENANCE.tsv');
  if (!existsSync(path)) return table;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [file, commit] = line.split('\t');
    if (file && commit && commit.trim() !== 'unknown') table.set(file.trim(), commit.trim());
  }
  return table;
}

/**
 * Resolves a models.dev TOML tree (the repository's layout, or a partial copy of it such as the
 * post-July sample) into api.json's shape, as models.dev's generator does: a provider model file is
 * deep-merged over its `base_model` file (`models/<lab>/<model>.toml`), `base_model_omit` paths are
 * removed, and benchmarks, license, links and weights are not inherited. A `base_model` missing from
 * this tree is looked up in `fallbackDirs` (an older full tree); when it is nowhere, the provider file's own
 * fields stand alone, so a partial sample still resolves.
 */
export function resolveModelsDevTree(dir: string, fallbackDirs: string[] = []): ResolvedTree {
  const api: ResolvedTree['api'] = {};
  const provenance = new Map<string, TreeProvenance>();
  const commits = readProvenanceTable(dir);
  const providersDir = join(dir, 'providers');
  const baseCache = new Map<string, Json | undefined>();
  const base = (id: string): Json | undefined => {
    if (!baseCache.has(id)) {
      const found = [dir, ...fallbackDirs].map((root) => join(root, 'models', `${id}.toml`)).find(existsSync);
      baseCache.set(id, found ? readToml(found) : undefined);
    }
    return baseCache.get(id);
  };
  const providers = existsSync(providersDir)
    ? readdirSync(providersDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    : [];
  for (const provider of providers.map((entry) => entry.name).sort()) {
    const modelsDir = join(providersDir, provider, 'models');
    const models: Record<string, Json> = {};
    for (const path of tomlFiles(modelsDir)) {
      const id = relative(modelsDir, path)
        .split(sep)
        .join('/')
        .replace(/\.toml$/, '');
      let raw = readToml(path);
      const baseId = typeof raw.base_model === 'string' ? raw.base_model : undefined;
      if (baseId) {
        // A partial copy may lack the base file: the provider file's own fields are then all there is.
        const copy = structuredClone(base(baseId) ?? {});
        for (const key of NOT_INHERITED) delete copy[key];
        raw = deepMerge(copy, raw);
        const omitted = Array.isArray(raw.base_model_omit) ? raw.base_model_omit.map(String) : [];
        for (const path of omitted) omit(raw, path);
        delete raw.base_model;
        delete raw.base_model_omit;
      }
      models[id] = { id, ...(toJson(raw) as Json) };
      const file = relative(dir, path).split(sep).join('/');
      const entry: TreeProvenance = { file, comments: commentsOf(path) };
      const commit = commits.get(file);
      if (commit) entry.commit = commit;
      provenance.set(`${provider}/${id}`, entry);
    }
    api[provider] = { id: provider, models };
  }
  return { api, provenance };
}
