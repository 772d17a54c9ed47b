import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostics.ts';
import { closest } from './diagnostics.ts';
import type { YamlSource } from './source.ts';
import { diagnosticAt } from './source.ts';

/** Compiles a JSON Schema (draft 2020-12) the way every catalog file is checked: strict, all errors. */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
  return ajv.compile(schema);
}

/** Runs a compiled schema over a document's data and maps each error back to its YAML node. */
export function validateAgainstSchema(validate: ValidateFunction, data: unknown, source: YamlSource): Diagnostic[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    const diagnostic = toDiagnostic(error, source);
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.path}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** `/models/3/pricing` -> `['models', 3, 'pricing']`. */
export function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

function toDiagnostic(error: ErrorObject, source: YamlSource): Diagnostic {
  const path = parsePointer(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(key, known);
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
      return diagnosticAt(source, [...path, key], `unknown key '${key}'${hint}`, { key: true });
    }
    case 'required':
      return diagnosticAt(source, path, `missing required key '${String(error.params.missingProperty)}'`);
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map((value) => String(value)).join(', ');
      return diagnosticAt(source, path, `must be one of: ${allowed}`);
    }
    default:
      return diagnosticAt(source, path, error.message ?? error.keyword);
  }
}
