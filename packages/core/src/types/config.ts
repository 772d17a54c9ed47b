/**
 * Shapes of provider configuration: what a static `config` object, a config provider (a vault, a
 * secrets manager) or a config file may set for one provider. Everything is optional; what is set
 * wins over the provider factory's settings, which win over environment variables.
 */

/** Settings for one provider from configuration. */
export interface ProviderConfig {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  /** Values for the base URL's `{placeholders}` (Azure's resource, deployment, api-version). */
  params?: Record<string, string>;
  /**
   * The model id (of this provider) for chat and stream calls that name no `model`, when the
   * switchboard has no `defaultModel` option (static `config` only; see runtime/default-model.ts).
   */
  defaultModel?: string;
  /** The same for embed calls: the model id of `sb.embed` calls without `model`. */
  defaultEmbeddingModel?: string;
}

/** Static configuration: provider id -> settings. */
export type SwitchboardConfig = Readonly<Record<string, ProviderConfig | undefined>>;

/** A function returning one provider's settings (or `undefined` when it has none). */
export type ConfigProviderFunction = (
  providerId: string,
) => ProviderConfig | undefined | Promise<ProviderConfig | undefined>;

/**
 * Where settings are fetched from at run time: a function, or an object with `get` (a vault
 * client). Called lazily, before the first call to each provider, and again after `ttlMs`.
 */
export type ConfigProvider = ConfigProviderFunction | { get: ConfigProviderFunction };

/** Configuration options of `createSwitchboard`. */
export interface ConfigOptions {
  /** Static settings per provider id, merged over the provider factory's settings. */
  config?: SwitchboardConfig;
  /** Settings fetched at run time, merged over `config`. */
  configProvider?: ConfigProvider;
  /** How long fetched settings are kept (default: for the switchboard's lifetime). */
  configTtlMs?: number;
  /**
   * A key that does not match the catalog's `auth.keyPattern`: `'warn'` (default) logs once per
   * key, `'error'` fails the call with a ConfigurationError, `'off'` skips the check.
   */
  keyCheck?: KeyCheckMode;
}

/** What to do with a key that does not match the catalog's pattern. */
export type KeyCheckMode = 'warn' | 'error' | 'off';
