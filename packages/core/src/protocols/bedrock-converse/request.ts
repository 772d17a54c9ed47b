/**
 * Converse / ConverseStream request bodies. Bedrock wants strictly alternating user/assistant turns,
 * tool results as `toolResult` blocks inside a user turn, the system prompt as top-level `system`
 * blocks, and the model id in the URL (URL-encoded: `anthropic.claude-3-haiku-20240307-v1:0`).
 */
import { InvalidRequestError, UnsupportedCapabilityError } from '../../errors/errors.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedMessage,
  PreparedPart,
} from '../../types/protocol.js';

type Block = Record<string, unknown>;
interface BedrockMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** Top-level Converse fields a caller may set through `providerOptions` (the rest go to additionalModelRequestFields). */
const TOP_LEVEL_OPTIONS = new Set([
  'guardrailConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
  'additionalModelResponseFieldPaths',
  'serviceTier',
]);

const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

/** Replaces `{model}` / `{modelId}` in an endpoint template with the URL-encoded model id. */
export function modelUrl(ctx: CallContext, template: string | undefined, fallback: string): string {
  const path = (template ?? fallback).replace(/\{model(?:Id)?\}/g, encodeURIComponent(ctx.modelId));
  return `${ctx.baseURL}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** Bedrock document names allow letters, digits, single spaces, hyphens, parentheses and brackets. */
function documentName(filename: string | undefined, index: number): string {
  const base = (filename ?? '').replace(/\.[A-Za-z0-9]+$/, '');
  const clean = base
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return clean === '' ? `document-${index + 1}` : clean;
}

function partToBlock(ctx: CallContext, part: PreparedPart, docIndex: { n: number }): Block {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image': {
      const format = IMAGE_FORMATS[part.mediaType.toLowerCase()];
      if (!format) {
        throw new UnsupportedCapabilityError(
          'vision',
          `Bedrock accepts png, jpeg, gif and webp images, not ${part.mediaType}`,
          {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
          },
        );
      }
      if (part.data === undefined) {
        throw new InvalidRequestError(
          'Bedrock needs image bytes (it cannot fetch image URLs); sb.chat downloads image URLs for it, a direct adapter call must pass bytes or a data URL',
          {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
          },
        );
      }
      return { image: { format, source: { bytes: part.data } } };
    }
    case 'file': {
      const format = DOCUMENT_FORMATS[part.mediaType.toLowerCase()];
      if (!format) {
        throw new UnsupportedCapabilityError('pdf', `Bedrock does not accept documents of type ${part.mediaType}`, {
          provider: ctx.descriptor.id,
          model: ctx.modelId,
        });
      }
      const name = documentName(part.filename, docIndex.n++);
      return { document: { format, name, source: { bytes: part.data } } };
    }
  }
}

function toolResultContent(content: string): Block[] {
  return [{ text: content }];
}

/** Converts prepared messages into Converse `system` and `messages`, merging consecutive same-role turns. */
export function toConverseMessages(
  ctx: CallContext,
  messages: readonly PreparedMessage[],
): { system: Block[]; messages: BedrockMessage[]; hasToolBlocks: boolean } {
  const system: Block[] = [];
  const out: BedrockMessage[] = [];
  const docIndex = { n: 0 };
  let hasToolBlocks = false;
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push({ text: message.content });
        break;
      case 'user':
        push(
          'user',
          message.content.map((part) => partToBlock(ctx, part, docIndex)),
        );
        break;
      case 'assistant': {
        const blocks: Block[] = [];
        if (message.content !== '') blocks.push({ text: message.content });
        for (const call of message.toolCalls) {
          hasToolBlocks = true;
          blocks.push({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments } });
        }
        push('assistant', blocks);
        break;
      }
      case 'tool':
        hasToolBlocks = true;
        push('user', [{ toolResult: { toolUseId: message.toolCallId, content: toolResultContent(message.content) } }]);
        break;
    }
  }
  return { system, messages: out, hasToolBlocks };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The Converse request body (the same for Converse and ConverseStream). */
export function buildConverseBody(ctx: CallContext, request: PreparedChatRequest): Record<string, unknown> {
  const { system, messages, hasToolBlocks } = toConverseMessages(ctx, request.messages);
  const body: Record<string, unknown> = { messages };
  if (system.length > 0) body.system = system;

  const inferenceConfig: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) inferenceConfig.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inferenceConfig.temperature = request.temperature;
  if (request.topP !== undefined) inferenceConfig.topP = request.topP;
  if (request.stop !== undefined)
    inferenceConfig.stopSequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;

  const tools = request.tools.map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      inputSchema: { json: tool.parameters },
    },
  }));
  let toolChoice: Block | undefined;
  const choice = request.toolChoice;
  if (choice === 'required') toolChoice = { any: {} };
  else if (choice === 'auto') toolChoice = { auto: {} };
  else if (choice !== undefined && choice !== 'none') toolChoice = { tool: { name: choice.name } };

  // No native JSON-schema mode in Converse: structured output is a forced tool whose input is the answer.
  if (request.responseFormat?.type === 'json-schema') {
    tools.push({
      toolSpec: {
        name: request.responseFormat.name,
        description: 'Respond with a JSON object matching this schema.',
        inputSchema: { json: request.responseFormat.schema },
      },
    });
    toolChoice = { tool: { name: request.responseFormat.name } };
  }
  // Bedrock has no tool_choice "none": drop the tools unless the history holds tool blocks (which
  // Bedrock only accepts alongside a toolConfig).
  if (tools.length > 0) {
    const forced = request.responseFormat?.type === 'json-schema';
    if (choice === 'none' && !forced) {
      if (hasToolBlocks) body.toolConfig = { tools };
    } else {
      body.toolConfig = toolChoice === undefined ? { tools } : { tools, toolChoice };
    }
  }

  const additional: Record<string, unknown> = {};
  if (request.reasoning?.budgetTokens !== undefined && /anthropic\.|claude/.test(ctx.modelId)) {
    additional.thinking = { type: 'enabled', budget_tokens: request.reasoning.budgetTokens };
  }
  for (const [key, value] of Object.entries(request.providerOptions ?? {})) {
    if (value === undefined) continue;
    if (key === 'additionalModelRequestFields' && isRecord(value)) Object.assign(additional, value);
    else if (TOP_LEVEL_OPTIONS.has(key)) body[key] = value;
    else additional[key] = value;
  }
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;
  return body;
}

/** POST /model/{id}/converse (or /converse-stream). */
export function buildChatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec {
  const url = request.stream
    ? modelUrl(ctx, ctx.descriptor.endpoints?.chatStream, '/model/{model}/converse-stream')
    : modelUrl(ctx, ctx.descriptor.endpoints?.chat, '/model/{model}/converse');
  return {
    method: 'POST',
    url,
    // Like the AWS SDK: no Accept for ConverseStream (the response is always an event stream).
    headers: request.stream
      ? { 'content-type': 'application/json' }
      : { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(buildConverseBody(ctx, request)),
  };
}
