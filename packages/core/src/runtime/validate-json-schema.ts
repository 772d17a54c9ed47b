/**
 * Checks the JSON Schemas of a request (tool `parameters`, structured-output `schema`) with ajv
 * before they reach a provider: a circular schema (which would throw a raw TypeError in
 * `JSON.stringify`) or an invalid one (`type: 'objekt'`, a `$ref` to nothing) is refused naming the
 * field. Zod schemas are not checked here: they are converted by zod itself, which only produces
 * valid JSON Schema.
 *
 * Cost: ajv is required on the first request that carries a JSON Schema (a plain chat never loads
 * it, nor does importing core), and each schema is compiled once: the result is kept per schema
 * object (a WeakMap, the repeat-call path is one lookup) and per schema text (a small bounded map,
 * for callers that build an equal tools array on every call).
 *
 * ajv is an optional peer of core, like zod (it would double the installed size of core plus a
 * provider, issue 13's 5 MB budget). Without it a structural check still refuses circular schemas,
 * unknown `type` names and malformed `properties` / `required` / `items`, and tool arguments of JSON
 * Schema tools are not validated locally; a one-time process warning says to install ajv.
 */
import type { Ajv, AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import { isSchemaLike } from './json-schema.js';
import { fail, isRecord, RequestValidationError } from './validate-field.js';

type AjvClass = typeof Ajv;
type Draft = 'draft-07' | '2019-09' | '2020-12';

/** How many schema texts are remembered; beyond it the oldest entry goes. */
const TEXT_CACHE_LIMIT = 256;

const bySchemaObject = new WeakMap<object, ValidateFunction>();
const bySchemaText = new Map<string, ValidateFunction>();
const validators = new Map<Draft, Ajv>();

/** False once a require of ajv failed: it is not installed (an optional peer). */
let ajvInstalled = true;

/** Loads an ajv entry, or undefined (with a one-time warning) when ajv is not installed. */
function loadAjv(entry: string): { default?: AjvClass } | undefined {
  if (!ajvInstalled) return undefined;
  const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
  try {
    return nodeModule.createRequire(import.meta.url)(entry) as { default?: AjvClass };
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    ajvInstalled = false;
    process.emitWarning(
      'ajv is not installed: JSON Schemas in requests get a structural check only and tool arguments of JSON Schema tools are not validated (npm install ajv)',
      { type: 'SwitchboardWarning', code: 'SWITCHBOARD_NO_AJV' },
    );
    return undefined;
  }
}

/** One ajv per draft, created on first use (synchronous require: validation stays synchronous). */
function ajvFor(draft: Draft): Ajv | undefined {
  let ajv = validators.get(draft);
  if (ajv === undefined) {
    const exported = loadAjv(draft === '2020-12' ? 'ajv/dist/2020' : draft === '2019-09' ? 'ajv/dist/2019' : 'ajv');
    if (exported === undefined) return undefined;
    const AjvConstructor = (exported.default ?? exported) as AjvClass;
    // strict off: providers accept schemas with extra keywords (`x-*`, `examples`, OpenAPI leftovers);
    // the check is that the schema is well formed, not that it uses only core keywords.
    ajv = new AjvConstructor({ strict: false, validateFormats: false, logger: false });
    validators.set(draft, ajv);
  }
  return ajv;
}

/** The draft a schema declares through `$schema` (draft-07 when it declares none or an older one). */
function draftOf(schema: Record<string, unknown>): Draft {
  const declared = schema.$schema;
  if (typeof declared !== 'string') return 'draft-07';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  return 'draft-07';
}

/** Throws naming the path of the first object that contains itself (a schema must be a tree). */
function rejectCycles(value: unknown, field: string, ancestors: object[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (ancestors.includes(value))
    throw new RequestValidationError(field, 'is circular: it contains itself, so it cannot be sent as JSON');
  ancestors.push(value);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) rejectCycles(value[i], `${field}[${i}]`, ancestors);
  else
    for (const key of Object.keys(value))
      rejectCycles((value as Record<string, unknown>)[key], `${field}.${key}`, ancestors);
  ancestors.pop();
}

/** `/properties/city/type` → `.properties.city.type`. */
function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      return /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
    })
    .join('');
}

