/**
 * The `anthropic-messages` protocol: Anthropic's Messages API (chat, streaming, tools, vision, PDFs,
 * extended thinking, prompt-cache usage) and its models list.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { toAnthropicError } from './errors.js';
import { nextModelsRequest, parseModels } from './models.js';
import { anthropicHeaders, buildChatRequest, joinUrl } from './request.js';
import { parseChatBody } from './response.js';
import { createAnthropicStreamDecoder } from './stream.js';

export { mapStopReason, mapUsage } from './response.js';

export const anthropicMessagesAdapter: ProtocolAdapter = {
  id: 'anthropic-messages',
  chatRequest: buildChatRequest,
  parseChat: parseChatBody,
  streamDecoder: createAnthropicStreamDecoder,
  listModelsRequest(ctx) {
    const { 'content-type': _json, ...headers } = anthropicHeaders(ctx);
    // The default page is 20 models; 1000 is the maximum (models.ts follows `has_more`).
    const url = new URL(joinUrl(ctx.baseURL, ctx.descriptor.endpoints.models ?? '/models'));
    if (!url.searchParams.has('limit')) url.searchParams.set('limit', '1000');
    return { method: 'GET', url: url.toString(), headers };
  },
  parseModels,
  nextModelsRequest,
  parseError(ctx, status, headers, bodyText) {
    return toAnthropicError(ctx, status, headers, bodyText);
  },
};
