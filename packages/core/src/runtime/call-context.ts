/**
 * Builds the `CallContext` an adapter works from: the key, base URL and URL parameters resolved from
 * settings, then the YAML's environment variables (each setting may list several, first set wins),
 * then defaults. A missing key or required parameter fails here, before any request, with every
 * variable that would give it in the message.
 */

import { envNameList, firstEnv, type ProviderEndpoint, resolveEndpoint } from '../catalog/provider-endpoint.js';
import { ConfigurationError } from '../errors/errors.js';
import type { ModelInfo } from '../types/catalog.js';
import type { CallContext } from '../types/protocol.js';
import type { ProviderDefinition } from '../types/provider.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Fills `{name}` placeholders from `params`; unknown placeholders are left as they are. */
export function fillPlaceholders(template: string, params: Readonly<Record<string, string>>): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{([A-Za-z0-9_-]+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Resolves the key the provider needs, or throws a ConfigurationError naming every accepted variable. */
export function resolveApiKey(provider: ProviderDefinition, env: Env): string | undefined {
  const { auth } = provider.descriptor;
  const key = provider.settings.apiKey ?? firstEnv(env, auth.env);
  if (key !== undefined && key !== '') return key;
  if (auth.type === 'none' || auth.type === 'aws-sigv4' || auth.optional) return undefined;
  const names = auth.env.length > 0 ? auth.env.join(' or ') : 'an apiKey setting';
  throw new ConfigurationError(
    `Missing API key for provider '${provider.id}': set ${names} or pass apiKey to the provider factory`,
    { provider: provider.id, setting: auth.env[0] ?? 'apiKey' },
  );
}

/**
 * The provider's URL parameters and base URL for a call to `modelId` (see `resolveEndpoint`: an
 * explicit base URL replaces the template); a missing parameter throws a ConfigurationError naming
 * every variable and setting that would give it.
 */
export function resolveProviderEndpoint(provider: ProviderDefinition, env: Env, modelId = ''): ProviderEndpoint {
  const { endpoint, problem } = resolveEndpoint(provider, env, modelId);
  if (problem !== undefined)
    throw new ConfigurationError(problem.message, { provider: provider.id, setting: problem.setting });
  return endpoint;
}

/** A context and the inputs it was built from, to reuse it while none of them changed. */
interface ContextMemo {
  env: Env;
  model: ModelInfo | undefined;
  /** The environment values read, in `names` order. */
  values: (string | undefined)[];
  ctx: CallContext;
}

/** Per definition: the settings object the memos were built for, the variables they depend on, a memo per model id. */
interface ProviderMemo {
  settings: ProviderDefinition['settings'];
  names: string[];
  byModel: Map<string, ContextMemo>;
}

const memos = new WeakMap<ProviderDefinition, ProviderMemo>();

/**
 * The environment variables a context depends on: only those a setting does not already decide
 * (a key or base URL given in settings makes its variables irrelevant).
 */
function envNamesOf(provider: ProviderDefinition): string[] {
  const { descriptor, settings } = provider;
  const names: string[] = [];
  if (settings.apiKey === undefined) names.push(...descriptor.auth.env);
  if (settings.baseURL === undefined) names.push(...envNameList(descriptor.auth.baseURLEnv));
  const given = settings.params;
  for (const spec of descriptor.params ?? [])
    if (given?.[spec.name] === undefined) names.push(...envNameList(spec.env));
  return names;
}

/**
 * Everything an adapter needs for one call. Reads the environment now, so keys set later are seen.
 * The same context object comes back while the settings, the environment's relevant values and the
 * model are unchanged, so per-context work (URLs, headers) can be cached on it.
 */
export function createCallContext(
  provider: ProviderDefinition,
  modelId: string,
  model: ModelInfo | undefined,
  env: Env = process.env,
): CallContext {
  const settings = provider.settings;
  let memo = memos.get(provider);
  if (memo === undefined || memo.settings !== settings) {
    memo = { settings, names: envNamesOf(provider), byModel: new Map() };
    memos.set(provider, memo);
  }
  const { names } = memo;
  const last = memo.byModel.get(modelId);
  if (last !== undefined && last.env === env && last.model === model) {
    let same = true;
    for (let i = 0; i < names.length; i += 1)
      if (env[names[i] as string] !== last.values[i]) {
        same = false;
        break;
      }
    if (same) return last.ctx;
  }
  const values: (string | undefined)[] = names.map((name) => env[name]);
  const apiKey = resolveApiKey(provider, env);
  const { params, baseURL } = resolveProviderEndpoint(provider, env, modelId);
  const ctx: CallContext = { descriptor: provider.descriptor, settings, model, modelId, baseURL, params, apiKey, env };
  memo.byModel.set(modelId, { env, model, values, ctx });
  return ctx;
}

/**
 * A provider definition may carry an async step under this symbol (configuration fetched from a
 * config provider, a key-format check) that must run before its call context is built.
 */
export const PREPARE_PROVIDER: unique symbol = Symbol.for('switchboard.prepareProvider');

/**
 * Runs the definition's {@link PREPARE_PROVIDER} step, when it has one: a promise to await, or
 * undefined when there was nothing asynchronous to do (the common case: no await on the hot path).
 */
export function prepareProvider(provider: ProviderDefinition): Promise<void> | undefined {
  const step = (provider as { [PREPARE_PROVIDER]?: () => Promise<void> | undefined })[PREPARE_PROVIDER];
  return step === undefined ? undefined : step();
}
