/**
 * Drops generation options the catalog says the model or provider rejects, with a warning, instead
 * of sending them and getting a 400 (o-series models and `temperature`, providers without `seed`).
 */

import { normalizeCapability } from '../catalog/capabilities.js';
import { modelCapabilities } from '../catalog/model-capabilities.js';
import type { ModelInfo, ProviderDescriptor } from '../types/catalog.js';
import type { GenerationOptions } from '../types/requests.js';

/**
 * The generation options (what changes the answer): the options the runtime checks against the
 * catalog, and the request keys the known-keys check and session defaults list.
 */
export const GENERATION_OPTION_NAMES = [
  'temperature',
  'maxTokens',
  'topP',
  'frequencyPenalty',
  'presencePenalty',
  'stop',
  'seed',
  'reasoning',
] as const satisfies readonly (keyof GenerationOptions)[];

const OPTION_NAMES: readonly (keyof GenerationOptions)[] = GENERATION_OPTION_NAMES;

/** Catalog lists may use camelCase or snake_case: compare without case or underscores. */
function key(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}

/**
 * Options tied to a capability: dropped when the model lacks it, but only where the catalog tracks
 * that capability for the provider (some of its models list it), since most YAML files do not list
 * sampling capabilities at all. `seed` is a provider-level feature, checked through unsupported
 * parameters only.
 */
const CAPABILITY_OF: Partial<Record<keyof GenerationOptions, string>> = {
  temperature: 'temperature',
  reasoning: 'reasoning',
};

const trackedByModels = new WeakMap<readonly ModelInfo[], ReadonlySet<string>>();

/** Capabilities at least one of the provider's models declares (cached per model list). */
function trackedCapabilities(models: readonly ModelInfo[]): ReadonlySet<string> {
  let tracked = trackedByModels.get(models);
  if (tracked === undefined) {
    const set = new Set<string>();
    for (const model of models) for (const name of model.capabilities ?? []) set.add(normalizeCapability(name) ?? name);
    tracked = set;
    trackedByModels.set(models, tracked);
  }
  return tracked;
}

const capabilitiesByModel = new WeakMap<ModelInfo, ReadonlySet<string>>();

/** A model's canonical capabilities as a set, built once per model (this runs on every call). */
function capabilitiesOf(model: ModelInfo, descriptor: ProviderDescriptor): ReadonlySet<string> {
  let set = capabilitiesByModel.get(model);
  if (set === undefined) {
    set = new Set<string>(modelCapabilities(model, descriptor));
    capabilitiesByModel.set(model, set);
  }
  return set;
}

/**
 * Returns the options that may be sent; records each dropped one in `warnings`. Unknown models keep
 * everything except what the provider's dialect rejects.
 */
export function filterGenerationOptions(
  options: GenerationOptions,
  descriptor: ProviderDescriptor,
  model: ModelInfo | undefined,
  warnings: string[],
  providerModels: readonly ModelInfo[] = [],
): GenerationOptions {
  const out: GenerationOptions = {};
  // Most calls set none of these options: skip the lookups entirely.
  if (!OPTION_NAMES.some((name) => options[name] !== undefined)) return out;
  const rejected = new Set<string>();
  for (const name of descriptor.dialect?.unsupportedParams ?? []) rejected.add(key(name));
  for (const name of model?.unsupportedParams ?? []) rejected.add(key(name));
  const tracked = trackedCapabilities(providerModels);
  const capabilities = model === undefined ? undefined : capabilitiesOf(model, descriptor);

  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    let reason: string | undefined;
    if (rejected.has(key(name)))
      reason = model?.unsupportedParams?.some((p) => key(p) === key(name))
        ? `model '${model.id}'`
        : `provider '${descriptor.id}'`;
    const capability = CAPABILITY_OF[name];
    if (
      reason === undefined &&
      capability !== undefined &&
      capabilities !== undefined &&
      !capabilities.has(capability)
    ) {
      // Only trust a missing capability when the catalog tracks it for this provider (or, for reasoning, always).
      if (capability === 'reasoning' || tracked.has(capability)) reason = `model '${model?.id}'`;
    }
    if (reason !== undefined) {
      warnings.push(`Dropped option '${name}': not supported by ${reason}`);
      continue;
    }
    (out as Record<string, unknown>)[name] = value;
  }
  return out;
}
