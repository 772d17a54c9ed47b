/**
 * Where a provider's requests go: its URL parameters and base URL, resolved from settings, the
 * environment variables the YAML names (a list per setting, first set wins, so the names users bring
 * from other libraries work as aliases) and the YAML's defaults. Pure: it reads the environment it is
 * given and reports a problem instead of throwing, so the runtime (which throws a
 * ConfigurationError) and the catalog's `isConfigured` (which answers false) judge alike.
 *
 * An explicit base URL (settings, configuration or the provider's base-URL variable) replaces the
 * YAML's template, so the parameters only the template needs (Azure's `resource`) are not asked for.
 * A parameter's default may itself hold placeholders (Azure's `endpoint` defaults to
 * `https://{resource}.openai.azure.com`, its `deployment` to `{model}`, the request's model id).
 */
import type { ProviderDescriptor } from '../types/catalog.js';
import type { ProviderSettings } from '../types/provider.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One environment variable or a list of them, as the YAML may write either. */
export type EnvNames = string | readonly string[] | undefined;

const PLACEHOLDER = /\{([A-Za-z0-9_-]+)\}/g;
const HAS_PLACEHOLDER = /\{[A-Za-z0-9_-]+\}/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The variable names of a setting as a list (none, one or several). */
export function envNameList(names: EnvNames): readonly string[] {
  if (names === undefined) return [];
  return typeof names === 'string' ? [names] : names;
}

/** The first non-empty value among the named environment variables. */
export function firstEnv(env: Env, names: EnvNames): string | undefined {
  for (const name of envNameList(names)) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** `A`, `A or B`, `A, B or C`. */
function either(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Fills `{name}` placeholders from `values`; unknown placeholders are left as they are. */
function fill(template: string, values: Readonly<Record<string, string>>): string {
  if (!template.includes('{')) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** A resolved endpoint: the parameters (placeholders filled) and the base URL, without a trailing slash. */
export interface ProviderEndpoint {
  params: Record<string, string>;
  baseURL: string;
}

/** Why an endpoint cannot be resolved: a message naming every accepted source, and the setting to set. */
export interface EndpointProblem {
  message: string;
  setting: string;
}

/** What resolution needs of a provider: its id, catalog data and settings. */
export interface EndpointSource {
  readonly id: string;
  readonly descriptor: Pick<ProviderDescriptor, 'baseURL' | 'auth' | 'params'>;
  readonly settings: Readonly<Pick<ProviderSettings, 'baseURL' | 'params'>>;
}

/** The explicit base URL (settings, else the first set base-URL variable), when there is one. */
export function explicitBaseURL(provider: EndpointSource, env: Env): string | undefined {
  const given = provider.settings.baseURL;
  if (given !== undefined && given !== '') return given;
  return firstEnv(env, provider.descriptor.auth?.baseURLEnv);
}

/** Where a parameter's value can come from, for messages: its variables, then `params.<name>`. */
function sourcesOf(provider: EndpointSource, name: string): string[] {
  const spec = provider.descriptor.params?.find((candidate) => candidate.name === name);
  return [...envNameList(spec?.env), `params.${name}`];
}

/**
 * What to set for a parameter the URL still lacks: its own sources, the sources of the parameters its
 * default is made of (Azure's `endpoint` or its `resource`), and a whole base URL.
 */
function missingParameterProblem(provider: EndpointSource, name: string): EndpointProblem {
  const { descriptor } = provider;
  const spec = descriptor.params?.find((candidate) => candidate.name === name);
  const options = [either(sourcesOf(provider, name))];
  for (const part of spec?.default?.matchAll(PLACEHOLDER) ?? []) {
    const partName = part[1] as string;
    if (descriptor.params?.some((candidate) => candidate.name === partName))
      options.push(`'${partName}' (${either(sourcesOf(provider, partName))})`);
  }
  options.push(`a whole base URL as ${either(['baseURL', ...envNameList(descriptor.auth?.baseURLEnv)])}`);
  return {
    message: `Base URL of provider '${provider.id}' needs parameter '${name}': set ${options.join(', or ')}`,
    setting: envNameList(spec?.env)[0] ?? name,
  };
}

/**
 * Resolves the provider's parameters and base URL for a call to `modelId` ('' when the call names no
 * model, as health checks and model lists do). Returns the endpoint, or the problem to report.
 */
export function resolveEndpoint(
  provider: EndpointSource,
  env: Env,
  modelId = '',
): { endpoint: ProviderEndpoint; problem?: undefined } | { endpoint?: undefined; problem: EndpointProblem } {
  const { descriptor, settings } = provider;
  const specs = descriptor.params ?? [];
  const given = settings.params ?? {};
  const raw: Record<string, string> = {};
  for (const spec of specs) {
    const value = given[spec.name] ?? firstEnv(env, spec.env) ?? spec.default;
    if (value !== undefined && value !== '') raw[spec.name] = value;
  }
  for (const name in given) {
    const value = given[name];
    if (!(name in raw) && value !== undefined && value !== '') raw[name] = value;
  }

  // Defaults may name other parameters and the model; fill until nothing changes (a chain is short).
  const params: Record<string, string> = {};
  const context: Record<string, string> = modelId === '' ? { ...raw } : { model: modelId, ...raw };
  for (let pass = 0; pass <= specs.length; pass += 1) {
    let changed = false;
    for (const name in raw) {
      const filled = fill(context[name] as string, context);
      if (filled !== context[name]) {
        context[name] = filled;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // A value still holding a placeholder (a default whose parts nobody set) counts as absent.
  for (const name in raw) if (!HAS_PLACEHOLDER.test(context[name] as string)) params[name] = context[name] as string;

  const explicit = explicitBaseURL(provider, env);
  let baseURL = fill(explicit ?? descriptor.baseURL, params);
  const missing = /\{([A-Za-z0-9_-]+)\}/.exec(baseURL);
  if (missing !== null) return { problem: missingParameterProblem(provider, missing[1] as string) };

  // Parameters only the template needs are not asked for when the URL in use does without them.
  const templates = [descriptor.baseURL, ...specs.map((spec) => spec.default ?? '')].join(' ');
  for (const spec of specs) {
    if (!spec.required || spec.name in params) continue;
    if (templates.includes(`{${spec.name}}`)) continue;
    const sources = sourcesOf(provider, spec.name);
    return {
      problem: {
        message: `Missing required parameter '${spec.name}' for provider '${provider.id}': set ${either(sources)}`,
        setting: sources[0] as string,
      },
    };
  }

  // `OLLAMA_HOST=127.0.0.1:11434` (how Ollama itself reads it) has no scheme; a value ending in a
  // slash before the template's path (`AZURE_OPENAI_ENDPOINT=https://x.openai.azure.com/`) doubles it.
  if (!SCHEME.test(baseURL)) baseURL = `http://${baseURL}`;
  baseURL = baseURL.replace(/([^:/])\/{2,}/g, '$1/');
  if (baseURL.endsWith('/')) baseURL = baseURL.slice(0, -1);
  return { endpoint: { params, baseURL } };
}
