import { createSwitchboard, type Switchboard } from '@switchboard/core';
import { loadCatalog } from './catalog.js';
import { allProviders } from './generated/providers.js';

let cached: Switchboard | undefined;

/** A switchboard over every generated provider, configured from the environment. */
export function loadSwitchboard(): Switchboard {
  cached ??= createSwitchboard({ providers: allProviders });
  return cached;
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

/**
 * Picks a model when the user names none: the default model of the first hosted provider whose key
 * is set, else a local server that answers within `probeTimeoutMs`, else the offline mock provider.
 */
export async function chooseDefaultModel(
  env: NodeJS.ProcessEnv = process.env,
  probeTimeoutMs = 400,
): Promise<DefaultModelChoice> {
  const catalog = loadCatalog();
  for (const id of HOSTED_PREFERENCE) {
    const provider = catalog.getProvider(id);
    if (provider && catalog.isConfigured(id, env)) {
      return {
        model: `${id}/${provider.descriptor.defaultModel}`,
        reason: `${provider.descriptor.auth.env[0]} is set`,
      };
    }
  }
  const sb = loadSwitchboard();
  for (const id of LOCAL_PREFERENCE) {
    const provider = catalog.getProvider(id);
    if (!provider) continue;
    try {
      const listed = await Promise.race([
        sb.listModels(id),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('probe timed out')), probeTimeoutMs).unref(),
        ),
      ]);
      const chat = listed.find((m) => !/embed/i.test(m.id));
      if (chat) return { model: `${id}/${chat.id}`, reason: `a local ${provider.name} server is running` };
    } catch {
      // Not running: try the next one.
    }
  }
  return {
    model: `mock/${catalog.getProvider('mock')?.descriptor.defaultModel ?? 'mock-chat'}`,
    reason: 'no API key is set and no local server answered, so this is the offline mock provider',
  };
}
