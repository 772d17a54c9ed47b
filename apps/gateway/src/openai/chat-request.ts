/**
 * An OpenAI chat completion body -> Switchboard's `ChatRequest`. Only the shapes OpenAI documents
 * are accepted, each refused with a 400 naming the OpenAI field (`messages[1].content[0].image_url.url`).
 * Images are URLs or data URLs only, and the gateway never builds a `path` part, so a client can
 * never make it read a local file. Options only OpenAI-style servers understand (`user`, `logprobs`,
 * `parallel_tool_calls`) go through `providerOptions` to the providers that speak that protocol.
 */
import type {
  ChatRequest,
  ContentPart,
  Message,
  TextPart,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '@switchboard/core';
import { GatewayError } from '../gateway-error.js';

/** A translated request, plus what the response needs to know. */
export interface TranslatedChat {
  request: Omit<ChatRequest, 'model'> & { model: string };
  stream: boolean;
  includeUsage: boolean;
}

type Body = Record<string, unknown>;

/** Throws a 400 naming `param`. */
export function badField(param: string, problem: string): never {
  throw new GatewayError(400, `Invalid request: ${param} ${problem}`, { param, type: 'invalid_request_error' });
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Translates the body. `openAIStyleProviders` are the installed providers speaking OpenAI's chat
 * protocol (they receive `user`, `logprobs` and `parallel_tool_calls`); `allProviders` lets the
 * options be keyed per provider so no other protocol sees them.
 */
export function translateChatRequest(
  body: unknown,
  openAIStyleProviders: readonly string[],
  allProviders: readonly string[],
): TranslatedChat {
  if (!isObject(body)) badField('body', 'must be a JSON object');
  const model = body.model;
  if (typeof model !== 'string' || model.length === 0)
    badField('model', 'must be a model id string (provider/model, an alias or a group)');
  if (!Array.isArray(body.messages) || body.messages.length === 0) badField('messages', 'must be a non-empty array');
  if (body.n !== undefined && body.n !== null && body.n !== 1)
    badField('n', 'must be 1 (the gateway returns one choice)');
  const request: TranslatedChat['request'] = {
    model,
    messages: body.messages.map((message, index) => translateMessage(message, `messages[${index}]`)),
  };
  // Read one by one, not through a setter callback each: no closure per field and request.
  const temperature = numberField(body, 'temperature');
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberField(body, 'top_p');
  if (topP !== undefined) request.topP = topP;
  const frequencyPenalty = numberField(body, 'frequency_penalty');
  if (frequencyPenalty !== undefined) request.frequencyPenalty = frequencyPenalty;
  const presencePenalty = numberField(body, 'presence_penalty');
  if (presencePenalty !== undefined) request.presencePenalty = presencePenalty;
  const seed = numberField(body, 'seed');
  if (seed !== undefined) request.seed = seed;
  const maxTokens = numberField(body, 'max_tokens');
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const maxCompletionTokens = numberField(body, 'max_completion_tokens');
  if (maxCompletionTokens !== undefined) request.maxTokens = maxCompletionTokens;
  if (body.stop !== undefined && body.stop !== null) {
    const stop = body.stop;
    if (typeof stop !== 'string' && !(Array.isArray(stop) && stop.every((item) => typeof item === 'string')))
      badField('stop', 'must be a string or an array of strings');
    request.stop = stop as string | string[];
  }
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null) {
    const effort = body.reasoning_effort;
    if (effort !== 'low' && effort !== 'medium' && effort !== 'high')
      badField('reasoning_effort', 'must be low, medium or high');
    request.reasoning = { effort };
  }
  if (body.tools !== undefined && body.tools !== null) request.tools = translateTools(body.tools);
  if (body.tool_choice !== undefined && body.tool_choice !== null)
    request.toolChoice = translateToolChoice(body.tool_choice);
  translateResponseFormat(body.response_format, request);

  const passed: Body = {};
  if (body.user !== undefined && body.user !== null) {
    if (typeof body.user !== 'string') badField('user', 'must be a string');
    passed.user = body.user;
  }
  if (body.parallel_tool_calls !== undefined && body.parallel_tool_calls !== null) {
    if (typeof body.parallel_tool_calls !== 'boolean') badField('parallel_tool_calls', 'must be a boolean');
    passed.parallel_tool_calls = body.parallel_tool_calls;
  }
  if (body.logprobs !== undefined && body.logprobs !== null) {
    if (typeof body.logprobs !== 'boolean') badField('logprobs', 'must be a boolean');
    passed.logprobs = body.logprobs;
  }
  if (body.top_logprobs !== undefined && body.top_logprobs !== null) {
    if (!Number.isInteger(body.top_logprobs)) badField('top_logprobs', 'must be an integer');
    passed.top_logprobs = body.top_logprobs;
  }
  if (Object.keys(passed).length > 0) {
    const keyed: Body = {};
    for (const id of allProviders) keyed[id] = openAIStyleProviders.includes(id) ? passed : {};
    request.providerOptions = keyed;
  }

  const stream = body.stream === true;
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean')
    badField('stream', 'must be a boolean');
  let includeUsage = false;
  if (isObject(body.stream_options)) {
    const flag = body.stream_options.include_usage;
    if (flag !== undefined && typeof flag !== 'boolean') badField('stream_options.include_usage', 'must be a boolean');
    includeUsage = flag === true;
  }
  return { request, stream, includeUsage };
}

/** The body's number `name`; undefined when absent or null, a 400 naming it when not a finite number. */
function numberField(body: Body, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) badField(name, 'must be a number');
  return value;
}