function describeSchemaError(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return allowed === undefined ? (error.message ?? 'is invalid') : `${error.message}: ${allowed.join(', ')}`;
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/**
 * What can be checked without ajv: `type` names, `properties` an object of schemas, `required` a
 * list of strings, `items` a schema (or a list of them), recursively.
 */
function checkStructure(value: unknown, field: string): void {
  if (typeof value === 'boolean') return;
  if (!isRecord(value)) throw new RequestValidationError(field, 'is not valid JSON Schema: a schema must be an object');
  const type = value.type;
  for (const name of Array.isArray(type) ? type : type === undefined ? [] : [type])
    if (typeof name !== 'string' || !JSON_TYPES.has(name))
      throw new RequestValidationError(
        `${field}.type`,
        `is not valid JSON Schema: must be one of ${[...JSON_TYPES].join(', ')}`,
      );
  if (value.properties !== undefined) {
    if (!isRecord(value.properties))
      throw new RequestValidationError(`${field}.properties`, 'is not valid JSON Schema: must be an object');
    for (const [key, property] of Object.entries(value.properties))
      checkStructure(property, `${field}.properties.${key}`);
  }
  if (
    value.required !== undefined &&
    !(Array.isArray(value.required) && value.required.every((k) => typeof k === 'string'))
  )
    throw new RequestValidationError(`${field}.required`, 'is not valid JSON Schema: must be a list of strings');
  const items = value.items;
  if (Array.isArray(items)) for (let i = 0; i < items.length; i++) checkStructure(items[i], `${field}.items[${i}]`);
  else if (items !== undefined) checkStructure(items, `${field}.items`);
}

function compile(field: string, schema: Record<string, unknown>): ValidateFunction | undefined {
  rejectCycles(schema, field, []);
  const text = JSON.stringify(schema);
  const known = bySchemaText.get(text);
  if (known !== undefined) return known;
  const ajv = ajvFor(draftOf(schema));
  if (ajv === undefined) {
    checkStructure(schema, field);
    return undefined;
  }
  // `$schema` is dropped before sending (json-schema.ts), and ajv knows no meta-schema older than draft-07.
  const { $schema: _declared, ...body } = schema;
  if (ajv.validateSchema(body as AnySchema) !== true) {
    const first = (ajv.errors ?? [])[0];
    const at = first === undefined ? '' : pointerToPath(first.instancePath);
    throw new RequestValidationError(
      `${field}${at}`,
      `is not valid JSON Schema: ${first === undefined ? ajv.errorsText() : describeSchemaError(first)}`,
    );
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(body);
  } catch (cause) {
    throw new RequestValidationError(field, `is not valid JSON Schema: ${(cause as Error).message}`, cause);
  } finally {
    // ajv keeps every compiled schema (and its `$id`) otherwise: this cache is the only one.
    ajv.removeSchema(body as AnySchema);
  }
  if (bySchemaText.size >= TEXT_CACHE_LIMIT) bySchemaText.delete(bySchemaText.keys().next().value as string);
  bySchemaText.set(text, validate);
  return validate;
}

/**
 * Throws `RequestValidationError` unless `schema` is a zod schema or a valid, non-circular JSON
 * Schema object. Returns the compiled validator of a JSON Schema (undefined for zod, and for a JSON
 * Schema when ajv is not installed).
 */
export function checkSchema(field: string, schema: unknown): ValidateFunction | undefined {
  if (!isRecord(schema)) fail(field, 'a zod schema or a JSON Schema object', schema);
  // zod 4 (classic or mini, which has no safeParse method) and zod-like schemas.
  if ('_zod' in schema || isSchemaLike(schema)) return undefined;
  let validate = bySchemaObject.get(schema);
  if (validate === undefined) {
    validate = compile(field, schema);
    if (validate !== undefined) bySchemaObject.set(schema, validate);
  }
  return validate;
}
