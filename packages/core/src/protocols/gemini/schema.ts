/**
 * JSON Schema -> the OpenAPI 3.0 subset Gemini's `parameters` / `responseSchema` accept
 * (https://ai.google.dev/api/caching#Schema): no `$schema`, `additionalProperties`, `$ref`, `const`,
 * type unions become `nullable`, `const` becomes a one-value `enum`.
 */
import type { JsonSchema } from '../../types/requests.js';

const KEEP = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

export function toGeminiSchema(schema: JsonSchema, defs?: Record<string, unknown>): JsonSchema {
  const rootDefs = (defs ?? schema.$defs ?? schema.definitions) as Record<string, unknown> | undefined;
  let source = schema;
  if (typeof source.$ref === 'string' && rootDefs !== undefined) {
    const name = source.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    const target = rootDefs[name];
    if (target !== null && typeof target === 'object') source = { ...(target as JsonSchema) };
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if (!KEEP.has(key)) continue;
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length !== value.length) out.nullable = true;
      if (types.length === 1) out.type = types[0];
      else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
      continue;
    }
    if (key === 'properties' && value !== null && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, sub]) => [name, toGeminiSchema(sub, rootDefs)]),
      );
      continue;
    }
    if (key === 'items' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.items = toGeminiSchema(value as JsonSchema, rootDefs);
      continue;
    }
    if (key === 'anyOf' && Array.isArray(value)) {
      const variants = (value as JsonSchema[]).filter((v) => v.type !== 'null');
      if (variants.length !== value.length) out.nullable = true;
      if (variants.length === 1) Object.assign(out, toGeminiSchema(variants[0] as JsonSchema, rootDefs));
      else out.anyOf = variants.map((v) => toGeminiSchema(v, rootDefs));
      continue;
    }
    out[key] = value;
  }
  return out;
}
