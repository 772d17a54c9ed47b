import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Diagnostic } from './diagnostics.js';
import { closest } from './diagnostics.js';
import type { YamlSource } from './source.js';
import { diagnosticAt } from './source.js';

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
  for (const error of withoutBranchNoise(validate.errors ?? [])) {
    const diagnostic = toDiagnostic(error, source);
    const key = `${diagnostic.line}:${diagnostic.column}:${diagnostic.path}:${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/**
 * A value that may take one of several shapes (`oneOf`: a variable name or a list of names) fails
 * every branch, and Ajv reports each: "must be array" for a string, then "must match exactly one
 * schema". Only what is wrong inside the shape the value has is kept (a name's pattern, a list item);
 * a value of no allowed shape gets one "must be string or array".
 */
function withoutBranchNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const branching = new Set(errors.filter((error) => error.keyword === 'oneOf').map((error) => error.instancePath));
  if (branching.size === 0) return [...errors];
  const out: ErrorObject[] = [];
  for (const path of branching) {
    const under = (error: ErrorObject) => error.instancePath === path || error.instancePath.startsWith(`${path}/`);
    const specific = errors.filter((error) => under(error) && error.keyword !== 'oneOf' && error.keyword !== 'type');
    if (specific.length > 0) continue;
    const types = errors.filter((error) => error.instancePath === path && error.keyword === 'type');
    const oneOf = errors.find((error) => error.instancePath === path && error.keyword === 'oneOf') as ErrorObject;
    const names = types.map((error) => String(error.params.type));
    out.push({ ...oneOf, keyword: 'type', message: `must be ${names.join(' or ')}` });
  }
  for (const error of errors) {
    if (branching.has(error.instancePath) && (error.keyword === 'oneOf' || error.keyword === 'type')) continue;
    out.push(error);
  }
  return out;
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
