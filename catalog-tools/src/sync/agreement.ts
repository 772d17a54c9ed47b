import type { ProviderSpec } from '@switchboard/core';
import type { ProviderCrossCheck } from '../types.js';

/** How many of a provider's prices one upstream catalog states, and how many of those equal the YAML's. */
export interface SourceAgreement {
  /** YAML models with a price that the source also prices. */
  compared: number;
  /** Of those, the ones whose input and output prices equal the YAML's. */
  agreeing: number;
}

/** Coverage and price agreement of one provider, for `catalog check`. */
export interface ProviderAgreement {
  provider: string;
  /** YAML models, and how many either upstream catalog knows. */
  coverage: { models: number; found: number };
  modelsDev: SourceAgreement;
  litellm: SourceAgreement;
  /** Price disagreements the YAML neither follows nor explains (`follows` matches no side). */
  unexplained: number;
}

/**
 * Sums a cross-check into the two figures a reviewer asks first: how much of the catalog the
 * upstreams know (coverage), and how often each upstream's price is the YAML's (agreement, per
 * source, since a YAML that follows one source will differ from the other on purpose).
 * `pricedUpstream` says whether a source has a price for an upstream id.
 */
export function priceAgreement(
  specs: ProviderSpec[],
  report: ProviderCrossCheck[],
  pricedUpstream: (provider: string, source: 'models.dev' | 'litellm', id: string) => boolean,
): ProviderAgreement[] {
  return report.map((check) => {
    const spec = specs.find((candidate) => candidate.id === check.provider);
    const modelsDev: SourceAgreement = { compared: 0, agreeing: 0 };
    const litellm: SourceAgreement = { compared: 0, agreeing: 0 };
    for (const found of check.found) {
      if (!spec?.models.find((model) => model.id === found.model)?.pricing) continue;
      const prices = check.disagreements.filter((d) => d.model === found.model && d.field.startsWith('pricing'));
      if (found.modelsDev && pricedUpstream(check.provider, 'models.dev', found.modelsDev)) {
        modelsDev.compared += 1;
        if (prices.every((d) => d.modelsDev === undefined || d.modelsDev === d.yaml)) modelsDev.agreeing += 1;
      }
      if (found.litellm && pricedUpstream(check.provider, 'litellm', found.litellm)) {
        litellm.compared += 1;
        if (prices.every((d) => d.litellm === undefined || d.litellm === d.yaml)) litellm.agreeing += 1;
      }
    }
    return {
      provider: check.provider,
      coverage: { models: check.found.length + check.notFound.length, found: check.found.length },
      modelsDev,
      litellm,
      unexplained: check.disagreements.filter((d) => d.follows === 'neither').length,
    };
  });
}
