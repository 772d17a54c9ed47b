import type { CanonicalCapability } from '../generated/capabilities.js';
import type { ModelSpec, ProviderDescriptor } from '../types/catalog.js';
import { normalizeCapability } from './capabilities.js';

/**
 * Provider-level capabilities a model inherits from its provider: they describe the provider's API
 * (can it stream, list models, take batches), not the model, so YAML authors state them once.
 * `streaming` is inherited by chat models only.
 */
const INHERITED_FROM_PROVIDER: readonly CanonicalCapability[] = ['streaming', 'models-list', 'batch'];

/**
 * Everything a model can do, as canonical names: its declared capabilities (aliases normalized,
 * unknown names dropped), plus what its modalities, reasoning spec and type imply (an image input
 * means vision, an embedding model does embeddings), plus the API-level features its provider
 * declares. Queries use this one definition so `modelSupports`, `findModels` and recommendations
 * never disagree.
 */
export function modelCapabilities(
  model: ModelSpec,
  provider?: Pick<ProviderDescriptor, 'capabilities'>,
): CanonicalCapability[] {
  const set = new Set<CanonicalCapability>();
  for (const name of model.capabilities ?? []) {
    const canonical = normalizeCapability(name);
    if (canonical) set.add(canonical);
  }
  const input = model.modalities?.input ?? [];
  const output = model.modalities?.output ?? [];
  if (input.includes('image')) set.add('vision');
  if (input.includes('audio')) set.add('audio-input');
  if (input.includes('video')) set.add('video-input');
  if (input.includes('pdf')) set.add('pdf-input');
  if (output.includes('image')) set.add('image-output');
  if (output.includes('audio')) set.add('audio-output');
  if (model.reasoning?.supported) set.add('reasoning');
  if (model.type === 'embedding') set.add('embeddings');
  if (model.pricing?.cacheRead !== undefined && model.pricing.cacheRead < model.pricing.input)
    set.add('prompt-caching');
  for (const name of provider?.capabilities ?? []) {
    const canonical = normalizeCapability(name);
    if (!canonical || !INHERITED_FROM_PROVIDER.includes(canonical)) continue;
    if (canonical === 'streaming' && model.type !== 'chat') continue;
    set.add(canonical);
  }
  return [...set].sort();
}
