/**
 * The catalog's models in OpenAI's `GET /v1/models` shape (`{ object: 'list', data: [{ id, object:
 * 'model', created, owned_by }] }`), ids as `provider/model`, plus Switchboard's fields (type,
 * context window, prices per million tokens, capabilities) so a client can choose without a
 * second API.
 */
import type { ModelInfo } from '@switchboard/core';

/** One model object. */
export function openAIModel(model: ModelInfo): Record<string, unknown> {
  const released = model.released === undefined ? Number.NaN : Date.parse(model.released);
  return {
    id: model.ref,
    object: 'model',
    created: Number.isFinite(released) ? Math.floor(released / 1000) : 0,
    owned_by: model.provider,
    name: model.name,
    type: model.type,
    status: model.status,
    context_window: model.limits.context,
    max_output_tokens: model.limits.output ?? null,
    pricing: model.pricing ?? null,
    capabilities: model.capabilities,
    ...(model.discovered ? { discovered: true } : {}),
  };
}

/** The list object. */
export function openAIModelList(models: readonly ModelInfo[]): Record<string, unknown> {
  return { object: 'list', data: models.map(openAIModel) };
}
