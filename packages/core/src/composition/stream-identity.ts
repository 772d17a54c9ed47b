/** Who a stream is expected to come from, for its recovery record (a group or unknown model: its name). */
import type { CallTarget } from '../types/middleware.js';
import type { ModelRef } from '../types/requests.js';

/** The expected provider and model of a stream of `model`. */
export function streamIdentity(
  resolveTarget: (model: ModelRef) => CallTarget,
  model: ModelRef,
): { provider: string; model: string } {
  try {
    const target = resolveTarget(model);
    return { provider: target.provider, model: target.modelId };
  } catch {
    return typeof model === 'string' ? { provider: '', model } : { provider: model.provider, model: model.model };
  }
}
