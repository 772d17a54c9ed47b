/**
 * Builds the `CallContext` an adapter works from: the key, base URL and URL parameters resolved from
 * settings, then the YAML's environment variables, then defaults. A missing key or required
 * parameter fails here, before any request, with the variable to set in the message.
 */
import type { ModelInfo } from '../catalog/types.js';
import type { CallContext } from '../protocols/types.js';
import type { ProviderDefinition } from '../provider.js';
import { ConfigurationError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The first non-empty value among the named environment variables. */
function firstEnv(env: Env, names: readonly string[] | undefined): string | undefined {
  if (names === undefined) return undefined;
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Fills `{name}` placeholders from `params`; unknown placeholders are left as they are. */
export function fillPlaceholders(template: string, params: Readonly<Record<string, string>>): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{([A-Za-z0-9_-]+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Resolves the key the provider needs, or throws a ConfigurationError naming its variables. */
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

/** Resolves the descriptor's URL parameters (settings, env, default); a missing required one throws. */
export function resolveParams(provider: ProviderDefinition, env: Env): Record<string, string> {
  const params: Record<string, string> = {};
  const given = provider.settings.params ?? {};
  for (const spec of provider.descriptor.params ?? []) {
    const value = given[spec.name] ?? (spec.env === undefined ? undefined : firstEnv(env, [spec.env])) ?? spec.default;
    if (value !== undefined && value !== '') params[spec.name] = value;
    else if (spec.required) {
      const where = spec.env === undefined ? `params.${spec.name}` : `${spec.env} or params.${spec.name}`;
      throw new ConfigurationError(
        `Missing required parameter '${spec.name}' for provider '${provider.id}': set ${where}`,
        {
          provider: provider.id,
          setting: spec.env ?? spec.name,
        },
      );
    }
  }
  for (const name in given) if (!(name in params) && given[name] !== undefined) params[name] = given[name] as string;
  return params;
}

/** Base URL from settings, the YAML's base URL variable, or the YAML, placeholders filled, no trailing slash. */
export function resolveBaseURL(
  provider: ProviderDefinition,
  params: Readonly<Record<string, string>>,
  env: Env,
): string {
  const { descriptor, settings } = provider;
  const raw =
    settings.baseURL ??
    firstEnv(env, descriptor.auth.baseURLEnv ? [descriptor.auth.baseURLEnv] : undefined) ??
    descriptor.baseURL;
  const filled = fillPlaceholders(raw, params);
  const missing = /\{([A-Za-z0-9_-]+)\}/.exec(filled);
  if (missing !== null) {
    throw new ConfigurationError(
      `Base URL of provider '${provider.id}' needs parameter '${missing[1]}': pass it in params`,
      {
        provider: provider.id,
        setting: missing[1],
      },
    );
  }
  return filled.endsWith('/') ? filled.slice(0, -1) : filled;
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
  if (settings.baseURL === undefined && descriptor.auth.baseURLEnv) names.push(descriptor.auth.baseURLEnv);
  const given = settings.params;
  for (const spec of descriptor.params ?? [])
    if (spec.env !== undefined && given?.[spec.name] === undefined) names.push(spec.env);
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
  const params = resolveParams(provider, env);
  const baseURL = resolveBaseURL(provider, params, env);
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
