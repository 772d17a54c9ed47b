import type { ModelInfo, ProviderDescriptor } from './catalog.js';
import type { MockBehaviour } from './mock-behaviour.js';
import type { ChatRequest, ChatResponse, EmbedRequest, EmbedResponse, ListedModel, StreamEvent } from './requests.js';

/**
 * What a user passes to a provider factory (`createOpenAI({ apiKey })`). Anything left out is read
 * from the environment variables the provider's YAML names, at call time.
 */
export interface ProviderSettings {
  /** The API key. When absent, the first set variable of the YAML's `auth.env` is used. */
  apiKey?: string;
  /** Overrides the YAML's base URL (and its `auth.baseURLEnv` variable). */
  baseURL?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Values for the base URL's `{placeholders}` (Azure's resource, deployment, api-version). */
  params?: Record<string, string>;
  /** A fetch implementation to use instead of core's shared undici dispatcher. */
  fetch?: typeof globalThis.fetch;
  /** Behaviour of the in-process `mock` protocol (ignored by every other protocol). */
  mock?: MockBehaviour;
}

/**
 * A provider as a generated package exports it: the catalog data plus the user's settings. Core's
 * queries and runtime interpret it; the package itself holds no behaviour.
 */
export interface ProviderDefinition<Id extends string = string, ModelId extends string = string> {
  readonly id: Id;
  readonly descriptor: ProviderDescriptor;
  readonly models: readonly ModelInfo[];
  /** Alias -> model id (`gpt-4o-2024-08-06` -> `gpt-4o`, `claude-3-5-sonnet-latest` -> ...). */
  readonly aliases: Readonly<Record<string, ModelId>>;
  readonly settings: Readonly<ProviderSettings>;
  /** Carries the model-id union for `'<provider>/<model>'` typing; never set at run time. */
  readonly __modelId?: ModelId;
}

/** Anything `createSwitchboard` accepts as a provider: a generated definition or a hand-written one. */
export type ProviderInput = ProviderDefinition | CustomProvider;

/**
 * A hand-written provider for a protocol the catalog does not cover. Implement `chat` (and optionally
 * `stream`, `embed`, `listModels`); core adds cost, errors and the rest around it.
 */
export interface CustomProvider {
  readonly id: string;
  readonly kind: 'custom';
  chat(request: ChatRequest & { modelId: string }): Promise<Omit<ChatResponse, 'cost' | 'cached' | 'latencyMs'>>;
  stream?(request: ChatRequest & { modelId: string }): AsyncIterable<StreamEvent>;
  embed?(request: EmbedRequest & { modelId: string }): Promise<Omit<EmbedResponse, 'cost' | 'cached' | 'latencyMs'>>;
  listModels?(): Promise<ListedModel[]>;
}

/** `'<provider>/<model>'` for every model of the installed providers. */
export type ModelIdOf<P> =
  P extends ProviderDefinition<infer Id, infer Model>
    ? `${Id}/${Model}`
    : P extends CustomProvider
      ? `${P['id']}/${string}`
      : never;
