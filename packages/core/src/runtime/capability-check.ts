/**
 * Fails a call that needs a capability the model lacks before anything is sent: an image to a
 * text-only model or tools to a model without tool calling would otherwise cost a round trip and
 * return a provider-specific 400.
 */
import { normalizeCapability } from '../catalog/capabilities.js';
import { modelCapabilities } from '../catalog/model-capabilities.js';
import { UnsupportedCapabilityError } from '../errors/errors.js';
import type { ResolvedModel } from './provider-index.js';

/**
 * Whether the resolved model supports a capability: from the model's catalog entry, or, for a
 * model the catalog does not list, from the provider's declared capabilities. Custom providers are
 * trusted (true).
 */
export function supportsCapability(resolved: ResolvedModel, capability: string): boolean {
  const definition = resolved.provider.definition;
  if (definition === undefined) return true;
  if (resolved.model !== undefined)
    return (modelCapabilities(resolved.model, definition.descriptor) as string[]).includes(capability);
  return definition.descriptor.capabilities.some((name) => (normalizeCapability(name) ?? name) === capability);
}

/** Throws UnsupportedCapabilityError naming the capability when the model lacks it. */
export function requireCapability(resolved: ResolvedModel, capability: string, why: string): void {
  if (supportsCapability(resolved, capability)) return;
  const subject =
    resolved.model === undefined
      ? `provider '${resolved.provider.id}'`
      : `model '${resolved.provider.id}/${resolved.modelId}'`;
  throw new UnsupportedCapabilityError(
    capability,
    `${why} needs capability '${capability}', which ${subject} does not have`,
    {
      provider: resolved.provider.id,
      model: resolved.modelId,
    },
  );
}
