/**
 * Builds Chat Completions requests from a prepared request and the provider's dialect data.
 * Nothing here is provider-specific: every difference is a `descriptor.dialect` field.
 */
import type { DialectSpec } from '../../types/catalog.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedMessage,
  PreparedPart,
} from '../../types/protocol.js';
import type { ToolChoice } from '../../types/requests.js';
import { isRecord } from '../shared/json.js';
import { buildUrl } from '../shared/url.js';

/** Canonical (camelCase) option names and their Chat Completions wire names. */
const CANONICAL_TO_WIRE: Record<string, string> = {
  temperature: 'temperature',
  topP: 'top_p',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  stop: 'stop',
  seed: 'seed',
  reasoning: 'reasoning_effort',
  tools: 'tools',
  toolChoice: 'tool_choice',
  responseFormat: 'response_format',
  streamOptions: 'stream_options',
  encoding: 'encoding_format',
  dimensions: 'dimensions',
};

export function wireNameOf(canonical: string, dialect: DialectSpec): string {
  if (canonical === 'maxTokens') return dialect.maxTokensParam ?? 'max_tokens';
  return CANONICAL_TO_WIRE[canonical] ?? canonical;
}

/**
 * Drops `dialect.unsupportedParams` (canonical or wire names) and applies `dialect.paramRenames`
 * (canonical or wire name -> wire name) to a request body, in place. Returns the dropped wire names.
 */
export function applyDialectParams(body: Record<string, unknown>, dialect: DialectSpec): string[] {
  // Most dialects drop and rename nothing: skip the per-call set and key walks.
  if (dialect.unsupportedParams === undefined && dialect.paramRenames === undefined) return [];
  const dropped: string[] = [];
  const unsupported = new Set<string>();
  for (const name of dialect.unsupportedParams ?? []) {
    unsupported.add(name);
    unsupported.add(wireNameOf(name, dialect));
  }
  for (const key of Object.keys(body)) {
    if (key === 'model' || key === 'messages' || key === 'input' || key === 'stream') continue;
    if (unsupported.has(key)) {
      delete body[key];
      dropped.push(key);
    }
  }
  const renames = dialect.paramRenames ?? {};
  for (const [from, to] of Object.entries(renames)) {
    const wire = from in body ? from : wireNameOf(from, dialect);
    if (wire in body && wire !== to) {
      body[to] = body[wire];
      delete body[wire];
    }
  }
  return dropped;
}

/** Endpoint URLs per context (a context is rebuilt when its base URL or parameters change). */
const urlsByContext = new WeakMap<CallContext, Map<string, string>>();

/** The URL of an endpoint, with `dialect.queryParams` (Azure's `api-version`) filled from ctx.params. */
export function endpointUrl(ctx: CallContext, path: string): string {
  let urls = urlsByContext.get(ctx);
  if (urls === undefined) {
    urls = new Map();
    urlsByContext.set(ctx, urls);
  }
  let url = urls.get(path);
  if (url === undefined) {
    url = buildUrl(ctx.baseURL, path, ctx.descriptor.dialect?.queryParams, ctx.params);
    // Paths are endpoint templates (a handful per provider); bound the map all the same.
    if (urls.size >= 64) urls.clear();
    urls.set(path, url);
  }
  return url;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Rewrites a tool-call id that does not match `pattern` (Mistral: `^[a-zA-Z0-9]{9}$`) into a
 * deterministic alphanumeric id of the pattern's `{n}` length (default 9), so an assistant call and its
 * tool result map to the same new id. Ids that already match are kept.
 */
export function conformToolCallId(id: string, pattern: string | undefined): string {
  if (!pattern) return id;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    return id;
  }
  if (re.test(id)) return id;
  const length = Number(/\{(\d+)\}/.exec(pattern)?.[1] ?? 9);
  // FNV-1a based stream of characters, seeded by the original id.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (i + 0x9e), 0x01000193) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out += ALNUM[h % ALNUM.length];
  }
  return re.test(out) ? out : id;
}

function partToWire(part: PreparedPart): Record<string, unknown> {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image': {
      const url = part.url ?? `data:${part.mediaType};base64,${part.data ?? ''}`;
      const image_url: Record<string, unknown> = { url };
      if (part.detail) image_url.detail = part.detail;
      return { type: 'image_url', image_url };
    }
    case 'file': {
      const file: Record<string, unknown> = { file_data: `data:${part.mediaType};base64,${part.data}` };
      if (part.filename) file.filename = part.filename;
      return { type: 'file', file };
    }
  }
}

export function messagesToWire(messages: PreparedMessage[], dialect: DialectSpec): Record<string, unknown>[] {
  const systemRole = dialect.systemMessage === 'developer-message' ? 'developer' : 'system';
  const idPattern = dialect.toolCallIdPattern;
  const out: Record<string, unknown>[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        out.push({ role: systemRole, content: m.content });
        break;
      case 'user': {
        const only = m.content.length === 1 ? m.content[0] : undefined;
        // A lone text part goes as a plain string: every compatible server accepts that.
        const content = only?.type === 'text' ? only.text : m.content.map(partToWire);
        out.push({ role: 'user', content });
        break;
      }
      case 'assistant': {
        const msg: Record<string, unknown> = {
          role: 'assistant',
          content: m.content === '' && m.toolCalls.length > 0 ? null : m.content,
        };
        if (m.toolCalls.length > 0) {
          msg.tool_calls = m.toolCalls.map((tc) => ({
            id: conformToolCallId(tc.id, idPattern),
            type: 'function',
            function: { name: tc.name, arguments: JSON.stringify(tc.arguments ?? {}) },
          }));
        }
        out.push(msg);
        break;
      }
      case 'tool':
        out.push({ role: 'tool', tool_call_id: conformToolCallId(m.toolCallId, idPattern), content: m.content });
        break;
    }
  }
  return out;
}

