/**
 * Anthropic Messages API request builder (POST /v1/messages).
 * https://docs.anthropic.com/en/api/messages
 */
import { UnsupportedCapabilityError } from '../../errors/errors.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedMessage,
  PreparedPart,
} from '../../types/protocol.js';
import type { CacheControl, ReasoningBlock, ToolChoice } from '../../types/requests.js';

/** Anthropic API version sent when the provider YAML does not name one. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** `max_tokens` is required by Anthropic; used when neither the call nor the catalog gives a limit. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
interface WireMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/**
 * Name of the tool forced for structured output, remembered per call context so the response parser
 * can turn that tool's input back into the answer's text. Keyed weakly: nothing leaks across calls.
 */
const structuredToolByContext = new WeakMap<CallContext, string>();

export function structuredOutputTool(ctx: CallContext): string | undefined {
  return structuredToolByContext.get(ctx);
}

export function joinUrl(baseURL: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function fillModel(path: string, modelId: string): string {
  return path.replaceAll('{model}', modelId);
}

/** JSON + version headers; auth and the descriptor's other headers are added by the runtime. */
export function anthropicHeaders(ctx: CallContext): Record<string, string> {
  const fromDescriptor = Object.entries(ctx.descriptor.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'anthropic-version',
  )?.[1];
  return {
    'content-type': 'application/json',
    'anthropic-version': fromDescriptor ?? DEFAULT_ANTHROPIC_VERSION,
  };
}

/**
 * Anthropic's `cache_control` for a breakpoint: `{ type: 'ephemeral' }`, plus `ttl` only when it is
 * set (the 5-minute default is what the API assumes without it).
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export function cacheControlBlock(mark: CacheControl): Block {
  return mark.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: mark.ttl };
}

/** Sets `cache_control` on `block` when `mark` is given; returns the block. */
function marked(block: Block, mark: CacheControl | undefined): Block {
  if (mark !== undefined) block.cache_control = cacheControlBlock(mark);
  return block;
}

/** A signed reasoning block as Anthropic sent it, to replay unchanged. */
function reasoningToBlock(block: ReasoningBlock): Block {
  if (block.type === 'redacted-thinking') return { type: 'redacted_thinking', data: block.data };
  return { type: 'thinking', thinking: block.thinking, signature: block.signature };
}

function partToBlock(part: PreparedPart): Block {
  return marked(partToWire(part), part.cacheControl);
}

function partToWire(part: PreparedPart): Block {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image':
      if (part.data !== undefined) {
        return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
      }
      if (part.url !== undefined) return { type: 'image', source: { type: 'url', url: part.url } };
      throw new UnsupportedCapabilityError('vision', 'Image part has neither data nor url');
    case 'file': {
      if (part.mediaType === 'application/pdf') {
        const block: Block = {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: part.data },
        };
        if (part.filename !== undefined) block.title = part.filename;
        return block;
      }
      if (part.mediaType.startsWith('text/')) {
        const block: Block = {
          type: 'document',
          source: { type: 'text', media_type: 'text/plain', data: Buffer.from(part.data, 'base64').toString('utf8') },
        };
        if (part.filename !== undefined) block.title = part.filename;
        return block;
      }
      throw new UnsupportedCapabilityError(
        'pdf-input',
        `Anthropic accepts PDF and plain-text documents, not '${part.mediaType}'`,
      );
    }
  }
}

/**
 * Converts messages: system prompts are lifted out (joined with a blank line, or one text block each
 * when any of them carries a cache breakpoint), tool results become `tool_result` blocks of one user
 * turn (consecutive tool messages and a user message right after them share that turn), assistant
 * tool calls become `tool_use` blocks after the turn's signed reasoning blocks, which come first as
 * Anthropic requires. A message's cache breakpoint goes on its last block.
 */
