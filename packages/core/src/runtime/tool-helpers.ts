/**
 * Running tools by hand, with the same checks as the automatic tool loop (which uses these):
 * `tool()` types a tool's handler from its zod schema, `executeToolCalls()` validates and runs the
 * model's calls, `toolResultMessage()` turns a result into the message the model reads, and
 * `validateToolCalls()` checks calls a caller runs itself.
 */
import { InvalidResponseError } from '../errors/errors.js';
import { redactSecret } from '../errors/redact.js';
import { REDACTED } from '../errors/secret-patterns.js';
import { redactKeyShapes } from '../errors/secret-shapes.js';
import type {
  CacheControl,
  ChatRequest,
  JsonSchema,
  ToolArguments,
  ToolCall,
  ToolContext,
  ToolDefinition,
  ToolMessage,
} from '../types/requests.js';
import { listTools } from './prepare-chat.js';
import { argumentErrorForModel, checkToolArguments, invalidToolArguments } from './tool-arguments.js';

/**
 * Defines a tool whose `execute` argument is typed from its zod `parameters` (TypeScript cannot
 * infer it inside an array literal of `ToolDefinition`s): `tool({ name, parameters: z.object({ city:
 * z.string() }), execute: ({ city }) => lookup(city) })`. Returns the definition unchanged.
 */
export function tool<Parameters extends JsonSchema | { safeParse(value: unknown): unknown }>(definition: {
  name: string;
  description?: string;
  parameters: Parameters;
  cacheControl?: CacheControl;
  execute?: (args: ToolArguments<Parameters>, context: ToolContext) => unknown;
}): ToolDefinition<ToolArguments<Parameters>> {
  return definition as ToolDefinition<ToolArguments<Parameters>>;
}

/** What running one tool call produced. `result` is `{ error: message }` when `isError`. */
export interface ToolResult {
  toolCallId: string;
  name: string;
  result: unknown;
  isError: boolean;
}

/** Options of {@link executeToolCalls}. */
export interface ExecuteToolCallsOptions {
  /** Passed to every handler (stop the tools' work when the caller aborts). */
  signal?: AbortSignal;
  /** Secrets to remove from error messages before they go to the model (key-shaped words always are). */
  secrets?: readonly (string | undefined)[];
}

/** Serializes a tool's result for the model: strings as they are, anything else as JSON. */
export function serializeToolResult(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return String(value);
  }
}

/** A thrown value's message, with key-shaped words and the given secrets removed (it goes to a provider). */
function errorText(error: unknown, secrets: readonly (string | undefined)[] | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const scrubbed = secrets === undefined ? message : redactSecret(message, secrets);
  return redactKeyShapes(scrubbed) || REDACTED;
}

/** The tools of a request (an array or a record by name) by name. */
export function toolsByName(
  tools: readonly ToolDefinition[] | Record<string, ToolDefinition> | undefined,
): Map<string, ToolDefinition> {
  return new Map(listTools(tools as ChatRequest['tools']).map((definition) => [definition.name, definition]));
}

/**
 * Validates and runs one call. Never throws: an unknown tool, a tool without `execute`, invalid
 * arguments and a handler that throws all come back as `isError` results carrying the message.
 */
export async function executeToolCall(
  call: ToolCall,
  definition: ToolDefinition | undefined,
  options: ExecuteToolCallsOptions = {},
): Promise<ToolResult> {
  const failed = (message: string): ToolResult => ({
    toolCallId: call.id,
    name: call.name,
    result: { error: message },
    isError: true,
  });
  if (definition === undefined) return failed(`Unknown tool '${call.name}'`);
  if (definition.execute === undefined) return failed(`Tool '${call.name}' has no execute handler`);
  try {
    const checked = await checkToolArguments(definition, call);
    if (!checked.valid) return failed(argumentErrorForModel(call.name, checked.problems));
    const context: ToolContext =
      options.signal === undefined ? { toolCallId: call.id } : { toolCallId: call.id, signal: options.signal };
    const result = await definition.execute(checked.arguments, context);
    return { toolCallId: call.id, name: call.name, result, isError: false };
  } catch (error) {
    // The model sees the failure and can recover (as the loops of other SDKs do); the loop goes on.
    return failed(errorText(error, options.secrets));
  }
}

/**
 * Validates and runs the model's tool calls (in parallel), with the same checks as the tool loop.
 * Results come back in the calls' order and it never throws for a tool's failure: each result says
 * `isError`. Feed them back with `toolResultMessage(call, result)`.
 */
export function executeToolCalls(
  calls: readonly ToolCall[],
  tools: readonly ToolDefinition[] | Record<string, ToolDefinition>,
  options: ExecuteToolCallsOptions = {},
): Promise<ToolResult[]> {
  const byName = toolsByName(tools);
  return Promise.all(calls.map((call) => executeToolCall(call, byName.get(call.name), options)));
}

/**
 * The tool message answering `call`: a string result as it is, anything else as JSON, an `Error`
 * (or a failed {@link ToolResult}) as `{ "error": message }`.
 */
export function toolResultMessage(call: ToolCall, result: unknown): ToolMessage {
  let content: string;
  if (result instanceof Error) content = JSON.stringify({ error: errorText(result, undefined) });
  else if (isToolResult(result, call)) content = serializeToolResult(result.result);
  else content = serializeToolResult(result);
  return { role: 'tool', toolCallId: call.id, name: call.name, content };
}

/** True for what `executeToolCalls` returned for this call (so its `result` is what the model reads). */
function isToolResult(value: unknown, call: ToolCall): value is ToolResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ToolResult).toolCallId === call.id &&
    typeof (value as ToolResult).isError === 'boolean' &&
    'result' in value
  );
}

/**
 * Checks calls the caller runs itself (tools without `execute`, or `maxSteps` 1): resolves with the
 * calls carrying the parsed arguments (zod coercions and defaults applied), or rejects with an
 * `invalid-response` error naming the tool and the field. Calls to tools not in `tools` are refused too.
 */
export async function validateToolCalls(
  calls: readonly ToolCall[],
  tools: readonly ToolDefinition[] | Record<string, ToolDefinition>,
): Promise<ToolCall[]> {
  const byName = toolsByName(tools);
  const out: ToolCall[] = [];
  for (const call of calls) {
    const definition = byName.get(call.name);
    if (definition === undefined)
      throw new InvalidResponseError(`The model called tool '${call.name}', which the request does not define`, {
        retryable: false,
        body: { tool: call.name, toolCallId: call.id },
      });
    const checked = await checkToolArguments(definition, call);
    if (!checked.valid) throw invalidToolArguments(call, checked.problems);
    out.push({ ...call, arguments: checked.arguments });
  }
  return out;
}
