/**
 * The `ollama` protocol: Ollama's native API. POST /api/chat (NDJSON stream or one object),
 * POST /api/embed, GET /api/tags.
 */
import type { ListedModel } from '../../runtime/types.js';
import { asArray, asNumber, asRecord, asString } from '../shared/index.js';
import type { ProtocolAdapter } from '../types.js';
import { parseOllamaError } from './errors.js';
import { buildOllamaChatRequest, ollamaUrl } from './request.js';
import { parseOllamaChat } from './response.js';
import { createOllamaStreamDecoder } from './stream.js';

export const ollamaAdapter: ProtocolAdapter = {
  id: 'ollama',
  chatRequest: buildOllamaChatRequest,
  parseChat: (_ctx, body) => parseOllamaChat(body),
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
  parseEmbed(_ctx, body) {
    const b = asRecord(body);
    const embeddings = asArray(b.embeddings).map((row) => asArray(row).map((n) => Number(n)));
    return { embeddings, inputTokens: asNumber(b.prompt_eval_count) ?? 0, raw: body };
  },
  listModelsRequest(ctx) {
    return {
      method: 'GET',
      url: ollamaUrl(ctx, ctx.descriptor.endpoints?.models, '/api/tags'),
      headers: { accept: 'application/json' },
    };
  },
  parseModels(ctx, body) {
    return asArray(asRecord(body).models).map((raw): ListedModel => {
      const m = asRecord(raw);
      const id = asString(m.model) ?? asString(m.name) ?? '';
      const model: ListedModel = { id, provider: ctx.descriptor.id, raw };
      const name = asString(m.name);
      if (name !== undefined) model.name = name;
      return model;
    });
  },
  parseError: parseOllamaError,
};
