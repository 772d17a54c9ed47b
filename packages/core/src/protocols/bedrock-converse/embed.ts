/**
 * Bedrock embeddings through InvokeModel (`POST /model/{id}/invoke`), whose body is the model's own
 * format: Titan text embeddings take one `inputText` per call; Cohere Embed takes `texts` (up to 96)
 * and an `input_type`. The family is chosen by the model id (region prefixes like `us.` are allowed).
 */
import { InvalidRequestError, UnsupportedCapabilityError } from '../../runtime/errors.js';
import type { CallContext, HttpRequestSpec, PreparedEmbedRequest } from '../types.js';
import { modelUrl } from './request.js';

type Family = 'titan-v1' | 'titan-v2' | 'cohere';

function family(ctx: CallContext): Family {
  const id = ctx.modelId.replace(/^(?:[a-z]{2}|global|apac)\./, '');
  if (id.startsWith('amazon.titan-embed-text-v1') || id.startsWith('amazon.titan-embed-g1-text')) return 'titan-v1';
  if (id.startsWith('amazon.titan-embed')) return 'titan-v2';
  if (id.startsWith('cohere.embed')) return 'cohere';
  throw new UnsupportedCapabilityError(
    'embeddings',
    `Bedrock embeddings support Titan and Cohere Embed models, not ${ctx.modelId}`,
    {
      provider: ctx.descriptor.id,
      model: ctx.modelId,
    },
  );
}

export function buildEmbedRequest(ctx: CallContext, request: PreparedEmbedRequest): HttpRequestSpec {
  const f = family(ctx);
  const options = { ...request.providerOptions };
  let body: Record<string, unknown>;
  if (f === 'cohere') {
    const inputType = options.input_type ?? options.inputType ?? 'search_document';
    delete options.inputType;
    delete options.input_type;
    body = { texts: request.input, input_type: inputType, ...options };
  } else {
    if (request.input.length !== 1) {
      throw new InvalidRequestError(
        `Titan embedding models embed one text per call (got ${request.input.length}); the catalog should set the model's embedding.maxInputs: 1 so core sends one request per input`,
        { provider: ctx.descriptor.id, model: ctx.modelId },
      );
    }
    body = { inputText: request.input[0] };
    if (f === 'titan-v2') {
      if (request.dimensions !== undefined) body.dimensions = request.dimensions;
      body.normalize = options.normalize ?? true;
      delete options.normalize;
    }
    Object.assign(body, options);
  }
  return {
    method: 'POST',
    url: modelUrl(ctx, ctx.descriptor.endpoints?.embeddings, '/model/{model}/invoke'),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  };
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number');
}

export function parseEmbedResponse(
  ctx: CallContext,
  body: unknown,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const b = (body !== null && typeof body === 'object' ? body : {}) as {
    embedding?: unknown;
    inputTextTokenCount?: unknown;
    embeddings?: unknown;
    meta?: { billed_units?: { input_tokens?: unknown } };
  };
  if (isNumberArray(b.embedding)) {
    return { embeddings: [b.embedding], inputTokens: Number(b.inputTextTokenCount ?? 0), raw: body };
  }
  // Cohere: `embeddings` is number[][] (embeddings_floats) or { float: number[][], ... } (embeddings_by_type).
  const embeddings: unknown = Array.isArray(b.embeddings)
    ? b.embeddings
    : (b.embeddings as { float?: unknown } | undefined)?.float;
  if (Array.isArray(embeddings) && embeddings.every(isNumberArray)) {
    return { embeddings, inputTokens: Number(b.meta?.billed_units?.input_tokens ?? 0), raw: body };
  }
  throw new InvalidRequestError('Bedrock embedding response has no float embeddings', {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    body,
  });
}