function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, index) => {
        if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string')
          badField(`${param}[${index}]`, 'must be a text part ({ type: "text", text })');
        return part.text;
      })
      .join('');
  }
  badField(param, 'must be a string or an array of text parts');
}

function translateMessage(message: unknown, param: string): Message {
  if (!isObject(message)) badField(param, 'must be an object');
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(message.content, `${param}.content`) };
    case 'user':
      return { role: 'user', content: translateUserContent(message.content, `${param}.content`) };
    case 'assistant': {
      const content =
        message.content === undefined || message.content === null ? null : textOf(message.content, `${param}.content`);
      const out: Message = { role: 'assistant', content };
      if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0)
        out.toolCalls = message.tool_calls.map((call, index) =>
          translateToolCall(call, `${param}.tool_calls[${index}]`),
        );
      return out;
    }
    case 'tool': {
      if (typeof message.tool_call_id !== 'string') badField(`${param}.tool_call_id`, 'must be a string');
      return { role: 'tool', toolCallId: message.tool_call_id, content: textOf(message.content, `${param}.content`) };
    }
    default:
      badField(`${param}.role`, 'must be system, developer, user, assistant or tool');
  }
}

function translateUserContent(content: unknown, param: string): string | ContentPart[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) badField(param, 'must be a string or an array of content parts');
  return content.map((part, index): ContentPart => {
    const partParam = `${param}[${index}]`;
    if (!isObject(part)) badField(partParam, 'must be an object');
    if (part.type === 'text') {
      if (typeof part.text !== 'string') badField(`${partParam}.text`, 'must be a string');
      return { type: 'text', text: part.text } satisfies TextPart;
    }
    if (part.type === 'image_url') {
      const image = part.image_url;
      const url = isObject(image) ? image.url : image;
      if (typeof url !== 'string' || !/^(https?:|data:)/i.test(url))
        badField(`${partParam}.image_url.url`, 'must be an http(s) URL or a data: URL');
      const detail = isObject(image) ? image.detail : undefined;
      if (detail !== undefined && detail !== 'auto' && detail !== 'low' && detail !== 'high')
        badField(`${partParam}.image_url.detail`, 'must be auto, low or high');
      // Only ever `image` (a URL string): never `path`, so no request can make the gateway read a file.
      return { type: 'image', image: url, ...(detail === undefined ? {} : { detail }) };
    }
    return badField(
      `${partParam}.type`,
      'must be text or image_url (the gateway accepts images by URL or data URL only)',
    );
  });
}

function translateToolCall(call: unknown, param: string): ToolCall {
  if (!isObject(call) || !isObject(call.function))
    badField(param, 'must be { id, type: "function", function: { name, arguments } }');
  if (typeof call.id !== 'string') badField(`${param}.id`, 'must be a string');
  const fn = call.function;
  if (typeof fn.name !== 'string') badField(`${param}.function.name`, 'must be a string');
  let parsed: unknown = {};
  if (typeof fn.arguments === 'string' && fn.arguments.trim() !== '') {
    try {
      parsed = JSON.parse(fn.arguments);
    } catch {
      badField(`${param}.function.arguments`, 'must be a JSON object encoded as a string');
    }
  }
  if (!isObject(parsed)) badField(`${param}.function.arguments`, 'must encode a JSON object');
  return { id: call.id, name: fn.name, arguments: parsed };
}

function translateTools(tools: unknown): ToolDefinition[] {
  if (!Array.isArray(tools)) badField('tools', 'must be an array');
  return tools.map((tool, index) => {
    const param = `tools[${index}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function))
      badField(param, 'must be { type: "function", function: { name, parameters } }');
    const fn = tool.function;
    if (typeof fn.name !== 'string' || fn.name === '') badField(`${param}.function.name`, 'must be a non-empty string');
    if (fn.parameters !== undefined && !isObject(fn.parameters))
      badField(`${param}.function.parameters`, 'must be a JSON Schema object');
    const definition: ToolDefinition = {
      name: fn.name,
      parameters: (fn.parameters as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
    };
    if (typeof fn.description === 'string') definition.description = fn.description;
    return definition;
  });
}

function translateToolChoice(choice: unknown): ToolChoice {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string')
    return { name: choice.function.name };
  badField('tool_choice', 'must be auto, none, required or { type: "function", function: { name } }');
}

function translateResponseFormat(format: unknown, request: TranslatedChat['request']): void {
  if (format === undefined || format === null) return;
  if (!isObject(format)) badField('response_format', 'must be an object');
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    request.schema = { type: 'object' };
    request.maxRetries = 0;
    return;
  }
  if (format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isObject(spec) || !isObject(spec.schema))
      badField('response_format.json_schema.schema', 'must be a JSON Schema object');
    request.schema = spec.schema;
    // An OpenAI client gets one model call per request: no hidden re-asks it would pay for.
    request.maxRetries = 0;
    if (typeof spec.name === 'string') request.schemaName = spec.name;
    return;
  }
  badField('response_format.type', 'must be text, json_object or json_schema');
}
