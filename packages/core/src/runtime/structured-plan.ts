/**
 * How a request with a `schema` asks the model for structured output. The model's own catalog facts
 * decide, not the provider's: a provider whose API accepts `response_format: json_schema` still
 * serves models that reject it with a 400 (OpenAI's gpt-4 and gpt-3.5-turbo, most Groq models), so
 * the provider-level flag only says whether the wire format exists at all.
 *
 * The order is the most reliable way the model has: its native JSON-schema mode, else a forced tool
 * whose arguments are the answer, else JSON mode with the schema in the system prompt, else the
 * schema in the system prompt alone. Every mode is validated locally and retried on a mismatch.
 */
import { normalizeCapability } from '../catalog/capabilities.js';
import { modelCapabilities } from '../catalog/model-capabilities.js';
import type { ModelSpec, ProviderDescriptor } from '../types/catalog.js';
import type { JsonSchema } from '../types/requests.js';

/**
 * `json-schema`: the provider's native schema mode. `tool`: a forced tool call. `json-object`: JSON
 * mode plus the schema in the system prompt. `prompt`: the schema in the system prompt only.
 */
export type StructuredMode = 'json-schema' | 'tool' | 'json-object' | 'prompt';

/** How structured output is asked for in one call. */
export interface StructuredPlan {
  mode: StructuredMode;
  /** The schema's name (`schemaName`, default `respond`): the forced tool's name in `tool` mode. */
  name: string;
  schema: JsonSchema;
}

/** The provider's declared capabilities, as canonical names. */
function providerCapabilities(descriptor: ProviderDescriptor): Set<string> {
  return new Set(descriptor.capabilities.map((name) => normalizeCapability(name) ?? name));
}

/**
 * The structured-output mode for a model of a provider.
 *
 * - A model in the catalog: its own capabilities decide (`structured-output`, then `tools`, then
 *   `json-mode` of the model or of its provider's API, then the prompt alone). The provider's
 *   `dialect.jsonSchemaResponseFormat: false` rules out the native mode (the wire has no such field).
 * - A model the catalog does not list: the provider-level facts, as before (a provider that says
 *   `jsonSchemaResponseFormat: true` gets the native mode), since nothing better is known.
 * - A custom provider (no descriptor): the native mode; the provider receives the schema itself.
 */
export function structuredOutputPlan(
  model: ModelSpec | undefined,
  descriptor: ProviderDescriptor | undefined,
): StructuredMode {
  if (descriptor === undefined) return 'json-schema';
  const native = descriptor.dialect?.jsonSchemaResponseFormat;
  const provider = providerCapabilities(descriptor);
  if (model === undefined) {
    if (native === true || (native !== false && provider.has('structured-output'))) return 'json-schema';
    return provider.has('tools') ? 'tool' : 'json-object';
  }
  const capabilities: readonly string[] = modelCapabilities(model, descriptor);
  if (native !== false && capabilities.includes('structured-output')) return 'json-schema';
  if (capabilities.includes('tools')) return 'tool';
  if (capabilities.includes('json-mode') || provider.has('json-mode')) return 'json-object';
  return 'prompt';
}

/** The `res.warnings` line saying which mode a call used when it is not the native one. */
export function structuredModeWarning(plan: StructuredPlan, subject: string): string | undefined {
  switch (plan.mode) {
    case 'json-schema':
      return undefined;
    case 'tool':
      return `Structured output: ${subject} has no JSON-schema mode; asked through a forced tool '${plan.name}', validated locally`;
    case 'json-object':
      return `Structured output: ${subject} has no JSON-schema mode or tools; asked through JSON mode with the schema in the system prompt, validated locally`;
    case 'prompt':
      return `Structured output: ${subject} has no JSON-schema mode, tools or JSON mode; the schema is in the system prompt only, validated locally`;
  }
}
