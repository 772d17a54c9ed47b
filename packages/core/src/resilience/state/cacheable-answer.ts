/**
 * Which answers the response cache may store. A cached answer is served again and again for its whole
 * TTL, so only an answer the caller would accept a second time is kept:
 *
 * - never a failure: a thrown error, an `error` stream event or `finishReason: 'error'`;
 * - never an empty answer (no text and no tool calls), whatever the finish reason: it is either
 *   unfinished (`length` spent on reasoning, `content-filter`, `other`) or a provider hiccup that
 *   answered `stop` with nothing, and a new call may well do better;
 * - never embeddings without a vector.
 *
 * Calls with tools that have `execute` are cached like any other: the cache holds one model step
 * (its tool calls), never a tool's result, and the tool loop runs outside the cache stage, so every
 * `execute` still runs on a hit; the next step's request carries the tool's fresh result, so its key
 * differs whenever the result does.
 */
import type { ChatResponse, EmbedResponse } from '../../types/requests.js';

/** Whether a chat answer (or a stream's final response) may be stored. */
export function isCacheableChat(response: ChatResponse): boolean {
  if (response.finishReason === 'error') return false;
  return response.text !== '' || response.toolCalls.length > 0;
}

/** Whether an embedding answer may be stored. */
export function isCacheableEmbedding(response: EmbedResponse): boolean {
  return response.embeddings.length > 0;
}
