/**
 * Gemini embeddings answers: `batchEmbedContents` (`{ embeddings: [{ values }] }`, what core sends)
 * or `embedContent` (`{ embedding: { values } }`, for a custom endpoint).
 */

import type { CallContext, PreparedEmbedRequest } from '../../types/protocol.js';
import {
  checkNumbers,
  itemPath,
  optionalRecord,
  requireBody,
  requireItem,
  requireNumberList,
  requireRecord,
  requireVectorCount,
  shapeError,
  shapeProblem,
  withBodyError,
} from '../shared/shape.js';

/**
 * One vector of numbers per input, in order; anything else (a missing list, a vector with text in
 * it, fewer vectors than inputs) is `invalid-response` naming the field. The Gemini API reports no
 * token count for embeddings (some versions add `usageMetadata`), so it may be zero.
 */
export function parseEmbed(
  ctx: CallContext,
  body: unknown,
  request: PreparedEmbedRequest,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const root = requireBody(ctx, body);
  let embeddings: number[][];
  if (Array.isArray(root.embeddings)) {
    const list = root.embeddings;
    requireVectorCount(ctx, list, request.input.length, 'embeddings');
    embeddings = list.map((_, index) => {
      const item = requireItem(ctx, list, index, 'embeddings');
      return requireNumberList(ctx, item.values, `${itemPath('embeddings', index)}.values`);
    });
  } else if (root.embeddings === undefined && root.embedding !== undefined) {
    const single = requireRecord(ctx, root, 'embedding');
    embeddings = [requireNumberList(ctx, single.values, 'embedding.values')];
    requireVectorCount(ctx, embeddings, request.input.length, 'embedding');
  } else {
    throw shapeError(ctx, withBodyError(shapeProblem('embeddings', root.embeddings, 'an array'), root));
  }
  const usage = optionalRecord(ctx, root, 'usageMetadata');
  if (usage !== undefined) checkNumbers(ctx, usage, ['promptTokenCount'], 'usageMetadata');
  return { embeddings, inputTokens: (usage?.promptTokenCount as number | undefined) ?? 0, raw: body };
}
