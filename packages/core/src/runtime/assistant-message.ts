/**
 * The assistant message to append after a response, so the next request carries everything the
 * provider expects back: the text, the tool calls, and the signed reasoning blocks (Anthropic
 * rejects a follow-up to a thinking turn that called tools unless its thinking comes back unchanged).
 */
import type { AssistantMessage, ChatResponse } from '../types/requests.js';

/** `messages.push(assistantMessage(res))`: text (null when the turn only called tools), calls, reasoning. */
export function assistantMessage(
  response: Pick<ChatResponse, 'text' | 'toolCalls' | 'reasoningBlocks'>,
): AssistantMessage {
  const message: AssistantMessage = {
    role: 'assistant',
    content: response.text === '' && response.toolCalls.length > 0 ? null : response.text,
  };
  if (response.toolCalls.length > 0) message.toolCalls = response.toolCalls;
  if (response.reasoningBlocks !== undefined && response.reasoningBlocks.length > 0)
    message.reasoningBlocks = response.reasoningBlocks;
  return message;
}
