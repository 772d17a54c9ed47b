/**
 * Gemini's models list (`GET /v1beta/models`): `{ models: [{ name: 'models/…', displayName,
 * inputTokenLimit }], nextPageToken }`, paged (50 models by default, 1000 at most per page).
 */

import type { CallContext, HttpRequestSpec } from '../../types/protocol.js';
import type { ListedModel } from '../../types/requests.js';
import {
  checkNumbers,
  itemPath,
  optionalString,
  requireArray,
  requireBody,
  requireItem,
  requireString,
  shapeError,
} from '../shared/shape.js';

/**
 * Every entry needs a `name`; a body without a `models` list (an error page, another protocol's
 * answer) is `invalid-response` rather than an empty list of models.
 */
export function parseModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = requireBody(ctx, body);
  const models = requireArray(ctx, root, 'models');
  return models.map((_, index): ListedModel => {
    const model = requireItem(ctx, models, index, 'models');
    const path = itemPath('models', index);
    const name = requireString(ctx, model, 'name', path);
    checkNumbers(ctx, model, ['inputTokenLimit'], path);
    const listed: ListedModel = { id: name.replace(/^models\//, ''), provider: ctx.descriptor.id, raw: model };
    const displayName = optionalString(ctx, model, 'displayName', path);
    if (displayName !== undefined) listed.name = displayName;
    if (typeof model.inputTokenLimit === 'number') listed.contextWindow = model.inputTokenLimit;
    return listed;
  });
}

/**
 * The next page of the list: the previous request with `pageToken` set to the body's
 * `nextPageToken`; undefined when the token is absent or empty (the last page). A token that is not a
 * string, or one that repeats the token just sent (a server stuck on one page), is `invalid-response`.
 */
export function nextModelsRequest(
  ctx: CallContext,
  body: unknown,
  previous: HttpRequestSpec,
): HttpRequestSpec | undefined {
  const root = requireBody(ctx, body);
  const token = optionalString(ctx, root, 'nextPageToken');
  if (token === undefined || token === '') return undefined;
  const url = new URL(previous.url);
  if (url.searchParams.get('pageToken') === token)
    throw shapeError(ctx, `nextPageToken ${JSON.stringify(token)} is the token of the page it came with`);
  url.searchParams.set('pageToken', token);
  return { ...previous, url: url.toString() };
}
