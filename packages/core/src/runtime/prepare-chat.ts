/**
 * Builds the `PreparedChatRequest` for one model call: capabilities checked (vision, tools) before
 * any network, unsupported options dropped with warnings, tools converted to JSON Schema, and the
 * structured-output plan chosen from the model's catalog facts (see structured-plan.ts).
 */
import { truncateForRequest } from '../catalog/context/truncate-request.js';
import type { PreparedChatRequest, PreparedMessage, PreparedTool } from '../types/protocol.js';
import type { ChatRequest, ToolDefinition } from '../types/requests.js';
import { requireCapability } from './capability-check.js';
import { toJsonSchema } from './json-schema.js';
import { mediaRulesFor } from './media-rules.js';
import { filterGenerationOptions } from './option-support.js';
import { messagesHaveImages, prepareMessages } from './prepare-messages.js';
import type { ResolvedModel } from './provider-index.js';
import { checkProviderMarks } from './provider-marks.js';
import { type StructuredPlan, structuredModeWarning, structuredOutputPlan } from './structured-plan.js';

export type { StructuredPlan } from './structured-plan.js';

/** The tools of a request as a list (they may be given as a record keyed by name). */
export function listTools(tools: ChatRequest['tools']): ToolDefinition[] {
  if (tools === undefined) return [];
  if (Array.isArray(tools)) return tools;
  return Object.entries(tools).map(([name, tool]) => (tool.name === undefined ? { ...tool, name } : tool));
}

function prepareTools(tools: readonly ToolDefinition[]): PreparedTool[] {
  return tools.map((tool) => {
    const prepared: PreparedTool = {
      name: tool.name,
      parameters: toJsonSchema(tool.parameters, `Tool '${tool.name}'`),
    };
    if (tool.description !== undefined) prepared.description = tool.description;
    if (tool.cacheControl !== undefined) prepared.cacheControl = tool.cacheControl;
    return prepared;
  });
}

/** Chooses how to get structured output from this model (see `structuredOutputPlan`). */
export function planStructuredOutput(resolved: ResolvedModel, request: ChatRequest): StructuredPlan | undefined {
  if (request.schema === undefined) return undefined;
  const name = request.schemaName ?? 'respond';
  const schema = toJsonSchema(request.schema, 'schema');
  return { mode: structuredOutputPlan(resolved.model, resolved.provider.definition?.descriptor), name, schema };
}

/** What a call adds to the image and file rules: its abort signal and the switchboard's URL policy. */
export interface MediaCallOptions {
  /** The call's signal: file reads and image downloads stop when it aborts or times out. */
  signal?: AbortSignal | undefined;
  /** `createSwitchboard({ allowPrivateImageUrls })`: image downloads may reach private addresses. */
  allowPrivateImageUrls?: boolean | undefined;
}

/** Everything `prepareChat` produces. */
export interface PreparedChat {
  prepared: PreparedChatRequest;
  structured: StructuredPlan | undefined;
}

/**
 * Prepares one model call. Throws UnsupportedCapabilityError before any request when the messages
 * carry images for a model without `vision` or tools for a model without `tools`. Synchronous
 * (throws, returns the result) unless a message part has to be loaded (an image URL, a file): then
 * a promise. `media` carries the call's signal, which every file read and image download obeys.
 */
export function prepareChat(
  resolved: ResolvedModel,
  request: ChatRequest,
  warnings: string[],
  stream: boolean,
  media: MediaCallOptions = {},
): PreparedChat | Promise<PreparedChat> {
  const tools = listTools(request.tools);
  if (messagesHaveImages(request.messages)) requireCapability(resolved, 'vision', 'A message with an image');
  if (tools.length > 0) requireCapability(resolved, 'tools', 'A request with tools');
  const structured = planStructuredOutput(resolved, request);
  if (structured !== undefined) {
    const warning = structuredModeWarning(structured, `model '${resolved.provider.id}/${resolved.modelId}'`);
    // Retries of the same call share the warnings list: one line, however many attempts.
    if (warning !== undefined && !warnings.includes(warning)) warnings.push(warning);
  }

  const definition = resolved.provider.definition;
  checkProviderMarks(
    request,
    tools,
    definition === undefined ? undefined : { id: definition.id, protocol: definition.descriptor.protocol },
    warnings,
  );
  const options =
    definition === undefined
      ? pickOptions(request)
      : filterGenerationOptions(request, definition.descriptor, resolved.model, warnings, definition.models);
  const messages = prepareMessages(truncateForRequest(request, resolved.model, warnings), () =>
    mediaRulesFor(resolved, media),
  );
  const providerId = resolved.provider.id;
  if (Array.isArray(messages)) return finishPrepared(request, tools, structured, stream, options, messages, providerId);
  return (messages as Promise<PreparedMessage[]>).then((loaded) =>
    finishPrepared(request, tools, structured, stream, options, loaded, providerId),
  );
}

function finishPrepared(
  request: ChatRequest,
  tools: ToolDefinition[],
  structured: StructuredPlan | undefined,
  stream: boolean,
  options: object,
  messages: PreparedMessage[],
  providerId: string,
): PreparedChat {
  const prepared: PreparedChatRequest = {
    ...options,
    messages,
    tools: prepareTools(tools),
    providerOptions: providerOptionsFor(request.providerOptions, providerId),
    stream,
  };
  if (request.toolChoice !== undefined && tools.length > 0) prepared.toolChoice = request.toolChoice;

  if (structured !== undefined) {
    if (structured.mode === 'json-schema')
      prepared.responseFormat = { type: 'json-schema', name: structured.name, schema: structured.schema };
    else if (structured.mode === 'tool') {
      prepared.tools.push({
        name: structured.name,
        description: 'Respond with an object matching this schema.',
        parameters: structured.schema,
      });
      prepared.toolChoice = { name: structured.name };
    } else {
      // JSON mode where the model has it; `prompt` relies on the system prompt alone.
      if (structured.mode === 'json-object') prepared.responseFormat = { type: 'json-object' };
      prepared.messages.unshift({
        role: 'system',
        content: `Answer only with a JSON object matching this JSON Schema:\n${JSON.stringify(structured.schema)}`,
      });
    }
  }
  return { prepared, structured };
}

function pickOptions(request: ChatRequest): ChatRequest {
  const { temperature, maxTokens, topP, frequencyPenalty, presencePenalty, stop, seed, reasoning } = request;
  const out: Record<string, unknown> = {
    temperature,
    maxTokens,
    topP,
    frequencyPenalty,
    presencePenalty,
    stop,
    seed,
    reasoning,
  };
  for (const key in out) if (out[key] === undefined) delete out[key];
  return out as unknown as ChatRequest;
}

/** `providerOptions` may be keyed by provider id (`{ openai: {...} }`) or flat; returns this provider's. */
export function providerOptionsFor(
  options: Record<string, unknown> | undefined,
  providerId: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  const scoped = options[providerId];
  if (typeof scoped === 'object' && scoped !== null && !Array.isArray(scoped)) return scoped as Record<string, unknown>;
  return options;
}
