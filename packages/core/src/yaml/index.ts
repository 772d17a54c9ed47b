/**
 * `@switchboard/core/yaml`: providers described by a catalog YAML file, built at run time, for users
 * who install from npm and have no codegen. The same schema and the same validator as codegen, so a
 * file that passes here generates the same package there (codegen stays the way to get typed ids).
 *
 * This entry is light: the YAML parser and the schema validator (`yaml`, `ajv`) load on the first call,
 * so importing it costs nothing until a YAML provider is used, and a missing `yaml` package is reported
 * as the install to do rather than as a module resolution failure.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { ProviderDefinition } from '../types/provider.js';
import type { Diagnostic } from './diagnostics.js';
import type { ProviderYamlInput, ProviderYamlOptions } from './provider-from-yaml.js';

export type { Diagnostic } from './diagnostics.js';
export { formatDiagnostic } from './diagnostics.js';
export type { ProviderYamlInput, ProviderYamlOptions } from './provider-from-yaml.js';
export { ProviderYamlError } from './provider-yaml-error.js';

type Implementation = typeof import('./provider-from-yaml.js');

let implementation: Promise<Implementation> | undefined;

/** Loads the validator once; names the package to install when `yaml` (an optional peer) is absent. */
function load(): Promise<Implementation> {
  implementation ??= import('./provider-from-yaml.js').catch((error: unknown) => {
    implementation = undefined;
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && /['"]yaml['"]/.test(String((error as Error).message))) {
      throw new ConfigurationError(
        "YAML providers need the 'yaml' package, an optional peer of @switchboard/core: run `npm install yaml`.",
        { cause: error },
      );
    }
    throw error;
  });
  return implementation;
}

/**
 * Builds a provider from a catalog YAML file (a path or `file:` URL) or YAML text, validated exactly as
 * codegen validates `catalog/providers/*.yaml`. Pass the result to `createSwitchboard({ providers })`.
 * Throws a `ProviderYamlError` (a `ConfigurationError`) whose message lists every problem as
 * `file:line:col: path: message`.
 */
export async function providerFromYaml(
  input: ProviderYamlInput,
  options: ProviderYamlOptions = {},
): Promise<ProviderDefinition> {
  return (await load()).providerFromYamlSync(input, options);
}

/** Validates a provider YAML without building it; an empty `diagnostics` list means it is valid. */
export async function checkProviderYaml(
  input: ProviderYamlInput,
  options: Omit<ProviderYamlOptions, 'settings'> = {},
): Promise<{ displayPath: string; diagnostics: Diagnostic[] }> {
  const { displayPath, diagnostics } = (await load()).checkProviderYamlSync(input, options);
  return { displayPath, diagnostics };
}

/** The commented starter a new provider file begins from (its modeline points editors at the published schema). */
export async function providerTemplate(): Promise<string> {
  return (await load()).providerTemplateText();
}