export function convertMessages(messages: PreparedMessage[]): { system?: string | Block[]; messages: WireMessage[] } {
  const systemParts: string[] = [];
  let systemBlocks: Block[] | undefined;
  const out: WireMessage[] = [];
  let lastWasToolResult = false;
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemParts.push(message.content);
        if (message.cacheControl !== undefined || systemBlocks !== undefined) {
          systemBlocks ??= systemParts.slice(0, -1).map((text) => ({ type: 'text', text }));
          systemBlocks.push(marked({ type: 'text', text: message.content }, message.cacheControl));
        }
        lastWasToolResult = false;
        break;
      case 'user': {
        const blocks = message.content.map(partToBlock);
        markLast(blocks, message.cacheControl);
        const last = out.at(-1);
        if (lastWasToolResult && last?.role === 'user') last.content.push(...blocks);
        else out.push({ role: 'user', content: blocks });
        lastWasToolResult = false;
        break;
      }
      case 'assistant': {
        const blocks: Block[] = message.reasoningBlocks?.map(reasoningToBlock) ?? [];
        if (message.content.length > 0) blocks.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls) {
          blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments ?? {} });
        }
        markLast(blocks, message.cacheControl);
        // Anthropic rejects an empty assistant turn; an empty one carries nothing anyway.
        if (blocks.length > 0) out.push({ role: 'assistant', content: blocks });
        lastWasToolResult = false;
        break;
      }
      case 'tool': {
        const block = marked(
          { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content },
          message.cacheControl,
        );
        const last = out.at(-1);
        if (lastWasToolResult && last?.role === 'user') last.content.push(block);
        else out.push({ role: 'user', content: [block] });
        lastWasToolResult = true;
        break;
      }
    }
  }
  if (systemBlocks !== undefined) return { system: systemBlocks, messages: out };
  return systemParts.length > 0 ? { system: systemParts.join('\n\n'), messages: out } : { messages: out };
}

/** Puts a message's breakpoint on its last block (thinking blocks cannot carry one). */
function markLast(blocks: Block[], mark: CacheControl | undefined): void {
  const last = blocks.at(-1);
  if (mark !== undefined && last !== undefined && last.type !== 'thinking' && last.type !== 'redacted_thinking')
    marked(last, mark);
}

function convertToolChoice(choice: ToolChoice): Block {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.name };
}

/** The output-token limit to send: the call's, else the catalog's, else 4096. */
export function resolveMaxTokens(ctx: CallContext, request: PreparedChatRequest): number {
  const limit = ctx.model?.limits.output;
  let maxTokens = request.maxTokens ?? limit ?? DEFAULT_MAX_TOKENS;
  const budget = request.reasoning?.budgetTokens;
  // Thinking tokens count against max_tokens, which must stay above budget_tokens.
  if (budget !== undefined && maxTokens <= budget) {
    maxTokens = budget + (request.maxTokens ?? DEFAULT_MAX_TOKENS);
    if (limit !== undefined) maxTokens = Math.min(maxTokens, limit);
  }
  return maxTokens;
}

export function buildChatBody(ctx: CallContext, request: PreparedChatRequest): Record<string, unknown> {
  const { system, messages } = convertMessages(request.messages);
  const body: Record<string, unknown> = { model: ctx.modelId, max_tokens: resolveMaxTokens(ctx, request) };
  body.messages = messages;
  if (system !== undefined) body.system = system;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined) body.stop_sequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.reasoning?.budgetTokens !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: request.reasoning.budgetTokens };
  }

  const tools: Block[] = request.tools.map((tool) => {
    const wire: Block = { name: tool.name };
    if (tool.description !== undefined) wire.description = tool.description;
    wire.input_schema = tool.parameters;
    return marked(wire, tool.cacheControl);
  });
  let toolChoice: Block | undefined =
    request.toolChoice === undefined ? undefined : convertToolChoice(request.toolChoice);

  structuredToolByContext.delete(ctx);
  if (request.responseFormat?.type === 'json-schema') {
    // No native JSON-schema mode in the Messages API: force a tool whose input is the answer.
    const name = request.responseFormat.name;
    tools.push({
      name,
      description: 'Respond with a JSON object that matches this schema.',
      input_schema: request.responseFormat.schema,
    });
    toolChoice = { type: 'tool', name };
    structuredToolByContext.set(ctx, name);
  }
  if (tools.length > 0) {
    body.tools = tools;
    if (toolChoice !== undefined) body.tool_choice = toolChoice;
  }
  body.stream = request.stream;
  Object.assign(body, request.providerOptions);
  return body;
}

export function buildChatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec {
  const path = request.stream
    ? (ctx.descriptor.endpoints.chatStream ?? ctx.descriptor.endpoints.chat ?? '/messages')
    : (ctx.descriptor.endpoints.chat ?? '/messages');
  return {
    method: 'POST',
    url: joinUrl(ctx.baseURL, fillModel(path, ctx.modelId)),
    headers: anthropicHeaders(ctx),
    body: JSON.stringify(buildChatBody(ctx, request)),
  };
}
