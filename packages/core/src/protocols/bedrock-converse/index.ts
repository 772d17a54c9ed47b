/**
 * The `bedrock-converse` protocol: Amazon Bedrock's Converse and ConverseStream APIs (SigV4 or API
 * key auth, AWS event-stream framing) plus InvokeModel for Titan and Cohere embeddings, and the
 * control plane's ListFoundationModels for the models list.
 */
import type { ProtocolAdapter } from '../adapter.js';
import { buildEmbedRequest, parseEmbedResponse } from './embed.js';
import { parseBedrockError } from './errors.js';
import { buildModelsRequest, parseModels } from './models.js';
import { buildChatRequest } from './request.js';
import { parseConverseResponse } from './response.js';
import { signBedrockRequest } from './sign.js';
import { createConverseStreamDecoder } from './stream.js';

export { BEDROCK_PEER_PACKAGES, loadAwsDeps } from './aws-deps.js';
export { signBedrockRequest } from './sign.js';

export const bedrockConverseAdapter: ProtocolAdapter = {
  id: 'bedrock-converse',
  chatRequest: buildChatRequest,
  parseChat: parseConverseResponse,
  streamDecoder: (ctx) => createConverseStreamDecoder(ctx),
  embedRequest: buildEmbedRequest,
  parseEmbed: parseEmbedResponse,
  listModelsRequest: buildModelsRequest,
  parseModels,
  parseError: parseBedrockError,
  sign: (ctx, request) => signBedrockRequest(ctx, request),
};
