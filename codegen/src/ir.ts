import type { ModelInfo, ModelPricing, ProviderDescriptor, ProviderSpec } from '@switchboard/core';
import type { CapabilityTable } from './capabilities.ts';
import type { LoadedCatalog } from './load.ts';
import type { ProviderNames } from './naming.ts';
import { providerNames } from './naming.ts';

/** What the builders need to know about one provider, already sorted and derived. */
export interface ProviderIR {
  id: string;
  /** `catalog/providers/<id>.yaml`, for headers. */
  sourcePath: string;
  names: ProviderNames;
  spec: ProviderSpec;
  /** The YAML less models, tests and `$schema`. */
  descriptor: ProviderDescriptor;
  /** In catalog order. */
  models: ModelInfo[];
  /** Model ids in catalog order. */
  modelIds: string[];
  /** `[alias, id]`, sorted by alias. */
  aliases: [string, string][];
  /** `[id, pricing]` for priced models, in catalog order. */
  pricing: [string, ModelPricing][];
}

/** Everything one generator run emits from. */
export interface CatalogIR {
  capabilities: CapabilityTable;
  /** Generated providers, sorted by id. */
  providers: ProviderIR[];
  /** Current text of `apps/cli/package.json`, when the output root has one. */
  cliPackageJson?: string;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Derives a provider's IR from its validated spec. */
export function providerIR(spec: ProviderSpec, sourcePath: string): ProviderIR {
  const { models, tests: _tests, ...rest } = spec;
  const descriptor = { ...rest } as ProviderDescriptor & { $schema?: string };
  delete descriptor.$schema;
  const infos: ModelInfo[] = models.map((model) => ({ ...model, provider: spec.id, ref: `${spec.id}/${model.id}` }));
  const aliases: [string, string][] = models
    .flatMap((model) => (model.aliases ?? []).map((alias): [string, string] => [alias, model.id]))
    .sort(([a], [b]) => byString(a, b));
  const pricing = models.flatMap((model): [string, ModelPricing][] =>
    model.pricing ? [[model.id, model.pricing]] : [],
  );
  return {
    id: spec.id,
    sourcePath,
    names: providerNames(spec.id),
    spec,
    descriptor,
    models: infos,
    modelIds: models.map((model) => model.id),
    aliases,
    pricing,
  };
}

/** Builds the IR of a loaded catalog: only providers whose file does not start with `_`. */
export function catalogIR(catalog: LoadedCatalog, cliPackageJson?: string): CatalogIR {
  const providers = catalog.providers
    .filter((provider) => provider.generate)
    .map((provider) => providerIR(provider.spec, provider.sourcePath))
    .sort((a, b) => byString(a.id, b.id));
  return cliPackageJson === undefined
    ? { capabilities: catalog.capabilities, providers }
    : { capabilities: catalog.capabilities, providers, cliPackageJson };
}
