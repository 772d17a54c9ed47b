/** Anthropic's models list (`GET /v1/models`): `{ data: [{ id, display_name }] }`. */
import type { ListedModel } from '../../runtime/types.js';
import {
  itemPath,
  optionalString,
  requireBody,
  requireItem,
  requireString,
  shapeError,
  shapeProblem,
  withBodyError,
} from '../shared/shape.js';
import type { CallContext } from '../types.js';

/**
 * Every entry needs an `id`; a body without a `data` list (an error page, another protocol's
 * answer) is `invalid-response` rather than an empty list of models.
 */
export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = requireBody(ctx, body);
  const data = root.data;
  if (!Array.isArray(data)) throw shapeError(ctx, withBodyError(shapeProblem('data', data, 'an array'), root));
  return data.map((_, index): ListedModel => {
    const model = requireItem(ctx, data, index, 'data');
    const path = itemPath('data', index);
    const listed: ListedModel = { id: requireString(ctx, model, 'id', path), provider: ctx.descriptor.id, raw: model };
    const name = optionalString(ctx, model, 'display_name', path);
    if (name !== undefined) listed.name = name;
    return listed;
  });
}