export function toolChoiceToWire(choice: ToolChoice, dialect: DialectSpec): unknown {
  if (typeof choice === 'object') return { type: 'function', function: { name: choice.name } };
  // Providers that reject `required` (dialect.toolChoiceRequired: false) take `any` (Mistral's word for it).
  if (choice === 'required' && dialect.toolChoiceRequired === false) return 'any';
  return choice;
}

/** The JSON body of a Chat Completions call (before JSON serialization). */
export function buildChatBody(ctx: CallContext, request: PreparedChatRequest): Record<string, unknown> {
  const dialect = ctx.descriptor.dialect ?? {};
  const body: Record<string, unknown> = {};
  if (!dialect.modelInPath) body.model = ctx.modelId;
  body.messages = messagesToWire(request.messages, dialect);
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.maxTokens !== undefined) body[dialect.maxTokensParam ?? 'max_tokens'] = request.maxTokens;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.reasoning?.effort !== undefined) body.reasoning_effort = request.reasoning.effort;
  if (request.tools.length > 0) {
    body.tools = request.tools.map((t) => {
      const fn: Record<string, unknown> = { name: t.name };
      if (t.description !== undefined) fn.description = t.description;
      fn.parameters = t.parameters;
      return { type: 'function', function: fn };
    });
  }
  if (request.toolChoice !== undefined && (request.tools.length > 0 || request.toolChoice === 'none')) {
    body.tool_choice = toolChoiceToWire(request.toolChoice, dialect);
  }
  if (request.responseFormat) {
    if (request.responseFormat.type === 'json-schema' && dialect.jsonSchemaResponseFormat !== false) {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema },
      };
    } else {
      body.response_format = { type: 'json_object' };
    }
  }
  if (request.stream) {
    body.stream = true;
    if ((dialect.streamUsage ?? 'include-usage-option') === 'include-usage-option') {
      body.stream_options = { include_usage: true };
    }
  }
  applyDialectParams(body, dialect);
  mergeProviderOptions(body, request.providerOptions, ctx.descriptor.id);
  return body;
}

/**
 * Merges `providerOptions` last: the entry keyed by this provider's id when there is one (an object),
 * otherwise the flat options as given.
 */
export function mergeProviderOptions(
  body: Record<string, unknown>,
  options: Record<string, unknown> | undefined,
  providerId: string,
): void {
  if (!options) return;
  const own = options[providerId];
  const source = isRecord(own) ? own : options;
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined) continue;
    body[k] = v;
  }
}

export function chatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec {
  const path =
    (request.stream ? ctx.descriptor.endpoints.chatStream : undefined) ??
    ctx.descriptor.endpoints.chat ??
    '/chat/completions';
  return {
    method: 'POST',
    url: endpointUrl(ctx, path),
    headers: {
      'content-type': 'application/json',
      accept: request.stream ? 'text/event-stream' : 'application/json',
    },
    body: plainChatBody(ctx, request) ?? JSON.stringify(buildChatBody(ctx, request)),
  };
}

/** `{"model":<id>,"messages":[` for the last model id seen (one entry: calls mostly repeat a model). */
let lastModelId: string | undefined;
let lastPrefix = '';

/**
 * The serialized body of a plain call (system and single-text user messages, no options, tools,
 * response format, stream, provider options or dialect param rules), built as a string straight from
 * the prepared messages: the same bytes `JSON.stringify(buildChatBody(...))` produces, without the
 * intermediate objects. Undefined for anything else.
 */
function plainChatBody(ctx: CallContext, request: PreparedChatRequest): string | undefined {
  if (
    request.stream ||
    request.tools.length > 0 ||
    request.toolChoice !== undefined ||
    request.responseFormat !== undefined ||
    request.temperature !== undefined ||
    request.topP !== undefined ||
    request.maxTokens !== undefined ||
    request.frequencyPenalty !== undefined ||
    request.presencePenalty !== undefined ||
    request.stop !== undefined ||
    request.seed !== undefined ||
    request.reasoning?.effort !== undefined
  )
    return undefined;
  const options = request.providerOptions;
  if (options) for (const _ in options) return undefined;
  const dialect = ctx.descriptor.dialect;
  if (dialect !== undefined && (dialect.unsupportedParams !== undefined || dialect.paramRenames !== undefined))
    return undefined;
  const systemRole =
    dialect?.systemMessage === 'developer-message' ? '{"role":"developer","content":' : '{"role":"system","content":';
  let messages = '';
  for (const m of request.messages) {
    let text: string;
    let head: string;
    if (m.role === 'user') {
      const only = m.content.length === 1 ? m.content[0] : undefined;
      if (only?.type !== 'text') return undefined;
      text = only.text;
      head = '{"role":"user","content":';
    } else if (m.role === 'system') {
      text = m.content;
      head = systemRole;
    } else return undefined;
    // A non-string would serialize differently from its object form: leave it to JSON.stringify.
    if (typeof text !== 'string') return undefined;
    messages += `${messages === '' ? '' : ','}${head}${JSON.stringify(text)}}`;
  }
  let prefix: string;
  if (dialect?.modelInPath) prefix = '{"messages":[';
  else if (ctx.modelId === lastModelId) prefix = lastPrefix;
  else {
    prefix = `{"model":${JSON.stringify(ctx.modelId)},"messages":[`;
    lastModelId = ctx.modelId;
    lastPrefix = prefix;
  }
  return `${prefix}${messages}]}`;
}
