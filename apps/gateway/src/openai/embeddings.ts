/**
 * OpenAI's embeddings body <-> Switchboard's `EmbedRequest` / `EmbedResponse`. `encoding_format:
 * base64` is answered as OpenAI does (little-endian float32, base64), whatever the upstream sent:
 * core always hands back decoded floats.
 */
import { type EmbedRequest, type EmbedResponse, encodeBase64Embedding } from '@switchboard/core';
import { badField } from './chat-request.js';
import { openAICost } from './chat-response.js';

export interface TranslatedEmbed {
  request: Omit<EmbedRequest, 'model'> & { model: string };
  base64: boolean;
}

/** Translates the body, refusing token-array input (the gateway embeds text) with a 400 naming `input`. */
export function translateEmbedRequest(body: unknown): TranslatedEmbed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badField('body', 'must be a JSON object');
  const fields = body as Record<string, unknown>;
  if (typeof fields.model !== 'string' || fields.model === '') badField('model', 'must be a model id string');
  const input = fields.input;
  const isText =
    typeof input === 'string' ||
    (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string'));
  if (!isText) badField('input', 'must be a string or a non-empty array of strings');
  const format = fields.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') badField('encoding_format', 'must be float or base64');
  const request: TranslatedEmbed['request'] = { model: fields.model, input: input as string | string[] };
  if (fields.dimensions !== undefined && fields.dimensions !== null) {
    if (!Number.isInteger(fields.dimensions) || (fields.dimensions as number) <= 0)
      badField('dimensions', 'must be a positive integer');
    request.dimensions = fields.dimensions as number;
  }
  return { request, base64: format === 'base64' };
}

/** OpenAI's `list` of embeddings. */
export function embeddingList(response: EmbedResponse, base64: boolean): Record<string, unknown> {
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? encodeBase64Embedding(vector) : vector,
    })),
    model: `${response.provider}/${response.model}`,
    usage: { prompt_tokens: response.usage.inputTokens, total_tokens: response.usage.inputTokens },
    cost: openAICost(response.cost),
  };
}
