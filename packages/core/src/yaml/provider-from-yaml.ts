import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../catalog/define-provider.js';
import { ConfigurationError } from '../errors/errors.js';
import type { ModelInfo, ProviderDescriptor, ProviderSpec } from '../types/catalog.js';
import type { ProviderDefinition, ProviderSettings } from '../types/provider.js';
import type { Diagnostic } from './diagnostics.js';
import { loadProviderText } from './provider-text.js';
import { ProviderYamlError } from './provider-yaml-error.js';
import { PROVIDER_TEMPLATE_URL, shippedContext } from './shipped-context.js';

/** A provider YAML: a file path (`.yaml`/`.yml`, one line), a `file:` URL, or the YAML text itself. */
export type ProviderYamlInput = string | URL;

export interface ProviderYamlOptions {
  /** Settings for the provider (API key, base URL, headers, fetch), as a generated package's `create…` takes. */
  settings?: ProviderSettings;
  /** The name problems in YAML text are reported under (a path is shown relative to the working directory). */
  displayPath?: string;
}

/** True when the input names a file rather than holding YAML text. */
function isFileInput(input: ProviderYamlInput): boolean {
  return input instanceof URL || (!input.includes('\n') && /\.ya?ml$/i.test(input.trim()));
}

/** Reads the input; a path is displayed relative to the working directory, exactly as codegen shows files outside `catalog/`. */
function readInput(input: ProviderYamlInput, displayPath: string | undefined): { text: string; shown: string } {
  if (!isFileInput(input)) return { text: String(input), shown: displayPath ?? '<yaml>' };
  const file = input instanceof URL ? fileURLToPath(input) : path.resolve(input.trim());
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read provider YAML ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { text, shown: displayPath ?? path.relative(process.cwd(), file).split(path.sep).join('/') };
}

/** Validates a provider YAML the way codegen does; an empty list means it is valid. */
export function checkProviderYamlSync(
  input: ProviderYamlInput,
  options: ProviderYamlOptions = {},
): { displayPath: string; spec?: ProviderSpec; diagnostics: Diagnostic[] } {
  const { text, shown } = readInput(input, options.displayPath);
  const result = loadProviderText(text, shown, shippedContext());
  return result.spec === undefined
    ? { displayPath: shown, diagnostics: result.diagnostics }
    : { displayPath: shown, spec: result.spec, diagnostics: result.diagnostics };
}

/** The provider a validated spec describes, shaped as a generated package's default export is. */
export function providerFromSpec(spec: ProviderSpec, settings: ProviderSettings = {}): ProviderDefinition {
  const { models, tests: _tests, ...rest } = spec;
  const descriptor = { ...rest } as ProviderDescriptor & { $schema?: string };
  delete descriptor.$schema;
  const infos: ModelInfo[] = models.map((model) => ({ ...model, provider: spec.id, ref: `${spec.id}/${model.id}` }));
  const aliases: Record<string, string> = {};
  for (const model of models) for (const alias of model.aliases ?? []) aliases[alias] = model.id;
  return defineProvider({ descriptor, models: infos, aliases }, settings);
}

/** Builds a provider from YAML; throws `ProviderYamlError` listing every problem. */
export function providerFromYamlSync(input: ProviderYamlInput, options: ProviderYamlOptions = {}): ProviderDefinition {
  const result = checkProviderYamlSync(input, options);
  if (result.spec === undefined) throw new ProviderYamlError(result.diagnostics);
  return providerFromSpec(result.spec, options.settings);
}

/** The commented starter file, with a `$schema` modeline pointing editors at the published schema. */
export function providerTemplateText(): string {
  return readFileSync(PROVIDER_TEMPLATE_URL, 'utf8');
}
