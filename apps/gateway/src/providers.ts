/**
 * Which providers the gateway installs. Every provider package is an optional dependency, so a
 * deployment carries only the ones it needs: each is imported dynamically and an absent one is
 * skipped. Without a config every installed provider is used, configured from the environment as
 * the library is; with a `providers` section only those, with their settings.
 */
import type { ProviderDefinition, ProviderSettings } from '@switchboard/core';

/** Provider id -> package name, for every provider package the gateway knows. */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  anthropic: '@switchboard/provider-anthropic',
  'azure-openai': '@switchboard/provider-azure-openai',
  bedrock: '@switchboard/provider-bedrock',
  deepseek: '@switchboard/provider-deepseek',
  gemini: '@switchboard/provider-gemini',
  groq: '@switchboard/provider-groq',
  lmstudio: '@switchboard/provider-lmstudio',
  mistral: '@switchboard/provider-mistral',
  mock: '@switchboard/provider-mock',
  ollama: '@switchboard/provider-ollama',
  openai: '@switchboard/provider-openai',
  openrouter: '@switchboard/provider-openrouter',
  perplexity: '@switchboard/provider-perplexity',
  together: '@switchboard/provider-together',
  vllm: '@switchboard/provider-vllm',
  xai: '@switchboard/provider-xai',
};

/** A provider package's factory (`createOpenAI`, `createMock`, ...). */
export type ProviderFactory = (settings?: ProviderSettings) => ProviderDefinition;

/** Imports one provider package and returns its factory; undefined when the package is not installed. */
export async function importProviderFactory(id: string): Promise<ProviderFactory | undefined> {
  const name = PROVIDER_PACKAGES[id];
  if (name === undefined) return undefined;
  let module: Record<string, unknown>;
  try {
    module = (await import(name)) as Record<string, unknown>;
  } catch (error) {
    if (isModuleMissing(error)) return undefined;
    throw error;
  }
  for (const [exportName, value] of Object.entries(module)) {
    if (exportName.startsWith('create') && typeof value === 'function') return value as ProviderFactory;
  }
  return undefined;
}

/** Factories of every installed provider package, by provider id. */
export async function installedProviders(): Promise<Map<string, ProviderFactory>> {
  const found = new Map<string, ProviderFactory>();
  const entries = await Promise.all(
    Object.keys(PROVIDER_PACKAGES).map(async (id) => [id, await importProviderFactory(id)] as const),
  );
  for (const [id, factory] of entries) if (factory) found.set(id, factory);
  return found;
}

function isModuleMissing(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
