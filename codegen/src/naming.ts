/** Names derived from a provider id, for packages, types, factories and default instances. */
export interface ProviderNames {
  /** `OpenAI`, `AzureOpenAI`: prefix of types and the factory (`createOpenAI`). */
  pascal: string;
  /** `openai`, `azureOpenai`: the default instance and the prefix of exported constants. */
  camel: string;
  /** `@switchboard/provider-openai`. */
  packageName: string;
  /** `packages/provider-openai`. */
  directory: string;
}

/** Brand spellings for known providers; new providers fall back to the id in PascalCase. */
const PASCAL_NAMES: Readonly<Record<string, string>> = {
  anthropic: 'Anthropic',
  'azure-openai': 'AzureOpenAI',
  bedrock: 'Bedrock',
  deepseek: 'DeepSeek',
  gemini: 'Gemini',
  groq: 'Groq',
  lmstudio: 'LMStudio',
  mistral: 'Mistral',
  mock: 'Mock',
  ollama: 'Ollama',
  openai: 'OpenAI',
  openrouter: 'OpenRouter',
  perplexity: 'Perplexity',
  together: 'Together',
  vllm: 'VLLM',
  xai: 'XAI',
};

const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
]);

function words(id: string): string[] {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** Names for a provider id. */
export function providerNames(id: string): ProviderNames {
  const parts = words(id);
  let pascal = PASCAL_NAMES[id] ?? parts.map((part) => part[0]?.toUpperCase() + part.slice(1)).join('');
  let camel = parts
    .map((part, index) => (index === 0 ? part.toLowerCase() : part[0]?.toUpperCase() + part.slice(1)))
    .join('');
  if (/^\d/.test(pascal)) pascal = `Provider${pascal}`;
  if (/^\d/.test(camel) || RESERVED.has(camel)) camel = `provider${camel[0]?.toUpperCase()}${camel.slice(1)}`;
  return { pascal, camel, packageName: `@switchboard/provider-${id}`, directory: `packages/provider-${id}` };
}
