import { isScalar, isSeq } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { closest } from './diagnostics.js';
import type { YamlSource } from './source.js';
import { diagnosticAt, nodeAt } from './source.js';

/** One canonical capability from `catalog/capabilities.yaml`. */
export interface CapabilityDefinition {
  name: string;
  description: string;
  aliases: string[];
}

/** The capability vocabulary: canonical names and the normalized alias table. */
export interface CapabilityTable {
  /** Sorted by name. */
  definitions: CapabilityDefinition[];
  /** Normalized alias (and canonical name) -> canonical name, sorted by key. */
  aliases: Map<string, string>;
}

/** The key an alias is looked up by: lower case, `_` and spaces as `-`. */
export function normalizeCapabilityKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
}

/** Builds the table from the validated `capabilities.yaml` data; alias clashes are diagnostics. */
export function buildCapabilityTable(
  data: { capabilities: Record<string, { description: string; aliases?: string[] }> },
  source: YamlSource,
): { table: CapabilityTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const names = Object.keys(data.capabilities).sort();
  const definitions = names.map((name) => {
    const entry = data.capabilities[name] ?? { description: '' };
    return { name, description: entry.description, aliases: [...(entry.aliases ?? [])] };
  });
  const aliases = new Map<string, string>();
  for (const definition of definitions) aliases.set(normalizeCapabilityKey(definition.name), definition.name);
  for (const definition of definitions) {
    definition.aliases.forEach((alias, index) => {
      const key = normalizeCapabilityKey(alias);
      const existing = aliases.get(key);
      if (existing !== undefined && existing !== definition.name) {
        diagnostics.push(
          diagnosticAt(
            source,
            ['capabilities', definition.name, 'aliases', index],
            `alias '${alias}' already means '${existing}'`,
          ),
        );
      }
      if (existing === undefined) aliases.set(key, definition.name);
    });
  }
  const sorted = new Map([...aliases.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { table: { definitions, aliases: sorted }, diagnostics };
}

/**
 * Rewrites every capability in a provider document (provider-level and per model) to its canonical
 * name, in place, so validation and generation only see canonical names. Unknown names are reported
 * at their node with the closest canonical name.
 */
export function normalizeCapabilities(source: YamlSource, table: CapabilityTable): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const lists: (string | number)[][] = [['capabilities']];
  const models = nodeAt(source, ['models']);
  if (isSeq(models)) {
    for (let index = 0; index < models.items.length; index++) lists.push(['models', index, 'capabilities']);
  }
  for (const path of lists) {
    const list = nodeAt(source, path);
    if (!isSeq(list)) continue;
    list.items.forEach((item, index) => {
      if (!isScalar(item) || typeof item.value !== 'string') return;
      const canonical = canonicalCapability(item.value, table);
      if (canonical !== undefined) {
        item.value = canonical;
        return;
      }
      const suggestion = suggestCapability(item.value, table);
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
      diagnostics.push(diagnosticAt(source, [...path, index], `unknown capability '${item.value}'${hint}`));
    });
  }
  return diagnostics;
}

/** The canonical name for a name or alias (a `supports_` prefix is optional, as in core's queries). */
export function canonicalCapability(name: string, table: CapabilityTable): string | undefined {
  const key = normalizeCapabilityKey(name);
  return (
    table.aliases.get(key) ??
    (key.startsWith('supports-') ? table.aliases.get(key.slice('supports-'.length)) : undefined)
  );
}

/** The canonical name whose name or alias is closest to an unknown capability. */
export function suggestCapability(name: string, table: CapabilityTable): string | undefined {
  const key = normalizeCapabilityKey(name);
  const match = closest(key, table.aliases.keys(), Math.max(3, Math.floor(key.length / 2)));
  return match === undefined ? undefined : table.aliases.get(match);
}
