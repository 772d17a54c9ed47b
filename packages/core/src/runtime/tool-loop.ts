/**
 * The automatic tool loop: while the model calls tools that have an `execute` handler and steps
 * remain, run the handlers (in parallel), append the assistant's calls and the results, and call
 * the model again. Usage and cost of every step are summed into the final response.
 */
import { assistantMessage } from './assistant-message.js';
import { listTools } from './prepare-chat.js';
import type { ChatRequest, ChatResponse, Message, ToolCall, ToolDefinition } from './types.js';
import { addCost, addUsage } from './usage.js';

/** Serializes a tool's result for the model: strings as they are, anything else as JSON. */
export function serializeToolResult(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

async function runTool(tool: ToolDefinition, call: ToolCall, signal: AbortSignal | undefined): Promise<string> {
  try {
    const context = signal === undefined ? { toolCallId: call.id } : { toolCallId: call.id, signal };
    return serializeToolResult(await tool.execute?.(call.arguments, context));
  } catch (error) {
    // The model sees the failure and can recover; the loop goes on.
    return JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
  }
}

/** Runs the loop; `step` performs one model call with the given messages. */
export async function runToolLoop(
  request: ChatRequest,
  step: (request: ChatRequest) => Promise<ChatResponse>,
): Promise<ChatResponse> {
  const maxSteps = Math.max(1, request.maxSteps ?? 1);
  const tools = new Map(listTools(request.tools).map((tool) => [tool.name, tool]));
  let messages: Message[] = request.messages;
  let total: ChatResponse | undefined;
  for (let stepNumber = 1; ; stepNumber += 1) {
    const response = await step(messages === request.messages ? request : { ...request, messages });
    if (total === undefined) total = response;
    else {
      const usage = addUsage(total.usage, response.usage);
      const cost = addCost(total.cost, response.cost);
      const latencyMs = total.latencyMs + response.latencyMs;
      total = { ...response, usage, latencyMs };
      if (cost === undefined) delete total.cost;
      else total.cost = cost;
    }
    const calls = response.toolCalls;
    if (
      stepNumber >= maxSteps ||
      calls.length === 0 ||
      !calls.every((call) => tools.get(call.name)?.execute !== undefined)
    )
      return total;
    const results = await Promise.all(
      calls.map((call) => runTool(tools.get(call.name) as ToolDefinition, call, request.signal)),
    );
    messages = [
      ...messages,
      // With the turn's signed reasoning: Anthropic wants it back when thinking called tools.
      { ...assistantMessage(response), toolCalls: calls },
      ...calls.map(
        (call, i): Message => ({ role: 'tool', toolCallId: call.id, name: call.name, content: results[i] as string }),
      ),
    ];
  }
}
