/**
 * The `ollama` protocol: Ollama's native API. POST /api/chat (NDJSON stream or one object),
 * POST /api/embed, GET /api/tags.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { parseOllamaEmbed } from './embed.js';
import { parseOllamaError } from './errors.js';
import { parseOllamaModels } from './models.js';
import { buildOllamaChatRequest, ollamaUrl } from './request.js';
import { parseOllamaChat } from './response.js';
import { createOllamaStreamDecoder } from './stream.js';

export const ollamaAdapter: ProtocolAdapter = {
  id: 'ollama',
  chatRequest: buildOllamaChatRequest,
  parseChat: parseOllamaChat,
  streamDecoder: (ctx) => createOllamaStreamDecoder(ctx),
  embedRequest(ctx, request) {
    const body: Record<string, unknown> = { model: ctx.modelId, input: request.input };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    Object.assign(body, request.providerOptions);
    return {
      method: 'POST',
      url: ollamaUrl(ctx, ctx.descriptor.endpoints?.embeddings, '/api/embed'),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    };
  },
  parseEmbed: parseOllamaEmbed,
  listModelsRequest(ctx) {
    return {
      method: 'GET',
      url: ollamaUrl(ctx, ctx.descriptor.endpoints?.models, '/api/tags'),
      headers: { accept: 'application/json' },
    };
  },
  parseModels: parseOllamaModels,
  parseError: parseOllamaError,
};
