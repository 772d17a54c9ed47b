import { createSwitchboard, type ProviderDefinition, type Switchboard } from '@switchboard/core';
import { loadCatalog } from './catalog.js';
import { providerPackages } from './generated/providers.js';
import { UsageError } from './output.js';

/**
 * A provider's runtime package, imported on demand: the CLI installs only the mock provider, every
 * other provider package is an optional peer. An absent package becomes the `npm install` to run.
 */
export async function loadProvider(id: string): Promise<ProviderDefinition> {
  const entry = providerPackages[id];
  if (!entry) {
    (await loadCatalog()).requireProvider(id); // Unknown id: the catalog's error names the closest one.
    throw new UsageError(`provider "${id}" has no runtime package.`);
  }
  try {
    return await entry.load();
  } catch (error) {
    if (isMissingPackage(error, entry.packageName)) {
      throw new UsageError(
        `${id} needs the package ${entry.packageName}, which is not installed: run \`npm install ${entry.packageName}\` where @switchboard/cli is installed (npm install -g for a global CLI).`,
      );
    }
    throw error;
  }
}

/** True when `error` says the package itself cannot be found (not a module inside it). */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(`'${packageName}'`)
  );
}

const switchboards = new Map<string, Promise<Switchboard>>();

/** A switchboard over the given providers' runtime packages, configured from the environment. */
export function loadSwitchboard(providerIds: readonly string[]): Promise<Switchboard> {
  const key = [...new Set(providerIds)].sort().join(',');
  let cached = switchboards.get(key);
  if (!cached) {
    cached = Promise.all(key.split(',').map(loadProvider)).then((providers) => createSwitchboard({ providers }));
    switchboards.set(key, cached);
  }
  return cached;
}

/** The provider id of a `provider/model` reference. */
export function providerOf(model: string): string {
  const slash = model.indexOf('/');
  if (slash <= 0) throw new UsageError(`--model must be provider/model, e.g. openai/gpt-4o, not "${model}".`);
  return model.slice(0, slash);
}

/** Hosted providers tried, in order, when the user names no model. */
const HOSTED_PREFERENCE = [
  'openai',
  'anthropic',
  'gemini',
  'mistral',
  'groq',
  'xai',
  'deepseek',
  'openrouter',
  'together',
  'perplexity',
];
/** Local servers probed when no hosted key is set. */
const LOCAL_PREFERENCE = ['ollama', 'lmstudio', 'vllm'];

/** How the default model was chosen, so the CLI can say so. */
export interface DefaultModelChoice {
  model: string;
  reason: string;
}

/** What `chat` says when nothing is configured: every way to configure a provider. */
export const NO_PROVIDER_MESSAGE =
  'no provider is configured: set an API key (e.g. OPENAI_API_KEY, with @switchboard/provider-openai installed), ' +
  'start a local server (Ollama, LM Studio, vLLM), or name one with --model provider/model. ' +
  'For the offline mock provider, pass --offline.';

/** The offline mock provider's default model, for `--offline` and the demo's fallback. */
export async function mockModel(): Promise<string> {
  return `mock/${(await loadCatalog()).getProvider('mock')?.descriptor.defaultModel ?? 'mock-chat'}`;
}

/**
 * Picks a model when the user names none: the default model of the first hosted provider whose key
 * is set, else a local server (whose package is installed) that answers within `probeTimeoutMs`. With
 * nothing configured, `fallbackToMock` (the demo) gives the offline mock provider; otherwise this
 * throws, so a script never takes a mock answer for a real one.
 */
export async function chooseDefaultModel(
  options: { env?: NodeJS.ProcessEnv; probeTimeoutMs?: number; fallbackToMock?: boolean } = {},
): Promise<DefaultModelChoice> {
  const env = options.env ?? process.env;
  const catalog = await loadCatalog();
  for (const id of HOSTED_PREFERENCE) {
    const provider = catalog.getProvider(id);
    if (provider && catalog.isConfigured(id, env)) {
      return {
        model: `${id}/${provider.descriptor.defaultModel}`,
        reason: `${provider.descriptor.auth.env[0]} is set`,
      };
    }
  }
  for (const id of LOCAL_PREFERENCE) {
    const provider = catalog.getProvider(id);
    if (!provider || !(id in providerPackages)) continue;
    try {
      const sb = await loadSwitchboard([id]);
      const listed = await Promise.race([
        sb.listModels(id),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('probe timed out')), options.probeTimeoutMs ?? 400).unref(),
        ),
      ]);
      const chat = listed.find((m) => !/embed/i.test(m.id));
      if (chat) return { model: `${id}/${chat.id}`, reason: `a local ${provider.name} server is running` };
    } catch {
      // Not running, or its package is not installed: try the next one.
    }
  }
  if (!options.fallbackToMock) throw new UsageError(NO_PROVIDER_MESSAGE);
  return {
    model: await mockModel(),
    reason: 'no API key is set and no local server answered, so this is the offline mock provider',
  };
}
