/**
 * The `gemini` protocol: Google's Gemini API (generateContent, streamGenerateContent with SSE,
 * batchEmbedContents, models list). Auth (`x-goog-api-key` header or `key` query) is applied by the
 * runtime from the provider descriptor.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { parseEmbed } from './embeddings.js';
import { toGeminiError } from './errors.js';
import { nextModelsRequest, parseModels } from './models.js';
import { buildChatRequest, buildEmbedRequest, buildModelsRequest } from './request.js';
import { parseChatBody } from './response.js';
import { createGeminiStreamDecoder } from './stream.js';

export { mapFinishReason, mapUsage } from './response.js';

export const geminiAdapter: ProtocolAdapter = {
  id: 'gemini',
  chatRequest: buildChatRequest,
  parseChat: parseChatBody,
  streamDecoder: createGeminiStreamDecoder,
  embedRequest: buildEmbedRequest,
  parseEmbed,
  listModelsRequest: buildModelsRequest,
  parseModels,
  nextModelsRequest,
  parseError(ctx, status, headers, bodyText) {
    return toGeminiError(ctx, status, headers, bodyText);
  },
};
