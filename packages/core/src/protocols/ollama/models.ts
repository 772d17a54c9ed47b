/** Ollama's installed models (`GET /api/tags`): `{ models: [{ name, model, size, details }] }`. */

import type { CallContext } from '../../types/protocol.js';
import type { ListedModel } from '../../types/requests.js';
import { itemPath, optionalString, requireArray, requireBody, requireItem, wrongShape } from '../shared/shape.js';

/**
 * Every entry needs a `model` or `name`; a body without a `models` list (an error page, another
 * server's answer) is `invalid-response` rather than "no models installed".
 */
export function parseOllamaModels(ctx: CallContext, body: unknown): ListedModel[] {
  const root = requireBody(ctx, body);
  const models = requireArray(ctx, root, 'models');
  return models.map((raw, index): ListedModel => {
    const entry = requireItem(ctx, models, index, 'models');
    const path = itemPath('models', index);
    const name = optionalString(ctx, entry, 'name', path) || undefined;
    const id = (optionalString(ctx, entry, 'model', path) || undefined) ?? name;
    if (id === undefined) throw wrongShape(ctx, `${path}.name`, entry.name, 'a string');
    const model: ListedModel = { id, provider: ctx.descriptor.id, raw };
    if (name !== undefined) model.name = name;
    return model;
  });
}
