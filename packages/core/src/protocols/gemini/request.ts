/**
 * Gemini API request builders: generateContent / streamGenerateContent (SSE), batchEmbedContents, models.
 * https://ai.google.dev/api/generate-content
 */
import { UnsupportedCapabilityError } from '../../errors/errors.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedEmbedRequest,
  PreparedMessage,
  PreparedPart,
} from '../../types/protocol.js';
import type { JsonSchema, ToolChoice } from '../../types/requests.js';
import { toGeminiSchema } from './schema.js';

type Json = Record<string, unknown>;
interface WireContent {
  role: 'user' | 'model';
  parts: Json[];
}

/**
 * Thought signatures Gemini attached to function calls, by tool-call id. Gemini 3 rejects a function
 * call sent back without its signature, and core's ToolCall has no field for it, so the adapter keeps
 * the last few thousand here (bounded, in-process).
 */
const signatures = new Map<string, string>();
const MAX_SIGNATURES = 2000;

export function rememberSignature(toolCallId: string, signature: string): void {
  signatures.delete(toolCallId);
  signatures.set(toolCallId, signature);
  if (signatures.size > MAX_SIGNATURES) {
    const oldest = signatures.keys().next().value;
    if (oldest !== undefined) signatures.delete(oldest);
  }
}

/** Documented placeholder for function calls whose signature is unknown (history from elsewhere). */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** Model ids of the Gemini 1.x / 2.0 generation, which want OpenAPI-subset schemas. */
export function isLegacyModel(modelId: string): boolean {
  return /^(models\/)?gemini-(1(\.|-)|2\.0|pro)/.test(modelId);
}

/** Models that validate thought signatures on function calls sent back. */
function needsSignatures(modelId: string): boolean {
  return /^(models\/)?gemini-3/.test(modelId);
}

export function wireModelId(modelId: string): string {
  return modelId.replace(/^models\//, '');
}

export function joinUrl(baseURL: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function endpoint(ctx: CallContext, path: string): string {
  return joinUrl(ctx.baseURL, path.replaceAll('{model}', wireModelId(ctx.modelId)));
}

function partToWire(part: PreparedPart): Json {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image':
      if (part.data !== undefined) return { inlineData: { mimeType: part.mediaType, data: part.data } };
      if (part.url !== undefined) return { fileData: { mimeType: part.mediaType, fileUri: part.url } };
      throw new UnsupportedCapabilityError('vision', 'Image part has neither data nor url');
    case 'file':
      return { inlineData: { mimeType: part.mediaType, data: part.data } };
  }
}

/** A tool result as Gemini's `response` object: JSON objects as they are, anything else under `output`. */
function toolResponse(content: string): Json {
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
    return { output: parsed };
  } catch {
    return { output: content };
  }
}

export function convertMessages(
  messages: PreparedMessage[],
  modelId: string,
): { systemInstruction?: Json; contents: WireContent[] } {
  const system: string[] = [];
  const contents: WireContent[] = [];
  const toolNames = new Map<string, string>();
  let lastWasToolResult = false;
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        lastWasToolResult = false;
        break;
      case 'user':
        contents.push({ role: 'user', parts: message.content.map(partToWire) });
        lastWasToolResult = false;
        break;
      case 'assistant': {
        const parts: Json[] = [];
        if (message.content.length > 0) parts.push({ text: message.content });
        for (const call of message.toolCalls) {
          toolNames.set(call.id, call.name);
          const part: Json = { functionCall: { args: call.arguments ?? {}, id: call.id, name: call.name } };
          const signature = signatures.get(call.id) ?? (needsSignatures(modelId) ? SKIP_SIGNATURE : undefined);
          if (signature !== undefined) part.thoughtSignature = signature;
          parts.push(part);
        }
        if (parts.length > 0) contents.push({ role: 'model', parts });
        lastWasToolResult = false;
        break;
      }
      case 'tool': {
        const name = message.name ?? toolNames.get(message.toolCallId);
        if (name === undefined) {
          throw new UnsupportedCapabilityError(
            'tools',
            `Gemini needs the function name of tool result '${message.toolCallId}': set ToolMessage.name or keep the assistant message that made the call`,
          );
        }
        const part: Json = {
          functionResponse: { id: message.toolCallId, name, response: toolResponse(message.content) },
        };
        const last = contents.at(-1);
        if (lastWasToolResult && last !== undefined) last.parts.push(part);
        else contents.push({ role: 'user', parts: [part] });
        lastWasToolResult = true;
        break;
      }
    }
  }
  const out: { systemInstruction?: Json; contents: WireContent[] } = { contents };
  if (system.length > 0) out.systemInstruction = { parts: system.map((text) => ({ text })), role: 'user' };
  return out;
}

