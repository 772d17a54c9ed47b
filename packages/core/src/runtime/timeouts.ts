/**
 * Default time limits of calls, and the checks of the `timeout` / `idleTimeout` settings.
 *
 * Every call has a finite limit, so a provider that stalls can never hold a caller forever. The
 * limits of one request to a provider resolve as: core's defaults (`DEFAULT_TIMEOUTS`) < the
 * catalog's `timeouts` section < the switchboard's `timeout` / `idleTimeout` options <
 * `perProvider[provider]` < the call's own `timeout` / `idleTimeout` (the same layering as `retry`).
 *
 * What the provider-level limit bounds: each request (each retry attempt, each fallback target gets
 * its own provider's limit), a stream's body included: a server that trickles data forever is cut
 * at the limit like one that stalls (the idle limit ends a silent stream sooner). A call's explicit
 * `timeout` keeps its meaning: the whole call, across retries and fallback targets.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { ProviderDescriptor } from '../types/catalog.js';

/** Limits in milliseconds, as the switchboard options and `perProvider` entries give them. */
export interface TimeoutOptions {
  /** Limit of one request, ms (a positive finite number). Over the catalog's `timeouts.requestMs`. */
  timeout?: number;
  /** Longest gap between two data events of a stream, ms. Over the catalog's `timeouts.idleMs`. */
  idleTimeout?: number;
}

/** The limits of one provider with every layer applied. */
export interface ResolvedTimeouts {
  requestMs: number;
  idleMs: number;
}

/**
 * Core's fallback when a descriptor has no `timeouts` (custom providers, provider packages generated
 * before the section existed): 10 minutes per request, as the official SDKs use, and 2 minutes
 * without a data event in a stream.
 */
export const DEFAULT_TIMEOUTS: Readonly<ResolvedTimeouts> = Object.freeze({ requestMs: 600_000, idleMs: 120_000 });

/** The longest delay `setTimeout` honours (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length <= 40 ? value : `${value.slice(0, 40)}...`);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value;
}

function checkField(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return;
  throw new ConfigurationError(
    `\`${field}\` must be a positive finite number of milliseconds, got ${describeValue(value)}`,
    { setting: field },
  );
}

/**
 * Throws a ConfigurationError naming the field (`timeout`, `idleTimeout`, or with `prefix`
 * `perProvider.openai.timeout`) when a limit is not a positive finite number: -1, 0, NaN,
 * Infinity and strings such as `'5s'` were silently ignored before, which meant no limit at all.
 * Cheap enough for every call (two `typeof` checks when both are unset).
 */
export function validateTimeouts(settings: { timeout?: unknown; idleTimeout?: unknown }, prefix = ''): void {
  if (settings.timeout !== undefined) checkField(settings.timeout, `${prefix}timeout`);
  if ('idleTimeout' in settings && settings.idleTimeout !== undefined)
    checkField(settings.idleTimeout, `${prefix}idleTimeout`);
}

/** The limits a descriptor's catalog entry gives, over core's defaults. */
export function catalogTimeouts(descriptor: Pick<ProviderDescriptor, 'timeouts'> | undefined): ResolvedTimeouts {
  const spec = descriptor?.timeouts;
  return {
    requestMs: spec?.requestMs ?? DEFAULT_TIMEOUTS.requestMs,
    idleMs: spec?.idleMs ?? DEFAULT_TIMEOUTS.idleMs,
  };
}

/** Resolves (and remembers) the limits of each provider of one switchboard. */
export type TimeoutResolver = (provider: string) => ResolvedTimeouts;

/**
 * Builds the resolver of one switchboard. `descriptorOf` gives a provider's catalog descriptor
 * (undefined for custom providers). The settings are checked here, so a bad option fails
 * `createSwitchboard` rather than the first call.
 */
export function createTimeoutResolver(
  options: TimeoutOptions,
  perProvider: Readonly<Record<string, TimeoutOptions | undefined>>,
  descriptorOf: (provider: string) => Pick<ProviderDescriptor, 'timeouts'> | undefined,
): TimeoutResolver {
  validateTimeouts(options);
  for (const [id, settings] of Object.entries(perProvider))
    if (settings !== undefined) validateTimeouts(settings, `perProvider.${id}.`);
  const resolved = new Map<string, ResolvedTimeouts>();
  return (provider) => {
    let limits = resolved.get(provider);
    if (limits === undefined) {
      const catalog = catalogTimeouts(descriptorOf(provider));
      const own = perProvider[provider];
      limits = {
        requestMs: own?.timeout ?? options.timeout ?? catalog.requestMs,
        idleMs: own?.idleTimeout ?? options.idleTimeout ?? catalog.idleMs,
      };
      resolved.set(provider, limits);
    }
    return limits;
  };
}

/** The limits of a call to `provider`: the switchboard's resolver, else the descriptor's catalog entry. */
export function providerTimeouts(
  runtime: { readonly timeouts?: TimeoutResolver | undefined },
  provider: string,
  descriptor: Pick<ProviderDescriptor, 'timeouts'> | undefined,
): ResolvedTimeouts {
  return runtime.timeouts === undefined ? catalogTimeouts(descriptor) : runtime.timeouts(provider);
}
