import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Output } from '../output.ts';

/** Where editors find the published schema (core ships `schema/`; unpkg serves the latest release). */
export const PUBLISHED_SCHEMA_URL = 'https://unpkg.com/@switchboard/core/schema/provider.schema.json';

/**
 * `packages/core/schema/`: the provider schema and the commented starter file, copied from `catalog/`
 * so `@switchboard/core/yaml` validates run-time YAML providers against the very schema codegen uses,
 * and `switchboard provider init` writes the very template the catalog starts from. The template's
 * modeline points at the published schema, since a user's file is nowhere near `catalog/schema/`.
 */
export function buildCoreSchema(catalogDir: string): Output[] {
  const schema = readFileSync(path.join(catalogDir, 'schema/provider.schema.json'), 'utf8');
  const template = readFileSync(path.join(catalogDir, 'providers/_template.yaml'), 'utf8');
  return [
    { kind: 'text', path: 'packages/core/schema/provider.schema.json', text: schema },
    { kind: 'text', path: 'packages/core/schema/provider-template.yaml', text: userTemplate(template) },
  ];
}

/** The catalog's template as a user's file: published-schema modeline, npm-user instructions. */
function userTemplate(template: string): string {
  const lines = template.split('\n');
  const body = lines.findIndex((line) => !line.startsWith('#'));
  const header = [
    `# yaml-language-server: $schema=${PUBLISHED_SCHEMA_URL}`,
    '# A Switchboard provider: fill in, delete what does not apply, then check it with',
    '# `switchboard provider check <file>` and load it with `providerFromYaml(file)` from',
    '# `@switchboard/core/yaml`. Every field is documented in the schema above (editors complete them).',
  ];
  return [...header, ...lines.slice(body)].join('\n');
}
