import { buildCapabilities } from './builders/capabilities.ts';
import { buildCatalogPackage } from './builders/catalog-package.ts';
import { buildCliPackageJson, buildCliProviders } from './builders/cli.ts';
import { buildCoreCapabilities } from './builders/core-capabilities.ts';
import { buildDescriptor } from './builders/descriptor.ts';
import { buildIndex } from './builders/index-file.ts';
import { buildModels } from './builders/models.ts';
import { buildPackageFiles } from './builders/package-files.ts';
import { buildPricing } from './builders/pricing.ts';
import { buildReadme } from './builders/readme.ts';
import { UsageError } from './diagnostics.ts';
import type { CatalogIR, ProviderIR } from './ir.ts';
import type { Output } from './output.ts';

/** Every file of one provider package. */
export function buildProvider(provider: ProviderIR): Output[] {
  return [
    ...buildPackageFiles(provider),
    buildReadme(provider),
    buildDescriptor(provider),
    buildModels(provider),
    buildCapabilities(provider),
    buildPricing(provider),
    buildIndex(provider),
  ];
}

/** Every output of a catalog; with `only`, just that provider's package. */
export function buildAll(catalog: CatalogIR, only?: string): Output[] {
  if (only !== undefined) {
    const provider = catalog.providers.find((item) => item.id === only);
    if (!provider) throw new UsageError(`no provider '${only}' in the catalog`);
    return buildProvider(provider);
  }
  return [
    buildCoreCapabilities(catalog.capabilities),
    buildCliProviders(catalog.providers),
    buildCliPackageJson(catalog),
    ...buildCatalogPackage(catalog.providers),
    ...catalog.providers.flatMap(buildProvider),
  ];
}
