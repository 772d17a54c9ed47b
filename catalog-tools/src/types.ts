import type { ModelModalities, ModelPricing, ModelStatus, ModelType, ReasoningSpec } from '@switchboard/core';

/** Which public catalog a record came from. */
export type UpstreamSource = 'models.dev' | 'litellm';

/** Token limits as an upstream catalog states them; any of them may be unknown. */
export interface UpstreamLimits {
  context?: number;
  input?: number;
  output?: number;
}

/**
 * One model of one upstream catalog, normalized to the catalog's conventions: prices in USD per 1M
 * tokens (rounded to 6 significant digits), canonical capability names, ISO dates. It is the common
 * ground on which the two catalogs are compared with each other and with the provider YAML.
 */
export interface UpstreamModel {
  source: UpstreamSource;
  /** models.dev provider id, or LiteLLM's `litellm_provider`. */
  upstreamProvider: string;
  /** The provider's model id (LiteLLM keys lose their `<provider>/` prefix). */
  id: string;
  /** The exact key in LiteLLM's cost map (LiteLLM records only). */
  key?: string;
  name?: string;
  family?: string;
  type: ModelType;
  /** LiteLLM's raw `mode` (chat, responses, completion, embedding, ...). */
  mode?: string;
  status: ModelStatus;
  /** Date the upstream says the model is (or becomes) deprecated. */
  deprecated?: string;
  limits: UpstreamLimits;
  pricing?: ModelPricing;
  capabilities: string[];
  modalities: ModelModalities;
  reasoning?: ReasoningSpec;
  /** Vector length of embedding models, where stated. */
  embeddingDimensions?: number;
  openWeights?: boolean;
  knowledge?: string;
  released?: string;
}

/** The records of both upstream catalogs. */
export interface UpstreamCatalogs {
  modelsDev: UpstreamModel[];
  litellm: UpstreamModel[];
}

/** A field compared between the YAML and the upstream catalogs. */
export type CrossCheckField = 'pricing.input' | 'pricing.output' | 'limits.context' | 'limits.output';

/** One value on which the YAML and at least one upstream catalog differ. */
export interface CrossCheckDisagreement {
  model: string;
  field: CrossCheckField;
  yaml: number | undefined;
  modelsDev: number | undefined;
  litellm: number | undefined;
  /** Which source the YAML value matches (or what its `source.follows` says when it matches neither). */
  follows: 'models.dev' | 'litellm' | 'provider-docs' | 'manual' | 'both' | 'neither';
}

/** The cross-check of one provider YAML against both upstream catalogs. */
export interface ProviderCrossCheck {
  provider: string;
  /** YAML models found upstream, with the ids they matched. */
  found: { model: string; modelsDev?: string; litellm?: string }[];
  /** YAML models found in neither upstream catalog. */
  notFound: string[];
  /** Current chat and embedding models upstream that the YAML does not list (by id, alias or source id). */
  missing: { source: UpstreamSource; id: string; type: ModelType }[];
  disagreements: CrossCheckDisagreement[];
}
