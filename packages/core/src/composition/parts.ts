/**
 * What the builders of `createSwitchboard` hand each other, stage by stage. Each builder takes the
 * parts made before it (a typed object, not closures over a function's locals), so following one
 * option means reading the builder that consumes it. Builders run once, at creation.
 */

import type { Agent } from 'undici';
import type { KnownSecrets } from '../observability/logging/secrets.js';
import type { SwitchboardLogging } from '../observability/logging/switchboard-logging.js';
import type { Clock } from '../resilience/clock.js';
import type { HealthMonitor } from '../resilience/health.js';
import type { SwitchboardEvents } from '../resilience/middleware/events.js';
import type { Router } from '../resilience/routing.js';
import type { ConfigResolver } from '../runtime/config/config-resolver.js';
import type { IndexedProvider } from '../runtime/provider-index.js';
import type { RuntimeContext } from '../runtime/runtime-context.js';
import type { Transport } from '../runtime/transport.js';
import type { CallTarget } from '../types/middleware.js';
import type { ProviderInput } from '../types/provider.js';
import type { ModelRef } from '../types/requests.js';
import type { Store } from '../types/store.js';
import type { SwitchboardOptions } from './switchboard-types.js';

/** The options, without the provider tuple's literal types (the builders do not need them). */
export type AnyOptions = SwitchboardOptions<readonly ProviderInput[]>;

/** Logging, known secrets, the resolved configuration and the provider index. */
export interface ConfigParts {
  readonly options: AnyOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logging: SwitchboardLogging | undefined;
  readonly secrets: KnownSecrets;
  readonly config: ConfigResolver;
  readonly providers: Map<string, IndexedProvider>;
}

/** How requests leave the process: the shared pool (created on first use) and the transport over it. */
export interface TransportParts {
  readonly dispatcher: () => Agent;
  readonly transport: Transport;
}

/** Where a later builder puts the health monitor, read by those made before it (the router). */
export interface HealthSlot {
  monitor: HealthMonitor | undefined;
}

/** Model references resolved to call targets, memoized until the installed providers change. */
export interface TargetResolver {
  readonly resolve: (model: ModelRef) => CallTarget;
  readonly clear: () => void;
}

/** Everything calls share: the runtime context, time, events, state, routing and target resolution. */
export interface CoreParts extends ConfigParts, TransportParts {
  readonly runtime: RuntimeContext;
  readonly clock: Clock;
  readonly events: SwitchboardEvents;
  readonly store: Store;
  readonly health: HealthSlot;
  readonly router: Router;
  readonly targets: TargetResolver;
}
