import { readFileSync } from 'node:fs';
import { CANONICAL_CAPABILITIES, CAPABILITY_ALIASES, CAPABILITY_DESCRIPTIONS } from '../generated/capabilities.js';
import type { CapabilityTable } from './capability-table.js';
import type { CatalogContext } from './provider-text.js';
import { compileSchema } from './validate.js';

/**
 * Where the provider schema ships: `schema/provider.schema.json` at the package root (codegen copies
 * it from `catalog/schema/`), the same two levels up from `src/yaml/` and from `dist/yaml/`. It is a
 * published file, not a bundled module, so editors can point a `$schema` modeline at it on unpkg.
 */
export const PROVIDER_SCHEMA_URL = new URL('../../schema/provider.schema.json', import.meta.url);

/** The commented starter `switchboard provider init` writes (codegen copies `catalog/providers/_template.yaml`). */
export const PROVIDER_TEMPLATE_URL = new URL('../../schema/provider-template.yaml', import.meta.url);

let cached: CatalogContext | undefined;

/**
 * The validation context outside the repository: the shipped schema, and the capability vocabulary
 * core was generated with (the same table codegen builds from `catalog/capabilities.yaml`). Compiled
 * once per process.
 */
export function shippedContext(): CatalogContext {
  if (cached) return cached;
  const definitions = CANONICAL_CAPABILITIES.map((name) => ({
    name,
    description: CAPABILITY_DESCRIPTIONS[name],
    aliases: Object.entries(CAPABILITY_ALIASES)
      .filter(([alias, canonical]) => canonical === name && alias !== name)
      .map(([alias]) => alias),
  }));
  const capabilities: CapabilityTable = { definitions, aliases: new Map(Object.entries(CAPABILITY_ALIASES)) };
  const schema = JSON.parse(readFileSync(PROVIDER_SCHEMA_URL, 'utf8')) as object;
  cached = { capabilities, validateProvider: compileSchema(schema) };
  return cached;
}
