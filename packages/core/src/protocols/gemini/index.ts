/**
 * The `gemini` protocol: Google's Gemini API (generateContent, streamGenerateContent with SSE,
 * batchEmbedContents, models list). Auth (`x-goog-api-key` header or `key` query) is applied by the
 * runtime from the provider descriptor.
 */
import type { ListedModel } from '../../runtime/types.js';
import type { ProtocolAdapter } from '../types.js';
import { toGeminiError } from './errors.js';
import { buildChatRequest, buildEmbedRequest, buildModelsRequest } from './request.js';
import { parseChatBody } from './response.js';
import { createGeminiStreamDecoder } from './stream.js';

export { mapFinishReason, mapUsage } from './response.js';

interface EmbedBody {
  embeddings?: { values?: number[] }[];
  embedding?: { values?: number[] };
  usageMetadata?: { promptTokenCount?: number };
}

interface ModelsBody {
  models?: { name: string; displayName?: string; inputTokenLimit?: number }[];
}

export const geminiAdapter: ProtocolAdapter = {
  id: 'gemini',
  chatRequest: buildChatRequest,
  parseChat: parseChatBody,
  streamDecoder: createGeminiStreamDecoder,
  embedRequest: buildEmbedRequest,
  parseEmbed(_ctx, body) {
    const parsed = (body ?? {}) as EmbedBody;
    const list = parsed.embeddings ?? (parsed.embedding ? [parsed.embedding] : []);
    // The Gemini API reports no token count for embeddings (some versions add usageMetadata).
    return {
      embeddings: list.map((e) => e.values ?? []),
      inputTokens: parsed.usageMetadata?.promptTokenCount ?? 0,
      raw: body,
    };
  },
  listModelsRequest: buildModelsRequest,
  parseModels(ctx, body) {
    return ((body as ModelsBody | undefined)?.models ?? []).map((model): ListedModel => {
      const listed: ListedModel = { id: model.name.replace(/^models\//, ''), provider: ctx.descriptor.id, raw: model };
      if (model.displayName !== undefined) listed.name = model.displayName;
      if (model.inputTokenLimit !== undefined) listed.contextWindow = model.inputTokenLimit;
      return listed;
    });
  },
  parseError(ctx, status, headers, bodyText) {
    return toGeminiError(ctx, status, headers, bodyText);
  },
};
