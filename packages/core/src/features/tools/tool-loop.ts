/**
 * The automatic tool loop: while the model calls tools that have an `execute` handler and steps
 * remain, validate the arguments and run the handlers (in parallel), append the assistant's calls
 * and the results, and call the model again. Usage and cost of every step are summed into the final
 * response.
 *
 * A call with invalid arguments (or a handler that throws) goes back to the model as a tool result
 * `{ "error": "..." }` naming the field, so it can correct itself within `maxSteps`. When no step is
 * left for that, invalid arguments fail the call with `invalid-response` naming the tool and field.
 */
import { assistantMessage } from '../../runtime/assistant-message.js';
import { checkToolArguments, invalidToolArguments } from '../../runtime/tool-arguments.js';
import { executeToolCall, serializeToolResult, type ToolResult, toolsByName } from '../../runtime/tool-helpers.js';
import { addCost, addUsage } from '../../runtime/usage.js';
import type { ChatRequest, ChatResponse, Message, ToolCall, ToolDefinition } from '../../types/requests.js';

export { serializeToolResult };

/** Options the switchboard gives its loops. */
export interface ToolLoopOptions {
  /** The switchboard's secrets, removed from tool error messages before they go to the model. */
  secrets?: () => Iterable<string | undefined>;
}

/** `total` with one more step: that step's response, with usage, cost and latency summed. */
export function addStep(total: ChatResponse | undefined, response: ChatResponse): ChatResponse {
  if (total === undefined) return response;
  const usage = addUsage(total.usage, response.usage);
  const cost = addCost(total.cost, response.cost);
  const latencyMs = total.latencyMs + response.latencyMs;
  const out: ChatResponse = { ...response, usage, latencyMs };
  if (cost === undefined) delete out.cost;
  else out.cost = cost;
  return out;
}

/** True when the loop can run this step's calls: there are some and each has a handler. */
export function runnableCalls(calls: readonly ToolCall[], tools: Map<string, ToolDefinition>): boolean {
  return calls.length > 0 && calls.every((call) => tools.get(call.name)?.execute !== undefined);
}

/**
 * The calls of the last step (no step left to run them): their checked arguments, or an
 * `invalid-response` error for the first invalid one (it cannot go back to the model any more).
 */
export async function finalCalls(response: ChatResponse, tools: Map<string, ToolDefinition>): Promise<ToolCall[]> {
  const out: ToolCall[] = [];
  for (const call of response.toolCalls) {
    const checked = await checkToolArguments(tools.get(call.name) as ToolDefinition, call);
    if (!checked.valid)
      throw invalidToolArguments(call, checked.problems, { provider: response.provider, model: response.model });
    out.push({ ...call, arguments: checked.arguments });
  }
  return out;
}

/** The warning of a loop that stopped with calls it could have run. */
export function stepsExhaustedWarning(maxSteps: number): string {
  return `The tool loop used all ${maxSteps} steps (maxSteps): the last step's tool calls were not run`;
}

/** Runs this step's calls (validated, in parallel, never throwing). */
export function runCalls(
  calls: readonly ToolCall[],
  tools: Map<string, ToolDefinition>,
  request: ChatRequest,
  options: ToolLoopOptions,
): Promise<ToolResult[]> {
  const secrets = options.secrets === undefined ? undefined : [...options.secrets()];
  const signal = request.signal;
  const runOptions = {
    ...(signal === undefined ? {} : { signal }),
    ...(secrets === undefined ? {} : { secrets }),
  };
  return Promise.all(calls.map((call) => executeToolCall(call, tools.get(call.name), runOptions)));
}

/** The messages of the next step: the assistant's turn with its calls, then one tool message per result. */
export function nextMessages(
  messages: readonly Message[],
  response: ChatResponse,
  results: readonly ToolResult[],
): Message[] {
  return [
    ...messages,
    // With the turn's signed reasoning: Anthropic wants it back when thinking called tools.
    { ...assistantMessage(response), toolCalls: response.toolCalls },
    ...results.map(
      (result): Message => ({
        role: 'tool',
        toolCallId: result.toolCallId,
        name: result.name,
        content: serializeToolResult(result.result),
      }),
    ),
  ];
}

/** Runs the loop; `step` performs one model call with the given messages. */
export async function runToolLoop(
  request: ChatRequest,
  step: (request: ChatRequest) => Promise<ChatResponse>,
  options: ToolLoopOptions = {},
): Promise<ChatResponse> {
  const maxSteps = Math.max(1, request.maxSteps ?? 1);
  const tools = toolsByName(request.tools);
  let messages: Message[] = request.messages;
  let total: ChatResponse | undefined;
  for (let stepNumber = 1; ; stepNumber += 1) {
    const response = await step(messages === request.messages ? request : { ...request, messages });
    total = addStep(total, response);
    if (maxSteps === 1 || !runnableCalls(response.toolCalls, tools)) return total;
    if (stepNumber >= maxSteps) {
      const toolCalls = await finalCalls(response, tools);
      return { ...total, toolCalls, warnings: [...total.warnings, stepsExhaustedWarning(maxSteps)] };
    }
    messages = nextMessages(messages, response, await runCalls(response.toolCalls, tools, request, options));
  }
}
