/**
 * Seeds the `models:` section of a provider YAML from the two upstream catalogs (models.dev and
 * LiteLLM), cross-checked: every model records the ids it came from, which source it follows and
 * what disagreed. The output is a starting point to review by hand, not a file to commit blindly.
 *
 *   node catalog-tools/src/seed-catalog.ts <provider-id> [--match <regex>] [--exclude <regex>] [--no-litellm-only]
 *
 * Upstream ids come from the provider YAML's `upstream:` when the file exists (read with a small
 * line scan, no YAML dependency), else from the table below. The upstream directory is
 * SWITCHBOARD_UPSTREAM_DIR, else ../shared/upstream-catalogs found walking up from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Run from a checkout without a build: the tooling's sources import siblings as `./x.js` (NodeNext
// style), which under Node's type stripping are `./x.ts`, so resolve the one to the other; and
// workspace packages resolve to their sources through the `@switchboard/source` condition.
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolveContext = specifier.startsWith('@switchboard/')
      ? { ...context, conditions: [...context.conditions, '@switchboard/source'] }
      : context;
    try {
      return nextResolve(specifier, resolveContext);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js'))
        return nextResolve(`${specifier.slice(0, -3)}.ts`, resolveContext);
      throw error;
    }
  },
});

const upstream: typeof import('./index.js') = await import('./index.js');

/** The repository root: this file is catalog-tools/src/seed-catalog.ts (or dist/seed-catalog.js). */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Upstream ids of the providers Switchboard ships, for when the YAML does not exist yet. */
const KNOWN_UPSTREAM: Record<string, { modelsDev?: string; litellm: string[] }> = {
  openai: { modelsDev: 'openai', litellm: ['openai'] },
  anthropic: { modelsDev: 'anthropic', litellm: ['anthropic'] },
  gemini: { modelsDev: 'google', litellm: ['gemini'] },
  bedrock: { modelsDev: 'amazon-bedrock', litellm: ['bedrock_converse', 'bedrock'] },
  'azure-openai': { modelsDev: 'azure', litellm: ['azure'] },
  groq: { modelsDev: 'groq', litellm: ['groq'] },
  mistral: { modelsDev: 'mistral', litellm: ['mistral'] },
  perplexity: { modelsDev: 'perplexity', litellm: ['perplexity'] },
  xai: { modelsDev: 'xai', litellm: ['xai'] },
  openrouter: { modelsDev: 'openrouter', litellm: ['openrouter'] },
  deepseek: { modelsDev: 'deepseek', litellm: ['deepseek'] },
  together: { modelsDev: 'togetherai', litellm: ['together_ai'] },
  ollama: { litellm: ['ollama'] },
  lmstudio: { modelsDev: 'lmstudio', litellm: [] },
  vllm: { litellm: [] },
};

