/**
 * Bedrock embeddings through InvokeModel (`POST /model/{id}/invoke`), whose body is the model's own
 * format: Titan text embeddings take one `inputText` per call; Cohere Embed takes `texts` (up to 96)
 * and an `input_type`. The family is chosen by the model id (region prefixes like `us.` are allowed).
 */
import { InvalidRequestError, UnsupportedCapabilityError } from '../../errors/errors.js';
import type { CallContext, HttpRequestSpec, PreparedEmbedRequest } from '../../types/protocol.js';
import {
  checkNumbers,
  isJsonRecord,
  itemPath,
  optionalRecord,
  requireBody,
  requireNumberList,
  requireVectorCount,
  shapeError,
  shapeProblem,
  withBodyError,
} from '../shared/shape.js';
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

/**
 * The vectors of an InvokeModel embeddings answer: Titan's `embedding` (one per call), Cohere's
 * `embeddings` (`number[][]`, or `{ float: number[][] }` when embedding types were asked for), one per
 * input. Anything else is `invalid-response` naming the field.
 */
export function parseEmbedResponse(
  ctx: CallContext,
  body: unknown,
  request: PreparedEmbedRequest,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const root = requireBody(ctx, body);
  if (family(ctx) !== 'cohere') {
    if (root.embedding === undefined) {
      throw shapeError(ctx, withBodyError(shapeProblem('embedding', undefined, 'an array of numbers'), root));
    }
    const vector = requireNumberList(ctx, root.embedding, 'embedding');
    checkNumbers(ctx, root, ['inputTextTokenCount']);
    return { embeddings: [vector], inputTokens: (root.inputTextTokenCount as number | undefined) ?? 0, raw: body };
  }
  const byType = isJsonRecord(root.embeddings) ? root.embeddings : undefined;
  const listPath = byType === undefined ? 'embeddings' : 'embeddings.float';
  const list = byType === undefined ? root.embeddings : byType.float;
  if (!Array.isArray(list)) throw shapeError(ctx, withBodyError(shapeProblem(listPath, list, 'an array'), root));
  requireVectorCount(ctx, list, request.input.length, listPath);
  const embeddings = list.map((vector, index) => requireNumberList(ctx, vector, itemPath(listPath, index)));
  const meta = optionalRecord(ctx, root, 'meta');
  const billed = meta === undefined ? undefined : optionalRecord(ctx, meta, 'billed_units', 'meta');
  if (billed !== undefined) checkNumbers(ctx, billed, ['input_tokens'], 'meta.billed_units');
  return { embeddings, inputTokens: (billed?.input_tokens as number | undefined) ?? 0, raw: body };
}
