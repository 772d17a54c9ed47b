/**
 * `createSwitchboard`, the composition root: it calls the builders in order, each taking what the
 * ones before it made, and returns the switchboard. To follow an option, read the builder that
 * consumes it (each file's header names its options). Everything here runs once, at creation.
 */
import { resolveModel } from '../runtime/provider-index.js';
import type { ProviderInput } from '../types/provider.js';
import { buildBudgets } from './build-budgets.js';
import { buildCache } from './build-cache.js';
import { buildCatalog } from './build-catalog.js';
import { buildChat } from './build-chat.js';
import { buildConfig } from './build-config.js';
import { buildControls } from './build-controls.js';
import { buildConversations } from './build-conversations.js';
import { buildCore } from './build-core.js';
import { buildEmbed } from './build-embed.js';
import { buildHealth } from './build-health.js';
import { buildListModels } from './build-list-models.js';
import { buildObservation } from './build-observation.js';
import { buildPipeline } from './build-pipeline.js';
import { buildProviderAdmin } from './build-provider-admin.js';
import { buildRateLimit } from './build-rate-limit.js';
import { buildRuntimeContext } from './build-runtime-context.js';
import { buildStream, type HostSlot } from './build-stream.js';
import { buildTelemetry } from './build-telemetry.js';
import { buildTerminal } from './build-terminal.js';
import { buildTransport } from './build-transport.js';
import { createCallFactory } from './call-factory.js';
import { createCallOutcomes } from './call-outcomes.js';
import type { AnyOptions } from './parts.js';
import type { Switchboard, SwitchboardOptions } from './switchboard-types.js';

/** Creates a switchboard over the given providers. */
export function createSwitchboard<const Providers extends readonly ProviderInput[]>(
  options: SwitchboardOptions<Providers>,
): Switchboard<Providers> {
  const configParts = buildConfig(options as AnyOptions);
  const transportParts = buildTransport(configParts.options);
  const runtime = buildRuntimeContext({ ...configParts, ...transportParts });
  const parts = buildCore({ ...configParts, ...transportParts }, runtime);
  const cache = buildCache(parts);
  const rateLimiter = buildRateLimit(parts);
  const budgets = buildBudgets(parts);
  const telemetry = buildTelemetry(parts, cache, budgets);
  const outcomes = createCallOutcomes(parts);
  const terminal = buildTerminal(parts, outcomes);
  const pipeline = buildPipeline(parts, { cache, rateLimiter, budgets, telemetry, terminal });
  const health = buildHealth(parts, pipeline.stack.breakers, outcomes);
  const calls = createCallFactory(runtime, parts.events);
  const chat = buildChat(parts, pipeline, calls);
  const host = {} as HostSlot;
  const catalog = buildCatalog(parts);
  const board: Switchboard<Providers> = {
    providers: options.providers,
    chat: chat as Switchboard<Providers>['chat'],
    ...(buildStream(parts, pipeline, calls, host) as Pick<Switchboard<Providers>, 'stream' | 'resumeStream'>),
    embed: buildEmbed(parts, pipeline, calls) as Switchboard<Providers>['embed'],
    ...(buildConversations(parts, pipeline, calls, chat) as Pick<Switchboard<Providers>, 'session' | 'batch'>),
    ...buildControls(parts, { breakers: pipeline.stack.breakers, health, rateLimiter, budgets }),
    ...buildObservation(parts, telemetry, cache, health),
    ...buildProviderAdmin(parts, catalog),
    listModels: buildListModels(parts, catalog),
    resolveModel: (model) => resolveModel(parts.providers, model),
    get catalog() {
      return catalog.get();
    },
    get cache() {
      return cache.get();
    },
  };
  host.current = board;
  return board;
}
