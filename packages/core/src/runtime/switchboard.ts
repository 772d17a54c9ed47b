/**
 * `createSwitchboard`: the one object users talk to. It indexes the installed providers, owns the
 * transport (the shared undici pool, or fetch for interception) and runs chat, streams,
 * embeddings and model listing through the protocol adapters.
 */
import { type Catalog, createCatalog } from '../catalog/catalog.js';
import type { ProviderDefinition } from '../provider.js';
import { createCallContext } from './call-context.js';
import { createCallEngine } from './call-engine.js';
import { createCallSignal } from './call-signal.js';
import { runChatStep } from './chat-step.js';
import {
  type DispatcherOptions,
  type DispatcherStats,
  getSharedDispatcher,
  readDispatcherStats,
} from './dispatcher.js';
import { runEmbed } from './embed.js';
import { NotFoundError } from './errors.js';
import type { Logger } from './logger.js';
import { indexProviders, isCustomProvider, type ResolvedModel, resolveModel } from './provider-index.js';
import type { RuntimeContext } from './runtime-context.js';
import { runStream } from './stream-call.js';
import { runStructuredOutput } from './structured-output.js';
import { runToolLoop } from './tool-loop.js';
import { createFetchTransport, createUndiciTransport, type TransportOption } from './transport.js';
import type {
  ChatRequest,
  ChatResponse,
  ChatStream,
  CustomProvider,
  EmbedRequest,
  EmbedResponse,
  ListedModel,
  ProviderInput,
} from './types.js';

/** `'<provider>/<model>'` for every model of the installed providers. */
export type ModelIdOf<P> =
  P extends ProviderDefinition<infer Id, infer Model>
    ? `${Id}/${Model}`
    : P extends CustomProvider
      ? `${P['id']}/${string}`
      : never;

/** A model reference for these providers: a known `'<provider>/<model>'` (autocompleted), any string, or a pair. */
export type ModelRefFor<Providers extends readonly ProviderInput[]> =
  | ModelIdOf<Providers[number]>
  | (string & {})
  | { provider: Providers[number]['id'] | (string & {}); model: string };

/** The output type of a zod-like schema. */
export type InferSchemaOutput<S> = S extends { _zod: { output: infer O } }
  ? O
  : S extends { _output: infer O }
    ? O
    : S extends { safeParse(value: unknown): { data?: infer D } }
      ? D
      : unknown;

/** A chat request for these providers. */
export type SwitchboardChatRequest<Providers extends readonly ProviderInput[]> = Omit<ChatRequest, 'model'> & {
  model: ModelRefFor<Providers>;
};

/** An embedding request for these providers. */
export type SwitchboardEmbedRequest<Providers extends readonly ProviderInput[]> = Omit<EmbedRequest, 'model'> & {
  model: ModelRefFor<Providers>;
};

export interface SwitchboardOptions<Providers extends readonly ProviderInput[]> {
  providers: Providers;
  /** Pool options of the shared undici agent. */
  dispatcher?: DispatcherOptions;
  /**
   * `'undici'` (default): `undici.request` on the shared pool, the fastest. `'fetch'`:
   * `globalThis.fetch` (interceptable by MSW). Or a custom transport function. A provider's
   * `settings.fetch` always wins for that provider.
   */
  transport?: TransportOption;
  /** Receives warnings (unknown models, dropped options). */
  logger?: Logger;
  /** Environment to read keys and parameters from (default `process.env`, read at call time). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Switchboard<Providers extends readonly ProviderInput[] = readonly ProviderInput[]> {
  /** The installed providers. */
  readonly providers: Providers;
  /** One chat completion (with the automatic tool loop and structured output when asked). */
  chat<S extends ChatRequest['schema'] = undefined>(
    request: SwitchboardChatRequest<Providers> & { schema?: S },
  ): Promise<ChatResponse<S extends undefined ? unknown : InferSchemaOutput<S>>>;
  /** A streamed chat completion: iterate the events, await `response`, or `abort()`. */
  stream(request: SwitchboardChatRequest<Providers>): ChatStream;
  /** Embeddings, batched to the provider's limit. */
  embed(request: SwitchboardEmbedRequest<Providers>): Promise<EmbedResponse>;
  /** Models the provider's live endpoint lists. */
  listModels(providerId: Providers[number]['id'] | (string & {})): Promise<ListedModel[]>;
  /** Resolves a model reference the way calls do (aliases, catalog entry, warnings). */
  resolveModel(model: ModelRefFor<Providers>): ResolvedModel;
  /** Connection statistics of the shared HTTP pool. */
  dispatcherStats(): DispatcherStats;
  /** Capability queries, comparisons and recommendations over the installed providers (custom ones excluded). */
  readonly catalog: Catalog;
}

/** Creates a switchboard over the given providers. */
export function createSwitchboard<const Providers extends readonly ProviderInput[]>(
  options: SwitchboardOptions<Providers>,
): Switchboard<Providers> {
  const providers = indexProviders(options.providers);
  const dispatcher = getSharedDispatcher(options.dispatcher);
  const transportOption = options.transport ?? 'undici';
  const transport =
    typeof transportOption === 'function'
      ? transportOption
      : transportOption === 'fetch'
        ? createFetchTransport()
        : createUndiciTransport(dispatcher);
  const runtime: RuntimeContext = { providers, transport, logger: options.logger, env: options.env ?? process.env };

  const resolve = (model: ChatRequest['model']): ResolvedModel => {
    const resolved = resolveModel(providers, model);
    for (const warning of resolved.warnings)
      runtime.logger?.warn?.(warning, { provider: resolved.provider.id, model: resolved.modelId });
    return resolved;
  };

  const chat = async (request: ChatRequest): Promise<ChatResponse> => {
    const resolved = resolve(request.model);
    const warnings = [...resolved.warnings];
    const step = (stepRequest: ChatRequest) => runChatStep(runtime, resolved, stepRequest, warnings);
    const response =
      request.schema !== undefined
        ? await runStructuredOutput(request, step)
        : await runToolLoop(request, async (stepRequest) => (await step(stepRequest)).response);
    for (const warning of response.warnings)
      if (!resolved.warnings.includes(warning))
        runtime.logger?.warn?.(warning, { provider: response.provider, model: response.model });
    return response;
  };

  let catalog: Catalog | undefined;
  return {
    get catalog() {
      catalog ??= createCatalog(
        options.providers.filter((provider): provider is ProviderDefinition => !isCustomProvider(provider)),
      );
      return catalog;
    },
    providers: options.providers,
    chat: chat as Switchboard<Providers>['chat'],
    stream: (request) => runStream(runtime, resolve(request.model), request as ChatRequest),
    embed: (request) => runEmbed(runtime, resolve(request.model), request as EmbedRequest),
    async listModels(providerId) {
      const provider = providers.get(providerId);
      if (provider === undefined)
        throw new NotFoundError(`Provider '${providerId}' is not installed`, {
          provider: providerId,
          retryable: false,
        });
      if (provider.custom !== undefined) return (await provider.custom.listModels?.()) ?? [];
      const definition = provider.definition as ProviderDefinition;
      const ctx = createCallContext(definition, '', undefined, runtime.env);
      return createCallEngine(definition, ctx, transport).listModels(createCallSignal(undefined));
    },
    resolveModel: (model) => resolveModel(providers, model),
    dispatcherStats: () => readDispatcherStats(dispatcher),
  };
}