function toolConfig(choice: ToolChoice): Json {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function stripMeta(schema: JsonSchema): JsonSchema {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

const EFFORT_BUDGET = { low: 1024, medium: 8192, high: 24576 } as const;

export function buildChatBody(ctx: CallContext, request: PreparedChatRequest): Json {
  const legacy = isLegacyModel(ctx.modelId);
  const { systemInstruction, contents } = convertMessages(request.messages, ctx.modelId);
  const body: Json = { contents };
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;

  if (request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => {
          const decl: Json = { description: tool.description ?? '', name: tool.name };
          if (legacy) decl.parameters = toGeminiSchema(tool.parameters);
          else decl.parametersJsonSchema = stripMeta(tool.parameters);
          return decl;
        }),
      },
    ];
    if (request.toolChoice !== undefined) body.toolConfig = toolConfig(request.toolChoice);
  }

  const config: Json = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop !== undefined) config.stopSequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.responseFormat?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    if (legacy) config.responseSchema = toGeminiSchema(request.responseFormat.schema);
    else config.responseJsonSchema = stripMeta(request.responseFormat.schema);
  } else if (request.responseFormat?.type === 'json-object') {
    config.responseMimeType = 'application/json';
  }
  const reasoning = request.reasoning;
  if (reasoning?.budgetTokens !== undefined) {
    config.thinkingConfig = { includeThoughts: true, thinkingBudget: reasoning.budgetTokens };
  } else if (reasoning?.effort !== undefined) {
    config.thinkingConfig = needsSignatures(ctx.modelId)
      ? { includeThoughts: true, thinkingLevel: reasoning.effort === 'high' ? 'high' : 'low' }
      : { includeThoughts: true, thinkingBudget: EFFORT_BUDGET[reasoning.effort] };
  }

  // providerOptions: top-level fields are merged, `generationConfig` one level deeper.
  const { generationConfig: extraConfig, ...extra } = request.providerOptions as Json & { generationConfig?: Json };
  if (extraConfig !== null && typeof extraConfig === 'object') Object.assign(config, extraConfig);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  Object.assign(body, extra);
  return body;
}

export function buildChatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec {
  const path = request.stream
    ? (ctx.descriptor.endpoints.chatStream ?? '/models/{model}:streamGenerateContent?alt=sse')
    : (ctx.descriptor.endpoints.chat ?? '/models/{model}:generateContent');
  return {
    method: 'POST',
    url: endpoint(ctx, path),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(buildChatBody(ctx, request)),
  };
}

/** batchEmbedContents for any number of inputs; `taskType` and `title` come from providerOptions. */
export function buildEmbedRequest(ctx: CallContext, request: PreparedEmbedRequest): HttpRequestSpec {
  const model = `models/${wireModelId(ctx.modelId)}`;
  const { taskType, title, ...rest } = request.providerOptions as { taskType?: unknown; title?: unknown };
  const requests = request.input.map((text) => {
    const item: Json = { content: { parts: [{ text }] }, model };
    if (request.dimensions !== undefined) item.outputDimensionality = request.dimensions;
    if (taskType !== undefined) item.taskType = taskType;
    if (title !== undefined) item.title = title;
    Object.assign(item, rest);
    return item;
  });
  return {
    method: 'POST',
    url: endpoint(ctx, ctx.descriptor.endpoints.embeddingsBatch ?? '/models/{model}:batchEmbedContents'),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ requests }),
  };
}

/** models.list, asking for the largest page (the default is 50); models.ts follows `nextPageToken`. */
export function buildModelsRequest(ctx: CallContext): HttpRequestSpec {
  const url = new URL(endpoint(ctx, ctx.descriptor.endpoints.models ?? '/models'));
  if (!url.searchParams.has('pageSize')) url.searchParams.set('pageSize', '1000');
  return { method: 'GET', url: url.toString(), headers: {} };
}
