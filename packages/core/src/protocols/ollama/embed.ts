/** Ollama's /api/embed answer: `{ model, embeddings: number[][], prompt_eval_count }`. */

import type { CallContext, PreparedEmbedRequest } from '../../types/protocol.js';
import {
  checkNumbers,
  itemPath,
  requireArray,
  requireBody,
  requireNumberList,
  requireVectorCount,
} from '../shared/shape.js';

/**
 * One vector of numbers per input, in order; anything else (`{"error": ...}`, a vector with text
 * in it, fewer vectors than inputs) is `invalid-response` naming the field.
 */
export function parseOllamaEmbed(
  ctx: CallContext,
  body: unknown,
  request: PreparedEmbedRequest,
): { embeddings: number[][]; inputTokens: number; raw: unknown } {
  const root = requireBody(ctx, body);
  const list = requireArray(ctx, root, 'embeddings');
  requireVectorCount(ctx, list, request.input.length, 'embeddings');
  const embeddings = list.map((vector, index) => requireNumberList(ctx, vector, itemPath('embeddings', index)));
  checkNumbers(ctx, root, ['prompt_eval_count']);
  return { embeddings, inputTokens: (root.prompt_eval_count as number | undefined) ?? 0, raw: body };
}
