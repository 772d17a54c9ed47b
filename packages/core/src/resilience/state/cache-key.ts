/**
 * Exact-match cache keys for chat and embedding requests. A key is the SHA-256 of a canonical JSON of
 * exactly the fields that change the answer, taken from an allow-list: the model identity (provider
 * and canonical model id after alias resolution, or the model group's name), messages, tools, tool
 * choice, structured-output schema and the generation options. Anything else on the request
 * (headers, API keys, signals, timeouts, cost tracking, or whatever else a caller adds) is never
 * read, so a secret can never reach a key or be recovered from one.
 *
 * A group is keyed by its name, not by the deployment that answered: the cache answers before
 * routing picks one, any deployment's answer serves the group, and so the request the user holds
 * (`model: 'smart'`) is all `delete` needs; keying by deployment would make every lookup depend on
 * the routing turn and leave entries a user cannot name.
 */
import { toJsonSchema } from '../../runtime/json-schema.js';
import type { ChatRequest, EmbedRequest, ModelRef, ToolDefinition } from '../../types/requests.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** A resolved model: the provider id and the catalog's canonical model id (aliases resolved). */
export interface CacheTarget {
  provider: string;
  model: string;
}

/** A model group the call named (`'smart'` or `'group:smart'`): any of its deployments serves it. */
export interface CacheGroupTarget {
  group: string;
}

/** What an entry is keyed by: the resolved model, or the model group the request names. */
export type CacheIdentity = CacheTarget | CacheGroupTarget;

/**
 * Turns a request's `model` into its cache identity the way calls resolve it (groups, aliases, dated
 * snapshots). `createSwitchboard` gives its cache one; without one the reference is taken literally.
 */
export type CacheModelResolver = (model: ModelRef) => CacheIdentity;

/** A chat request as the cache sees it; `responseFormat` is read when a caller sets one. */
export type CacheableChatRequest = ChatRequest & { responseFormat?: unknown };

/**
 * Version of the key layout; bump to invalidate every stored entry after a format change. 2: keys
 * name the resolved model (or the group) instead of the reference as written.
 */
const KEY_VERSION = 2;

/**
 * The cache key of a chat request: `chat:<sha256 hex>`. `identity` is the resolved model or group
 * (see `CacheModelResolver`); without it `request.model` is taken literally, so an alias would miss
 * its base model's entry: a switchboard's entries are found with `sb.cache.chatKey(request)`, which
 * resolves first.
 */
export function chatCacheKey(request: CacheableChatRequest, identity?: CacheIdentity): string {
  const document = {
    v: KEY_VERSION,
    ...identityFields(identity ?? literalIdentity(request.model)),
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

/**
 * The cache key of an embedding request: `embed:<sha256 hex>` over the model identity (as for
 * `chatCacheKey`), input, dimensions and encoding.
 */
export function embedCacheKey(request: EmbedRequest, identity?: CacheIdentity): string {
  const document = {
    v: KEY_VERSION,
    ...identityFields(identity ?? literalIdentity(request.model)),
    input: request.input,
    dimensions: request.dimensions,
    encoding: request.encoding,
    providerOptions: request.providerOptions,
  };
  return `embed:${sha256Hex(canonicalJson(document))}`;
}

/**
 * The reference as written: `'openai/gpt-4o'` -> provider and model; a reference without a slash
 * (`'smart'`, `'group:smart'`) names a group. No alias is resolved (that needs the providers).
 */
export function literalIdentity(ref: ModelRef): CacheIdentity {
  if (typeof ref !== 'string') return { provider: ref.provider, model: ref.model };
  const slash = ref.indexOf('/');
  if (slash > 0) return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
  return { group: ref.startsWith('group:') ? ref.slice(6) : ref };
}

/** The key fields of an identity: a group under its own field, so no provider/model pair can equal it. */
function identityFields(identity: CacheIdentity): { group: string } | { provider: string; model: string } {
  return 'group' in identity ? { group: identity.group } : { provider: identity.provider, model: identity.model };
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
