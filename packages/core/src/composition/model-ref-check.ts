/**
 * Model references checked by the types: with `createSwitchboard({ providers: [openai] })`,
 * `sb.chat({ model: 'openai/gpt-4oo' })` is a compile error ("did you mean 'openai/gpt-4o'?", as
 * TypeScript words it) instead of a runtime warning, while everything the types cannot judge still
 * compiles:
 *
 * - a literal `'<provider>/<model>'` of an installed provider must be one of its catalog ids or
 *   aliases (the generated model-id union), unless the provider is open (below);
 * - providers whose models are open-ended are not checked: local servers run whatever was pulled
 *   (`ollama`, `vllm`, `lmstudio`), aggregators and deployments name models the catalog cannot list
 *   (`openrouter`, `together`, `azure-openai` deployments, `bedrock` inference profiles), the `mock`
 *   provider takes any id, and hand-written custom providers are always open;
 * - a literal without an installed provider's prefix passes: a model group name, a bare model id, an
 *   aggregator's `vendor/model` id;
 * - the escape hatch for a model newer than the catalog: a value typed `string` (a variable, config,
 *   `'openai/gpt-6' as string`) or the pair `{ provider: 'openai', model: 'gpt-6' }` is not checked
 *   (the runtime warns that the model is not in the catalog and calls it).
 *
 * Cost to the compiler, measured with `tsc --extendedDiagnostics` on a file of 60 `sb.chat` calls
 * over openai, anthropic and gemini: 34,601 -> 37,934 type instantiations (+9.6 %, about 55 per
 * call) and 30,568 -> 31,170 types (+2 %); check time on this shared 2-core machine varied more
 * between runs (2.1-6.4 s) than between the two versions.
 */
import type { ModelIdOf, ProviderDefinition, ProviderInput } from '../types/provider.js';

/**
 * Provider ids whose model references are not checked against the catalog (see the file comment).
 * An interface so an application can open (or add) a provider by declaration merging:
 * `declare module '@switchboard/core' { interface OpenModelProviders { openai: true } }`.
 */
export interface OpenModelProviders {
  ollama: true;
  vllm: true;
  lmstudio: true;
  openrouter: true;
  together: true;
  'azure-openai': true;
  bedrock: true;
  mock: true;
}

/** Ids of the installed providers whose references are checked: generated, with a finite id union, not open. */
type ClosedProviderId<P> =
  P extends ProviderDefinition<infer Id, infer Model>
    ? string extends Model
      ? never
      : Id extends keyof OpenModelProviders
        ? never
        : Id
    : never;

/**
 * `Ref` itself when the installed providers accept it; else the known references of the provider it
 * names, so the compiler's error lists them (and suggests the closest).
 */
export type CheckedModelRef<Ref, Providers extends readonly ProviderInput[]> = Ref extends `${infer Id}/${string}`
  ? Id extends ClosedProviderId<Providers[number]>
    ? Ref extends ModelIdOf<Providers[number]>
      ? Ref
      : Extract<ModelIdOf<Providers[number]>, `${Id}/${string}`>
    : Ref
  : Ref;

/** The string form of a model reference for these providers: a known one (autocompleted) or any string. */
export type ModelRefString<Providers extends readonly ProviderInput[]> = ModelIdOf<Providers[number]> | (string & {});

/**
 * The `model` of `sb.chat`, `sb.stream` and `sb.embed`: a checked string reference, or the
 * `{ provider, model }` pair (not checked: the escape hatch). Kept apart from the string so a value
 * typed `ModelRef` (string or pair) still fits.
 */
export type CheckedModelInput<Model, Providers extends readonly ProviderInput[]> =
  | CheckedModelRef<Model, Providers>
  | { provider: Providers[number]['id'] | (string & {}); model: string };
