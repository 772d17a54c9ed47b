/**
 * Exact-match cache keys for chat and embedding requests. A key is the SHA-256 of a canonical JSON of
 * exactly the fields that change the answer, taken from an allow-list: provider, model, messages,
 * tools, tool choice, structured-output schema and the generation options. Anything else on the
 * request (headers, API keys, signals, timeouts, cost tracking, or whatever else a caller adds) is
 * never read, so a secret can never reach a key or be recovered from one.
 */
import { toJsonSchema } from '../runtime/json-schema.js';
import type { ChatRequest, EmbedRequest, ModelRef, ToolDefinition } from '../runtime/types.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** The provider and model that actually serve the call (after aliases, routing or fallback). */
export interface CacheTarget {
  provider: string;
  model: string;
}

/** A chat request as the cache sees it; `responseFormat` is read when a caller sets one. */
export type CacheableChatRequest = ChatRequest & { responseFormat?: unknown };

/** Version of the key layout; bump to invalidate every stored entry after a format change. */
const KEY_VERSION = 1;

/**
 * The cache key of a chat request: `chat:<sha256 hex>`. Pass `target` when the provider and model
 * that will serve the call differ from `request.model` (an alias, a routed deployment, a fallback).
 */
export function chatCacheKey(request: CacheableChatRequest, target?: CacheTarget): string {
  const { provider, model } = target ?? splitRef(request.model);
  const document = {
    v: KEY_VERSION,
    provider,
    model,
    messages: request.messages,
    tools: normalizeTools(request.tools),
    toolChoice: request.toolChoice,
    schema: request.schema === undefined ? undefined : toJsonSchema(request.schema, 'schema'),
    schemaName: request.schemaName,
    responseFormat: request.responseFormat,
    maxSteps: request.maxSteps,
    temperature: request.temperature,
    maxTokens: request.maxTokens,
    topP: request.topP,
    frequencyPenalty: request.frequencyPenalty,
    presencePenalty: request.presencePenalty,
    stop: request.stop,
    seed: request.seed,
    reasoning: request.reasoning,
    providerOptions: request.providerOptions,
  };
  return `chat:${sha256Hex(canonicalJson(document))}`;
}

/** The cache key of an embedding request: `embed:<sha256 hex>` over provider, model, input, dimensions, encoding. */
export function embedCacheKey(request: EmbedRequest, target?: CacheTarget): string {
  const { provider, model } = target ?? splitRef(request.model);
  const document = {
    v: KEY_VERSION,
    provider,
    model,
    input: request.input,
    dimensions: request.dimensions,
    encoding: request.encoding,
    providerOptions: request.providerOptions,
  };
  return `embed:${sha256Hex(canonicalJson(document))}`;
}

/** `'openai/gpt-4o'` -> provider and model; a reference without a slash is kept whole as the model. */
function splitRef(ref: ModelRef): { provider: string | undefined; model: string } {
  if (typeof ref !== 'string') return { provider: ref.provider, model: ref.model };
  const slash = ref.indexOf('/');
  return slash <= 0
    ? { provider: undefined, model: ref }
    : { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

/** Tools as the provider sees them: name, description, JSON Schema parameters (never `execute`). */
function normalizeTools(tools: ChatRequest['tools']): unknown {
  if (tools === undefined) return undefined;
  const list: ToolDefinition[] = Array.isArray(tools)
    ? tools
    : Object.entries(tools).map(([name, tool]) => ({ ...tool, name: tool.name ?? name }));
  return list.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: toJsonSchema(tool.parameters, `tool '${tool.name}' parameters`),
  }));
}
