/**
 * Converts the schemas users write (zod 4 or plain JSON Schema) into the JSON Schema providers
 * take, for tool parameters and structured output.
 */
import { InvalidRequestError } from '../errors/errors.js';
import type { JsonSchema } from '../types/requests.js';

/** True for a zod 4 schema (it carries `_zod`). */
function isZod4(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/** True for anything used like a zod schema (it has `safeParse`). */
export function isSchemaLike(
  value: unknown,
): value is { safeParse(value: unknown): { success: boolean; data?: unknown; error?: unknown } } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

type ZodToJsonSchema = (schema: unknown) => Record<string, unknown>;
let zodToJsonSchema: ZodToJsonSchema | undefined;

/**
 * Converts a zod 4 schema. Classic zod schemas carry a `toJSONSchema()` method; zod/mini ones need
 * zod's converter, loaded on first use from the user's own zod (an optional peer dependency), so
 * importing core never loads zod.
 */
function convertZod(schema: unknown): JsonSchema {
  const method = (schema as { toJSONSchema?: () => unknown }).toJSONSchema;
  if (typeof method === 'function') return method.call(schema) as JsonSchema;
  if (zodToJsonSchema === undefined) {
    const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
    try {
      zodToJsonSchema = (nodeModule.createRequire(import.meta.url)('zod/v4/core') as { toJSONSchema: ZodToJsonSchema })
        .toJSONSchema;
    } catch (cause) {
      throw new InvalidRequestError('converting a zod/mini schema needs the zod package: npm install zod', {
        retryable: false,
        cause,
      });
    }
  }
  return zodToJsonSchema(schema) as JsonSchema;
}

/** JSON Schema for a zod 4 schema or a JSON Schema object (returned without its `$schema` key). */
export function toJsonSchema(schema: unknown, what: string): JsonSchema {
  let json: JsonSchema;
  if (isZod4(schema)) json = convertZod(schema);
  else if (isSchemaLike(schema)) {
    throw new InvalidRequestError(`${what}: only zod 4 schemas (or plain JSON Schema) can be converted`, {
      retryable: false,
    });
  } else if (typeof schema === 'object' && schema !== null) json = schema as JsonSchema;
  else throw new InvalidRequestError(`${what}: expected a zod schema or a JSON Schema object`, { retryable: false });
  if ('$schema' in json) {
    const { $schema: _ignored, ...rest } = json;
    return rest;
  }
  return json;
}
