/**
 * The `openai-chat` protocol: Chat Completions, embeddings and the models list, as spoken by OpenAI
 * and the OpenAI-compatible providers (azure-openai, groq, mistral, perplexity, xai, openrouter,
 * deepseek, together, lmstudio, vllm, ollama's /v1). Every provider difference comes from
 * `ctx.descriptor.dialect`; see request.ts for the request side and response.ts / stream.ts for parsing.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { embedRequest, listModelsRequest, parseEmbed, parseModels } from './embeddings.js';
import { parseError } from './errors.js';
import { chatRequest } from './request.js';
import { parseChat } from './response.js';
import { streamDecoder } from './stream.js';

export const openaiChatAdapter: ProtocolAdapter = {
  id: 'openai-chat',
  chatRequest,
  parseChat,
  streamDecoder,
  embedRequest,
  parseEmbed,
  listModelsRequest,
  parseModels,
  parseError,
};

export { extractOpenAIError } from './errors.js';
export { buildChatBody, conformToolCallId, messagesToWire, toolChoiceToWire } from './request.js';
export { mapFinishReason, parseUsage } from './response.js';
