/**
 * Anthropic's models list (`GET /v1/models`): `{ data: [{ id, display_name }], has_more, last_id }`,
 * paged (20 models by default, 1000 at most per page).
 */

import type { CallContext, HttpRequestSpec } from '../../types/protocol.js';
import type { ListedModel } from '../../types/requests.js';
import {
  isJsonRecord,
  itemPath,
  optionalString,
  requireArray,
  requireBody,
  requireItem,
  requireString,
  shapeError,
} from '../shared/shape.js';

/**
 * Every entry needs an `id`; a body without a `data` list (an error page, another protocol's
 * answer) is `invalid-response` rather than an empty list of models.
 */
export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = requireBody(ctx, body);
  const data = requireArray(ctx, root, 'data');
  return data.map((_, index): ListedModel => {
    const model = requireItem(ctx, data, index, 'data');
    const path = itemPath('data', index);
    const listed: ListedModel = { id: requireString(ctx, model, 'id', path), provider: ctx.descriptor.id, raw: model };
    const name = optionalString(ctx, model, 'display_name', path);
    if (name !== undefined) listed.name = name;
    return listed;
  });
}

/**
 * The next page when the body says `has_more: true`: the previous request with `after_id` set to
 * the body's `last_id` (which must then be a string other than the one just sent).
 */
export function nextModelsRequest(
  ctx: CallContext,
  body: unknown,
  previous: HttpRequestSpec,
): HttpRequestSpec | undefined {
  if (!isJsonRecord(body) || body.has_more !== true) return undefined;
  const lastId = requireString(ctx, body, 'last_id');
  const url = new URL(previous.url);
  if (url.searchParams.get('after_id') === lastId)
    throw shapeError(ctx, `last_id ${JSON.stringify(lastId)} is the after_id of the page it came with`);
  url.searchParams.set('after_id', lastId);
  return { ...previous, url: url.toString() };
}
