/**
 * Ollama's native /api/chat request: OpenAI-shaped messages and function tools, but images as a
 * base64 list on the message, tool-call arguments as objects (no ids; a tool result names its tool
 * in `tool_name`), sampling options under `options`, structured output in `format` and reasoning in `think`.
 */
import { UnsupportedCapabilityError } from '../../errors/errors.js';
import type { CallContext, HttpRequestSpec, PreparedChatRequest, PreparedMessage } from '../../types/protocol.js';
import { buildUrl, isRecord } from '../shared/index.js';

interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[];
  tool_name?: string;
}

export function ollamaUrl(ctx: CallContext, endpoint: string | undefined, fallback: string): string {
  return buildUrl(ctx.baseURL, endpoint ?? fallback, ctx.descriptor.dialect?.queryParams, {
    ...ctx.params,
    model: ctx.modelId,
  });
}

function toOllamaMessages(ctx: CallContext, messages: readonly PreparedMessage[]): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  /** Tool call id -> tool name, from the assistant turns seen so far (Ollama wants the name). */
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        const texts: string[] = [];
        const images: string[] = [];
        for (const part of message.content) {
          if (part.type === 'text') texts.push(part.text);
          else if (part.type === 'image') {
            if (part.data === undefined) {
              throw new UnsupportedCapabilityError(
                'vision',
                'Ollama needs image bytes (base64), it cannot fetch image URLs; sb.chat downloads them for it, a direct adapter call must pass bytes',
                {
                  provider: ctx.descriptor.id,
                  model: ctx.modelId,
                },
              );
            }
            images.push(part.data);
          } else if (part.mediaType.startsWith('text/')) {
            texts.push(Buffer.from(part.data, 'base64').toString('utf8'));
          } else {
            throw new UnsupportedCapabilityError('pdf-input', `Ollama does not accept ${part.mediaType} files`, {
              provider: ctx.descriptor.id,
              model: ctx.modelId,
            });
          }
        }
        const msg: OllamaMessage = { role: 'user', content: texts.join('\n') };
        if (images.length > 0) msg.images = images;
        out.push(msg);
        break;
      }
      case 'assistant': {
        const msg: OllamaMessage = { role: 'assistant', content: message.content };
        if (message.toolCalls.length > 0) {
          msg.tool_calls = message.toolCalls.map((call) => {
            toolNames.set(call.id, call.name);
            return { function: { name: call.name, arguments: call.arguments } };
          });
        }
        out.push(msg);
        break;
      }
      case 'tool': {
        const msg: OllamaMessage = { role: 'tool', content: message.content };
        const name = message.name ?? toolNames.get(message.toolCallId);
        if (name !== undefined) msg.tool_name = name;
        out.push(msg);
        break;
      }
    }
  }
  return out;
}

export function buildOllamaChatBody(ctx: CallContext, request: PreparedChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: ctx.modelId,
    messages: toOllamaMessages(ctx, request.messages),
    stream: request.stream,
  };
  // Ollama has no tool_choice: "none" drops the tools; "required" / a name cannot be enforced.
  if (request.tools.length > 0 && request.toolChoice !== 'none') {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters,
      },
    }));
  }
  if (request.responseFormat?.type === 'json-schema') body.format = request.responseFormat.schema;
  else if (request.responseFormat?.type === 'json-object') body.format = 'json';

  const options: Record<string, unknown> = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
  if (request.stop !== undefined) options.stop = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.seed !== undefined) options.seed = request.seed;
  if (request.frequencyPenalty !== undefined) options.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) options.presence_penalty = request.presencePenalty;

  if (request.reasoning !== undefined) body.think = request.reasoning.effort ?? true;

  for (const [key, value] of Object.entries(request.providerOptions ?? {})) {
    if (value === undefined) continue;
    if (key === 'options' && isRecord(value)) Object.assign(options, value);
    else body[key] = value;
  }
  if (Object.keys(options).length > 0) body.options = options;
  return body;
}

/** POST /api/chat. */
export function buildOllamaChatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec {
  return {
    method: 'POST',
    url: ollamaUrl(ctx, ctx.descriptor.endpoints?.chat, '/api/chat'),
    headers: {
      'content-type': 'application/json',
      accept: request.stream ? 'application/x-ndjson' : 'application/json',
    },
    body: JSON.stringify(buildOllamaChatBody(ctx, request)),
  };
}
