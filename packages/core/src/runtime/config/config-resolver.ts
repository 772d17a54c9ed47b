/**
 * Merges static configuration and a config provider's settings over each provider's own settings,
 * fetches the latter lazily (once per provider, again after the TTL; concurrent calls share one
 * fetch) and checks key formats. The runtime reads `definition.settings` synchronously, so the
 * wrapped definitions expose the merged settings through a getter.
 */

import { resolveEndpoint } from '../../catalog/provider-endpoint.js';
import { ConfigurationError } from '../../errors/errors.js';
import { maskKey } from '../../errors/mask-key.js';
import type { ConfigOptions, ProviderConfig } from '../../types/config.js';
import type { Logger } from '../../types/logger.js';
import type { ProviderDefinition, ProviderInput, ProviderSettings } from '../../types/provider.js';
import { PREPARE_PROVIDER, resolveApiKey } from '../call-context.js';
import { checkKeyFormat } from './key-format.js';

interface Fetched {
  config: ProviderConfig | undefined;
  at: number;
}

/** What `createSwitchboard` needs from configuration. */
export interface ConfigResolver {
  /** The providers with settings merged from configuration (custom providers unchanged). */
  readonly providers: ProviderInput[];
  /** Fetches a provider's settings when due, then checks its key format. */
  prepare(providerId: string): Promise<void>;
  /** Whether a provider has what it needs to be called (after fetching its settings). */
  configured(providerId: string): Promise<boolean>;
}

function isDefinition(provider: ProviderInput): provider is ProviderDefinition {
  return (provider as { kind?: string }).kind !== 'custom';
}

function merge(base: Readonly<ProviderSettings>, ...layers: (ProviderConfig | undefined)[]): ProviderSettings {
  const out: ProviderSettings = { ...base };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer.apiKey !== undefined && layer.apiKey !== '') out.apiKey = layer.apiKey;
    if (layer.baseURL !== undefined && layer.baseURL !== '') out.baseURL = layer.baseURL;
    if (layer.headers !== undefined) out.headers = { ...out.headers, ...layer.headers };
    if (layer.params !== undefined) out.params = { ...out.params, ...layer.params };
  }
  return Object.freeze(out);
}

/** Builds the resolver for one switchboard. */
export function createConfigResolver(
  inputs: readonly ProviderInput[],
  options: ConfigOptions,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger | undefined,
  now: () => number = Date.now,
): ConfigResolver {
  const fetched = new Map<string, Fetched>();
  const pending = new Map<string, Promise<void>>();
  const merged = new Map<string, ProviderSettings>();
  const checkedKeys = new Map<string, string>();
  const definitions = new Map<string, ProviderDefinition>();
  const bases = new Map<string, ProviderDefinition>();
  const source = options.configProvider;
  const get = source === undefined ? undefined : typeof source === 'function' ? source : source.get.bind(source);
  const keyCheck = options.keyCheck ?? 'warn';

  const settingsOf = (base: ProviderDefinition): ProviderSettings => {
    let settings = merged.get(base.id);
    if (settings === undefined) {
      settings = merge(base.settings, options.config?.[base.id], fetched.get(base.id)?.config);
      merged.set(base.id, settings);
    }
    return settings;
  };

  let resolver: ConfigResolver;
  const providers = inputs.map((input): ProviderInput => {
    if (!isDefinition(input)) return input;
    bases.set(input.id, input);
    const dynamic = options.config?.[input.id] !== undefined || get !== undefined;
    if (!dynamic && keyCheck === 'off') {
      definitions.set(input.id, input);
      return input;
    }
    // Own properties (not a prototype) so that copies made with spread keep everything.
    const wrapped = { ...input } as ProviderDefinition;
    if (dynamic) Object.defineProperty(wrapped, 'settings', { get: () => settingsOf(input), enumerable: true });
    // Without a config provider there is nothing to fetch: the key check runs synchronously (a
    // rejected format still fails the call, thrown inside the caller's async function).
    const step = get === undefined ? () => checkKey(wrapped) : () => resolver.prepare(input.id);
    Object.defineProperty(wrapped, PREPARE_PROVIDER, { value: step, enumerable: true });
    definitions.set(input.id, wrapped);
    return wrapped;
  });

  const fetchConfig = async (providerId: string): Promise<void> => {
    if (get === undefined) return;
    const entry = fetched.get(providerId);
    const ttl = options.configTtlMs;
    if (entry !== undefined && (ttl === undefined || now() - entry.at < ttl)) return;
    let running = pending.get(providerId);
    if (running === undefined) {
      running = (async () => {
        try {
          const config = await get(providerId);
          fetched.set(providerId, { config: config ?? undefined, at: now() });
          merged.delete(providerId);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ConfigurationError(`The config provider failed for provider '${providerId}': ${reason}`, {
            provider: providerId,
            setting: 'configProvider',
            cause: error,
          });
        } finally {
          pending.delete(providerId);
        }
      })();
      pending.set(providerId, running);
    }
    await running;
  };

  const keySource = (id: string): string => {
    if (fetched.get(id)?.config?.apiKey) return `The apiKey from the config provider for '${id}'`;
    if (options.config?.[id]?.apiKey) return `config.${id}.apiKey`;
    const base = bases.get(id);
    if (base?.settings.apiKey) return `The apiKey setting of provider '${id}'`;
    return base?.descriptor.auth.env.find((name) => (env[name] ?? '') !== '') ?? 'apiKey';
  };

  const checkKey = (definition: ProviderDefinition): void => {
    if (keyCheck === 'off') return;
    let key: string | undefined;
    try {
      key = resolveApiKey(definition, env);
    } catch {
      return; // a missing key fails later with its own message
    }
    if (key === undefined || checkedKeys.get(definition.id) === key) return;
    const problem = checkKeyFormat(definition.descriptor, key, keySource(definition.id));
    if (problem !== undefined && keyCheck === 'error')
      throw new ConfigurationError(problem, { provider: definition.id, setting: keySource(definition.id) });
    checkedKeys.set(definition.id, key);
    if (problem !== undefined) logger?.warn?.(problem, { provider: definition.id, key: maskKey(key) });
  };

  resolver = {
    providers,
    async prepare(providerId) {
      const definition = definitions.get(providerId);
      if (definition === undefined) return;
      await fetchConfig(providerId);
      checkKey(definition);
    },
    async configured(providerId) {
      const definition = definitions.get(providerId);
      if (definition === undefined) return inputs.some((input) => input.id === providerId);
      await fetchConfig(providerId);
      const { auth } = definition.descriptor;
      const settings = definition.settings;
      const set = (name: string | undefined) => name !== undefined && (env[name] ?? '') !== '';
      const needsKey = auth.type !== 'none' && auth.type !== 'aws-sigv4' && auth.optional !== true;
      if (needsKey && !settings.apiKey && !auth.env.some(set)) return false;
      // Judged as a call to the default model would be: an explicit base URL makes the template's parameters moot.
      return resolveEndpoint(definition, env, definition.descriptor.defaultModel).problem === undefined;
    },
  };
  return resolver;
}