function upstreamFromYaml(id: string): { modelsDev?: string; litellm: string[] } | undefined {
  const path = join(root, 'catalog', 'providers', `${id}.yaml`);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const block = /^upstream:\n((?:[ \t]+.*\n)+)/m.exec(text)?.[1];
  if (!block) return undefined;
  const modelsDev = /modelsDev:\s*["']?([^"'\s#]+)/.exec(block)?.[1];
  const list = /litellm:\s*\[([^\]]*)\]/.exec(block)?.[1];
  const litellm = list
    ? list
        .split(',')
        .map((item) => item.trim().replace(/^["']|["']$/g, ''))
        .filter(Boolean)
    : [];
  return modelsDev ? { modelsDev, litellm } : { litellm };
}

// --- a small YAML writer for the shapes a ModelSpec has -------------------------------------------

const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.\-/: ]*$/;
function scalar(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const ambiguous =
    /^(true|false|null|yes|no|on|off|~|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(text) ||
    /: |:$| #/.test(text) ||
    /^\d{4}-\d{2}/.test(text);
  return PLAIN.test(text) && !ambiguous ? text : JSON.stringify(text);
}

function isFlat(value: unknown): boolean {
  if (Array.isArray(value)) return value.every((item) => item === null || typeof item !== 'object');
  if (value !== null && typeof value === 'object')
    return Object.values(value).every((item) => item === null || typeof item !== 'object');
  return true;
}

function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(scalar).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([key, item]) => `${key}: ${scalar(item)}`)
      .join(', ')} }`;
  }
  return scalar(value);
}

function writeValue(key: string, value: unknown, indent: string, lines: string[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') {
    lines.push(`${indent}${key}: ${scalar(value)}`);
  } else if (isFlat(value) && flow(value).length + indent.length + key.length < (Array.isArray(value) ? 240 : 110)) {
    lines.push(`${indent}${key}: ${flow(value)}`);
  } else if (Array.isArray(value)) {
    lines.push(`${indent}${key}:`);
    for (const item of value) writeListItem(item, `${indent}  `, lines);
  } else {
    lines.push(`${indent}${key}:`);
    for (const [child, item] of Object.entries(value)) writeValue(child, item, `${indent}  `, lines);
  }
}

function writeListItem(item: unknown, indent: string, lines: string[]): void {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    lines.push(`${indent}- ${flow(item)}`);
    return;
  }
  if (isFlat(item) && flow(item).length + indent.length < 110) {
    lines.push(`${indent}- ${flow(item)}`);
    return;
  }
  const inner: string[] = [];
  for (const [key, value] of Object.entries(item)) writeValue(key, value, `${indent}  `, inner);
  if (inner[0]) inner[0] = `${indent}- ${inner[0].slice(indent.length + 2)}`;
  lines.push(...inner);
}

/** Field order of a model in the YAML, so files read the same everywhere. */
const MODEL_KEYS = [
  'id',
  'name',
  'aliases',
  'family',
  'type',
  'status',
  'released',
  'deprecated',
  'retires',
  'knowledge',
  'limits',
  'modalities',
  'capabilities',
  'reasoning',
  'pricing',
  'embedding',
  'openWeights',
  'quality',
  'speed',
  'unsupportedParams',
  'source',
];

const TIER_KEYS = ['above', 'input', 'output', 'cacheRead', 'cacheWrite', 'reasoning'];
function orderKeys(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in value) out[key] = value[key];
  return out;
}

export function modelsToYaml(models: object[]): string {
  const lines = ['models:'];
  for (const model of models) {
    const ordered: Record<string, unknown> = {};
    for (const key of MODEL_KEYS) if (key in model) ordered[key] = (model as Record<string, unknown>)[key];
    const pricing = ordered.pricing as { tiers?: Record<string, unknown>[] } | undefined;
    if (pricing?.tiers) pricing.tiers = pricing.tiers.map((tier) => orderKeys(tier, TIER_KEYS));
    writeListItem(ordered, '  ', lines);
  }
  return `${lines.join('\n')}\n`;
}

// --- main -----------------------------------------------------------------------------------------

function main(argv: string[]): void {
  const args = [...argv];
  const id = args.shift();
  if (!id || id.startsWith('-')) {
    process.stderr.write(
      'usage: node catalog-tools/src/seed-catalog.ts <provider-id> [--match <regex>] [--exclude <regex>] [--no-litellm-only]\n',
    );
    process.exit(2);
  }
  let match: RegExp | undefined;
  let exclude: RegExp | undefined;
  let litellmOnly = true;
  while (args.length > 0) {
    const flag = args.shift();
    if (flag === '--match') match = new RegExp(args.shift() ?? '');
    else if (flag === '--exclude') exclude = new RegExp(args.shift() ?? '');
    else if (flag === '--no-litellm-only') litellmOnly = false;
    else throw new Error(`unknown option ${flag}`);
  }
  const ids = upstreamFromYaml(id) ?? KNOWN_UPSTREAM[id] ?? { modelsDev: id, litellm: [id] };
  const dir = upstream.defaultUpstreamDir(root);
  if (!dir) throw new Error('upstream catalogs not found; set SWITCHBOARD_UPSTREAM_DIR');
  const paths = upstream.upstreamPaths(dir);
  const modelsDev = ids.modelsDev
    ? upstream.loadModelsDev(paths.modelsDev).filter((model) => model.upstreamProvider === ids.modelsDev)
    : [];
  const litellm =
    ids.litellm.length > 0
      ? upstream.loadLiteLLM(paths.litellm).filter((model) => ids.litellm.includes(model.upstreamProvider))
      : [];
  const models = upstream.seedModels(modelsDev, litellm, {
    include: (modelId) => (!match || match.test(modelId)) && !(exclude?.test(modelId) ?? false),
    litellmOnly,
  });
  process.stdout.write(
    `# Seeded by catalog-tools/src/seed-catalog.ts ${argv.join(' ')} from models.dev (${ids.modelsDev ?? '-'}) and LiteLLM (${ids.litellm.join(', ') || '-'}); review before committing.\n`,
  );
  process.stdout.write(modelsToYaml(models));
  process.stderr.write(
    `seed-catalog: ${models.length} models (${modelsDev.length} models.dev, ${litellm.length} LiteLLM records)\n`,
  );
}

main(process.argv.slice(2));
