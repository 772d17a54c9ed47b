/**
 * The first builder: logging (`logger`), the known secrets, the configuration of every provider
 * (`config`, `env`, settings) and the provider index. Logging and secrets read the configured
 * providers lazily (at call time), which is why they can be made before the configuration.
 */

import { knownSecrets } from '../observability/logging/secrets.js';
import { setupLogging } from '../observability/logging/switchboard-logging.js';
import { createConfigResolver } from '../runtime/config/config-resolver.js';
import { indexProviders } from '../runtime/provider-index.js';
import type { AnyOptions, ConfigParts } from './parts.js';

/** Resolves the configuration and indexes the providers. */
export function buildConfig(options: AnyOptions): ConfigParts {
  const env = options.env ?? process.env;
  const configuredProviders = () => config.providers;
  const logging = setupLogging(options.logger, configuredProviders, env);
  const secrets = knownSecrets(configuredProviders, env);
  const config = createConfigResolver(options.providers, options, env, logging?.component('config'));
  const providers = indexProviders(config.providers);
  return { options, env, logging, secrets, config, providers };
}
