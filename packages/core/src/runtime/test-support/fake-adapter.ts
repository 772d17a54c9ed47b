/**
 * A tiny adapter for runtime tests, independent of the real protocol adapters: requests are JSON
 * echoes of the prepared request, stream messages are protocol events as JSON, so tests can script
 * any event sequence from a local server.
 */

import { createError } from '../../errors/errors.js';
import { decodeBase64Embedding } from '../../features/embedding-math.js';
import type { ProtocolAdapter, ProtocolStreamEvent } from '../../protocols/adapter.js';
import { createSseStreamDecoder } from '../../protocols/sse.js';

export const fakeAdapter: ProtocolAdapter = {
  id: 'openai-chat',
  chatRequest(ctx, request) {
    return {
      method: 'POST',
      url: `${ctx.baseURL}/chat`,
      headers: { 'content-type': 'application/json', 'x-adapter': 'fake' },
      body: JSON.stringify({ model: ctx.modelId, ...request }),
    };
  },
  parseChat(_ctx, body) {
    const b = body as { text: string; toolCalls?: []; usage?: object; finishReason?: string; id?: string };
    return {
      text: b.text,
      toolCalls: b.toolCalls ?? [],
      finishReason: (b.finishReason as 'stop') ?? 'stop',
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, ...(b.usage ?? {}) },
      id: b.id,
      raw: body,
    };
  },
  streamDecoder() {
    return createSseStreamDecoder((message, out) => {
      if (message.data === '[DONE]') return;
      const event = JSON.parse(message.data) as
        | ProtocolStreamEvent
        | { type: 'error'; kind: 'provider'; message: string };
      if (event.type === 'error')
        out.push({ type: 'error', error: createError('provider', (event as { message: string }).message) });
      else out.push(event);
    });
  },
  embedRequest(ctx, request) {
    return {
      method: 'POST',
      url: `${ctx.baseURL}/embed`,
      headers: {},
      body: JSON.stringify({ model: ctx.modelId, ...request }),
    };
  },
  parseEmbed(_ctx, body) {
    const b = body as { data: (number[] | string)[]; tokens: number };
    return {
      embeddings: b.data.map((v) => (typeof v === 'string' ? decodeBase64Embedding(v) : v)),
      inputTokens: b.tokens,
      raw: body,
    };
  },
  listModelsRequest(ctx) {
    return { method: 'GET', url: `${ctx.baseURL}/models`, headers: {} };
  },
  parseModels(_ctx, body) {
    return (body as { ids: string[] }).ids.map((id) => ({ id, provider: 'fake', raw: id }));
  },
  parseError(_ctx, status, _headers, bodyText) {
    const kind =
      status === 401
        ? 'authentication'
        : status === 429
          ? 'rate-limit'
          : status >= 500
            ? 'provider'
            : 'invalid-request';
    return createError(kind, `HTTP ${status}: ${bodyText}`, { status });
  },
};
